namespace MetaJit.Engine.Resume;

/// <summary>
/// What the optimizer knew about one fail arg when its guard was reached (RPython's bridgeopt): the exact
/// class, non-nullness, and the integer range. Facts the failing guard itself would have taught are not
/// included, so they hold on the failure path; a bridge from the guard starts from them instead of
/// re-checking (a repeated <c>guard_class</c>, a bounds check already proven in the loop).
/// </summary>
/// <param name="Class">The exact class of a Ref fail arg, or null when unknown.</param>
/// <param name="NonNull">True when a Ref fail arg is known not to be null.</param>
/// <param name="Lo">The smallest value an Int fail arg can have.</param>
/// <param name="Hi">The largest value an Int fail arg can have.</param>
public readonly record struct FailArgKnowledge(Type? Class, bool NonNull, long Lo = long.MinValue, long Hi = long.MaxValue)
{
    /// <summary>Nothing known (note: <c>default</c> is not this, its range is [0, 0]).</summary>
    public static readonly FailArgKnowledge Unknown = new(null, false);

    /// <summary>True when nothing is known.</summary>
    public bool IsEmpty => Class == null && !NonNull && Lo == long.MinValue && Hi == long.MaxValue;
}
