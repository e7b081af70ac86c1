using MetaJit.Engine.Descriptors;

namespace MetaJit.Engine.Execution;

/// <summary>How a blackhole run ended: the bottom frame returned (with its value), or it reached a merge
/// point (the frame, stopped at the <c>jit_merge_point</c>, holds the greens and reds).</summary>
public readonly record struct BlackholeResult(bool HasReturned, ValueKind Kind, long Int, double Float, object? Ref, JitFrame? Frame)
{
    /// <summary>The bottom frame returned.</summary>
    public static BlackholeResult Returned(ValueKind kind, long i, double f, object? r) => new(true, kind, i, f, r, null);

    /// <summary>The bottom frame reached a merge point.</summary>
    public static BlackholeResult AtMergePoint(JitFrame frame) => new(false, ValueKind.Void, 0, 0, null, frame);
}
