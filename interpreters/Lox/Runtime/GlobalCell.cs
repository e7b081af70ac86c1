namespace MetaJit.Lox.Runtime;

/// <summary>
/// The storage of one global variable. The compiler puts the cell itself in the constant table where clox
/// puts the variable's name (one constant per mention, as clox counts them), so a global access in a trace
/// is a field read of a constant object instead of a hash lookup. <see cref="Value"/> is null while the
/// global is undefined.
/// </summary>
public sealed class GlobalCell
{
    /// <summary>A cell for the (interned) <paramref name="name"/>, undefined.</summary>
    public GlobalCell(string name) => Name = name;

    /// <summary>The variable's name, for error messages.</summary>
    public readonly string Name;

    /// <summary>The value, or null when the variable is not defined.</summary>
    public object? Value;
}
