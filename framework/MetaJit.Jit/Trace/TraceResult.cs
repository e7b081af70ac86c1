namespace MetaJit.Engine.Trace;

/// <summary>How a run of a trace ended.</summary>
public enum TraceExitKind
{
    /// <summary>A <c>finish</c> was reached; <see cref="TraceResult.Values"/> holds its value (if any).</summary>
    Finish,
    /// <summary>A guard failed; <see cref="TraceResult.Values"/> holds its fail args.</summary>
    GuardFailed,
    /// <summary>A <c>jump</c> to a label outside the trace; <see cref="TraceResult.Values"/> holds the jump args.</summary>
    Jump,
    /// <summary>The iteration cap was reached (the loop did not exit).</summary>
    IterationLimit,
}

/// <summary>
/// The outcome of running a trace on the <see cref="TraceInterpreter"/>. Values are boxed: long for Int,
/// double for Float, the object (or null) for Ref.
/// </summary>
/// <example><code>var r = new TraceInterpreter().Run(trace, 1L); if (r.Kind == TraceExitKind.GuardFailed) Console.WriteLine(r.Guard);</code></example>
public sealed class TraceResult
{
    /// <summary>How the run ended.</summary>
    public required TraceExitKind Kind { get; init; }

    /// <summary>The guard that failed (for <see cref="TraceExitKind.GuardFailed"/>).</summary>
    public ResOperation? Guard { get; init; }

    /// <summary>The index of the guard that failed, or -1.</summary>
    public int GuardIndex => Guard?.GuardIndex ?? -1;

    /// <summary>Fail args, the finish value, or the jump args.</summary>
    public required object?[] Values { get; init; }

    /// <summary>The exception a failing exception guard saw (null when no exception was raised).</summary>
    public Exception? Exception { get; init; }

    /// <summary>The label a <see cref="TraceExitKind.Jump"/> goes to.</summary>
    public TargetToken? JumpTarget { get; init; }

    /// <summary>The finish op's descr, for <see cref="TraceExitKind.Finish"/>.</summary>
    public Descriptors.Descr? FinishDescr { get; init; }

    /// <inheritdoc/>
    public override string ToString() =>
        $"{Kind}{(Guard != null ? " guard " + GuardIndex : "")} [{string.Join(", ", Values.Select(v => v ?? "null"))}]" +
        (Exception != null ? " exception " + Exception.GetType().Name : "");
}
