namespace MetaJit.Lox.Runtime;

/// <summary>A function with its captured variables (clox's ObjClosure). Prints as its function.</summary>
public sealed class LoxClosure
{
    /// <summary>A closure of <paramref name="function"/> whose upvalues the VM fills in.</summary>
    public LoxClosure(LoxFunction function)
        : this(function, new Upvalue[function.UpvalueCount])
    {
    }

    // Only stores its arguments: compiled code allocates closures with newobj of it (docs/hints.md).
    private LoxClosure(LoxFunction function, Upvalue[] upvalues)
    {
        Function = function;
        Upvalues = upvalues;
    }

    /// <summary>The function.</summary>
    public readonly LoxFunction Function;

    /// <summary>The captured variables, in the function's upvalue order.</summary>
    public readonly Upvalue[] Upvalues;

    /// <inheritdoc/>
    public override string ToString() => Function.ToString();
}
