using MetaJit.Engine.Execution;
using MetaJit.Engine.Trace;

namespace MetaJit.Engine.Tracing;

/// <summary>How tracing ended.</summary>
internal enum TraceEnd
{
    /// <summary>Reached the start's merge point again: a loop (ends in a jump to its own label).</summary>
    ClosedLoop,
    /// <summary>Reached the merge point of another compiled loop: ends in a jump to its label.</summary>
    JumpsToLoop,
    /// <summary>The portal returned (the bottom frame's return): ends in finish(result).</summary>
    Finished,
    /// <summary>Stopped; the frames continue on the blackhole.</summary>
    Aborted,
}

/// <summary>The tracer's result: the recorded trace (unless aborted) and where the real execution stands.</summary>
internal sealed record TraceOutcome(TraceEnd End, TreeLoop? Trace, TargetToken? JumpTarget, JitFrame Top, string? AbortReason, Exception? PendingException)
{
    /// <summary>For an abort: retrying from the same place cannot help (see <see cref="TraceAbort.Final"/>).</summary>
    public bool AbortIsFinal { get; init; }

    /// <summary>For an abort: see <see cref="TraceAbort.Retry"/>.</summary>
    public bool AbortIsRetry { get; init; }

    /// <summary>For an abort: see <see cref="TraceAbort.WaitsFor"/>.</summary>
    public Runtime.JitCell? AbortWaitsFor { get; init; }

    /// <summary>For <see cref="TraceEnd.Finished"/>: what the portal returned (it did, for real, while tracing).</summary>
    public Runtime.PortalOutcome Returned { get; init; }
}
