namespace MetaJit.Lox.Runtime;

/// <summary>
/// The storage of one global variable. The compiler puts the cell itself in the constant table where clox
/// puts the variable's name (one constant per mention, as clox counts them), so a global access in a trace
/// is a field read of a constant object instead of a hash lookup. <see cref="Value"/> is null while the
/// global is undefined.
/// <para>
/// Most globals are written once (a function, a class, a setting) and read in every call. While that holds,
/// the value lives in a quasi-immutable field: a trace reads it as a constant (with
/// <c>guard_not_invalidated</c>), so calling a global function costs no load and no guard on what it is.
/// The second write (an assignment, or a redefinition) moves the variable to a plain field for good: one
/// invalidation per variable at most, never one per write. PyPy's module dictionaries do the same.
/// </para>
/// </summary>
public sealed class GlobalCell
{
    /// <summary>A cell for the (interned) <paramref name="name"/>, undefined.</summary>
    public GlobalCell(string name) => Name = name;

    /// <summary>The variable's name, for error messages.</summary>
    public readonly string Name;

    // The value while the variable was written at most once; null once it varies.
    [QuasiImmutable]
    private object? _constant;

    // Set by the second write: from then on the value lives in _value.
    [QuasiImmutable]
    private bool _varies;

    private object? _value;

    /// <summary>The value, or null when the variable is not defined.</summary>
    public object? Value => _varies ? _value : _constant;

    /// <summary>Defines or assigns the variable.</summary>
    public void Set(object value)
    {
        if (_varies) _value = value;
        else if (_constant == null) _constant = value;
        else
        {
            _value = value;
            _varies = true;
            _constant = null;
        }
    }
}
