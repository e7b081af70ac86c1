namespace MetaJit;

/// <summary>
/// Declares one dispatch loop of an interpreter to the JIT: which variables identify a position in
/// the user program (greens, constant within a trace) and which carry the rest of the live state (reds).
/// </summary>
/// <remarks>
/// Keep the driver in a <c>static readonly</c> field; the toolchain finds the portal (the method whose loop
/// calls <see cref="JitMergePoint{T1}"/>) through that field.
/// <code>
/// static readonly JitDriver Driver = new(greens: new[] { "pc", "program" }, reds: new[] { "tape", "pos" });
/// while (true)
/// {
///     Driver.JitMergePoint(pc, program, tape, pos);
///     ...
///     // backward jump:
///     pc = target;
///     if (Driver.CanEnterJit(ref pc, ref program, ref tape, ref pos, out int result)) return result;
///     continue;
/// }
/// </code>
/// With no engine attached (<see cref="JitRuntime.Engine"/> is null) <c>JitMergePoint</c> does nothing and
/// <c>CanEnterJit</c> returns false, so the interpreter runs as plain compiled .NET code.
/// </remarks>
public sealed partial class JitDriver
{
    private readonly string[] _greens;
    private readonly string[] _reds;
    private readonly Func<object?[], string>? _printableLocation;
    private object? _hook;

    /// <summary>Declares a driver.</summary>
    /// <param name="greens">Names of the green variables, in the order they are passed.</param>
    /// <param name="reds">Names of the red variables, passed after the greens.</param>
    /// <param name="printableLocation">Optional: turns the green values into a user-program location for logs
    /// (for example <c>"line 12: while"</c>). Called only when logging; may be an ordinary lambda because the
    /// JIT never looks inside it.</param>
    /// <param name="name">Optional name used in logs; defaults to <c>"jitdriver"</c>.</param>
    /// <exception cref="ArgumentException">No greens, a duplicate name, or an empty name.</exception>
    public JitDriver(string[] greens, string[] reds, Func<object?[], string>? printableLocation = null, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(greens);
        ArgumentNullException.ThrowIfNull(reds);
        if (greens.Length == 0) throw new ArgumentException("A JitDriver needs at least one green variable.", nameof(greens));
        var all = new HashSet<string>();
        foreach (var v in greens.Concat(reds))
        {
            if (string.IsNullOrWhiteSpace(v)) throw new ArgumentException("Green and red names must not be empty.");
            if (!all.Add(v)) throw new ArgumentException($"Variable '{v}' is declared twice in the JitDriver.");
        }
        if (greens.Length + reds.Length > MaxValues)
            throw new ArgumentException($"A JitDriver takes at most {MaxValues} greens and reds together.");
        _greens = (string[])greens.Clone();
        _reds = (string[])reds.Clone();
        _arity = _greens.Length + _reds.Length;
        _printableLocation = printableLocation;
        Name = name ?? "jitdriver";
    }

    /// <summary>The most greens plus reds a driver may declare (the arities of the merge-point overloads).</summary>
    public const int MaxValues = 8;

    /// <summary>The driver's name in logs.</summary>
    public string Name { get; }

    /// <summary>The green variable names, in order.</summary>
    public IReadOnlyList<string> Greens => _greens;

    /// <summary>The red variable names, in order.</summary>
    public IReadOnlyList<string> Reds => _reds;

    /// <summary>True when a printable-location callback was given.</summary>
    public bool HasPrintableLocation => _printableLocation != null;

    /// <summary>The user-program location for these green values, for logs.</summary>
    public string GetPrintableLocation(object?[] greens)
    {
        if (_printableLocation == null) return string.Join(", ", greens.Select(g => g?.ToString() ?? "null"));
        return _printableLocation(greens);
    }

    /// <summary>Forgets the engine hook, so the next <c>CanEnterJit</c> asks the attached engine again.</summary>
    public void ResetHook() => _hook = null;

    private readonly int _arity;

    // Runs at every merge point of the native interpreter (every instruction): a compare the JIT inlines, the
    // message built only on failure.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private void CheckArity(int count)
    {
        if (count != _arity) ThrowArity(count);
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private void ThrowArity(int count) =>
        throw new InvalidOperationException(
            $"JitDriver '{Name}' declares {_greens.Length} greens and {_reds.Length} reds, but {count} values were passed.");

    /// <inheritdoc/>
    public override string ToString() => $"JitDriver {Name}(greens: {string.Join(", ", _greens)}; reds: {string.Join(", ", _reds)})";
}
