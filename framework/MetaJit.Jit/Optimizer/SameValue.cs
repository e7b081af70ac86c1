using MetaJit.Engine.Trace;

namespace MetaJit.Engine.Optimizer;

/// <summary>
/// When two trace values are the same value: constants by content (two <see cref="ConstPtr"/>s made for one
/// object are one object), every other value by identity. The heap cache keys its maps with it, so a field of a
/// constant object (a global variable's cell, say) read twice through two constants is read once.
/// </summary>
internal sealed class SameValue : IEqualityComparer<Value>
{
    /// <summary>The comparer.</summary>
    public static readonly SameValue Instance = new();

    /// <summary>True when <paramref name="a"/> and <paramref name="b"/> are the same value.</summary>
    public static bool Same(Value a, Value b) => a is Const ? a.Equals(b) : ReferenceEquals(a, b);

    /// <inheritdoc/>
    public bool Equals(Value? x, Value? y) => x is null ? y is null : y is not null && Same(x, y);

    /// <inheritdoc/>
    public int GetHashCode(Value v) => v is Const ? v.GetHashCode() : System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(v);
}
