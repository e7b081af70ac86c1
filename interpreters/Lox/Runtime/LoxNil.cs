namespace MetaJit.Lox.Runtime;

/// <summary>Lox's <c>nil</c>: one instance, compared by reference.</summary>
[Immutable]
public sealed class LoxNil
{
    private LoxNil() { }

    /// <summary>The only nil.</summary>
    public static readonly LoxNil Nil = new();

    /// <inheritdoc/>
    public override string ToString() => "nil";
}
