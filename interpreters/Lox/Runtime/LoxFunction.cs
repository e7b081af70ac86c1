using MetaJit.Lox.Bytecode;

namespace MetaJit.Lox.Runtime;

/// <summary>A compiled function (clox's ObjFunction): immutable once the compiler is done with it.</summary>
[Immutable]
public sealed class LoxFunction
{
    /// <summary>A compiled function.</summary>
    public LoxFunction(string? name, int arity, int upvalueCount, Chunk chunk)
    {
        Name = name;
        Arity = arity;
        UpvalueCount = upvalueCount;
        Chunk = chunk;
    }

    /// <summary>The name, or null for the top-level script.</summary>
    public readonly string? Name;

    /// <summary>The number of parameters.</summary>
    public readonly int Arity;

    /// <summary>The number of variables it captures.</summary>
    public readonly int UpvalueCount;

    /// <summary>Its code.</summary>
    public readonly Chunk Chunk;

    /// <summary>How Lox prints it: <c>&lt;fn name&gt;</c> or <c>&lt;script&gt;</c>.</summary>
    public override string ToString() => Name == null ? "<script>" : "<fn " + Name + ">";
}
