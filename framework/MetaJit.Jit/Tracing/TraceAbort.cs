namespace MetaJit.Engine.Tracing;

/// <summary>
/// Thrown inside the tracer to stop recording (rare, so an exception is fine here). The real state of the
/// interpreter is intact in the JitFrames: the pipeline hands them to the blackhole, which continues.
/// <see cref="PendingException"/> is an exception the interpreter raised at the top frame's pc that the
/// blackhole must now handle.
/// </summary>
internal sealed class TraceAbort : Exception
{
    public TraceAbort(string reason, Exception? pending = null) : base(reason)
    {
        Reason = reason;
        PendingException = pending;
    }

    /// <summary>A short reason, used as the statistics key ("trace too long", ...).</summary>
    public string Reason { get; }

    /// <summary>An exception raised by the instruction at the top frame's pc, not yet handled.</summary>
    public Exception? PendingException { get; }

    /// <summary>Tracing from the same place again would abort the same way (nothing was changed that could
    /// make the next trace different), so the place is not traced again.</summary>
    public bool Final { get; init; }

    /// <summary>Nothing is wrong with tracing from here: another loop must be compiled first. Not counted
    /// against the start (see <c>JitCell.Aborts</c>).</summary>
    public bool Retry { get; init; }

    /// <summary>For <see cref="Retry"/>: the loop to be compiled first (a bridge retries as soon as it is).</summary>
    public Runtime.JitCell? WaitsFor { get; init; }
}
