namespace MetaJit.Engine.Descriptors;

/// <summary>
/// What a residual call may do, as far as the optimizer is concerned (RPython's effectinfo). The default,
/// <see cref="Anything"/>, is what an opaque call gets: it may raise, read and write any field or array.
/// </summary>
public sealed class EffectInfo
{
    /// <summary>An opaque call: may raise and may write anything.</summary>
    public static readonly EffectInfo Anything = new();

    /// <summary>A pure call that cannot raise (e.g. <c>Math.Sqrt</c>).</summary>
    public static readonly EffectInfo PureCannotRaise = new() { IsElidable = true, CanRaise = false, WritesAnything = false, CanInvalidate = false, ReadsHeap = false };

    /// <summary>Result depends only on the arguments: fold with constant arguments, CSE (<c>call_pure</c>).</summary>
    public bool IsElidable { get; init; }

    /// <summary>Result constant during one loop run (<c>[LoopInvariant]</c>).</summary>
    public bool IsLoopInvariant { get; init; }

    /// <summary>May throw (so the trace needs <c>guard_no_exception</c> after it).</summary>
    public bool CanRaise { get; init; } = true;

    /// <summary>May write any field or array; when false, only <see cref="WrittenFields"/> and <see cref="WrittenArrays"/>.</summary>
    public bool WritesAnything { get; init; } = true;

    /// <summary>Fields the call may write (meaningful when <see cref="WritesAnything"/> is false).</summary>
    public IReadOnlySet<FieldDescr> WrittenFields { get; init; } = new HashSet<FieldDescr>();

    /// <summary>Array types whose items the call may write (meaningful when <see cref="WritesAnything"/> is false).</summary>
    public IReadOnlySet<ArrayDescr> WrittenArrays { get; init; } = new HashSet<ArrayDescr>();

    /// <summary>May read fields or array items it was not given (false for calls that only look at their
    /// arguments' immutable contents, such as string and math helpers). Virtualizable fields are written back
    /// before a call that may read them.</summary>
    public bool ReadsHeap { get; init; } = true;

    /// <summary>May write a <c>[QuasiImmutable]</c> field, invalidating compiled code.</summary>
    public bool CanInvalidate { get; init; } = true;

    /// <summary>True when the call may write <paramref name="field"/>.</summary>
    public bool MayWrite(FieldDescr field) => WritesAnything || WrittenFields.Contains(field);

    /// <summary>True when the call may write items of arrays of <paramref name="array"/>'s type.</summary>
    public bool MayWrite(ArrayDescr array) => WritesAnything || WrittenArrays.Contains(array);

    /// <inheritdoc/>
    public override string ToString()
    {
        if (IsElidable) return CanRaise ? "elidable" : "elidable,cannot_raise";
        if (IsLoopInvariant) return "loopinvariant";
        if (WritesAnything) return CanRaise ? "anything" : "anything,cannot_raise";
        return $"writes[{string.Join(",", WrittenFields.Select(f => f.Name).Concat(WrittenArrays.Select(a => a.Name)))}]" + (CanRaise ? "" : ",cannot_raise");
    }
}
