using MetaJit.Engine.Trace;

namespace MetaJit.Engine.Backend;

/// <summary>
/// Runs compiled code the way the engine does: run a trace; when a guard fails and has a bridge, run the
/// bridge on the same frame (it holds the fail args); when a trace jumps to a label of a compiled loop, go
/// on there. Returns when <c>finish</c> runs or a guard without a bridge fails. Backend-independent.
/// </summary>
/// <example><code>
/// var outcome = CompiledLoopRunner.Run(loop, DeadFrame.For(loop, 0L));
/// if (outcome.Kind == TraceExitKind.GuardFailed) resume(outcome.Guard, outcome.Values);
/// </code></example>
public static class CompiledLoopRunner
{
    /// <summary>
    /// Runs <paramref name="trace"/> from <paramref name="entry"/> with the inputs in <paramref name="frame"/>. With
    /// <paramref name="trees"/>, trees that become hot on the way are compiled between two traces.
    /// </summary>
    public static RunOutcome Run(ICompiledTrace trace, DeadFrame frame, int entry = 0, IHotTreeCompiler? trees = null) =>
        After(trace, frame, Enter(trace, frame, entry), trees);

    /// <summary>Runs <paramref name="trace"/> once from <paramref name="entry"/> on <paramref name="frame"/> (sized for
    /// it, no exception pending) and returns its exit code, without following bridges or jumps.</summary>
    public static int Enter(ICompiledTrace trace, DeadFrame frame, int entry)
    {
        var (ni, nf, nr) = trace.FrameSize;
        frame.EnsureCapacity(ni, nf, nr);
        frame.Exception = null;
        return trace.Execute(frame, entry);
    }

    /// <summary>
    /// Goes on from <paramref name="trace"/> having returned <paramref name="code"/> on <paramref name="frame"/>, as
    /// <see cref="Run"/> does. For a caller that ran the trace itself to return early from a plain finish (a
    /// call_assembler, run at every call of a recursive program).
    /// </summary>
    public static RunOutcome After(ICompiledTrace trace, DeadFrame frame, int code, IHotTreeCompiler? trees = null)
    {
        while (true)
        {
            if (frame.ExitOwner != null)
            {
                trace = frame.ExitOwner;
                frame.ExitOwner = null;
            }
            if (code == ExitCodes.Finish) return new RunOutcome(TraceExitKind.Finish, trace, -1, frame);
            int entry;
            if (code == ExitCodes.Jump)
            {
                var target = frame.JumpTarget!;
                trace = target.CompiledTrace ?? throw new InvalidOperationException($"Jump to label {target.Name}, which is not compiled.");
                entry = target.EntryIndex;
                frame.JumpTarget = null;
            }
            else
            {
                var bridge = trace.GetBridge(code);
                if (bridge == null) return new RunOutcome(TraceExitKind.GuardFailed, trace, code, frame);
                if (trees != null && trees.HasHotTrees) trees.CompileHotTrees(); // taking bridges is what heats a tree
                trace = bridge;
                entry = 0;
            }
            code = Enter(trace, frame, entry);
        }
    }
}

/// <summary>How a run of compiled code ended: finish, or a guard without a bridge failed (a struct: a recursive
/// interpreter enters compiled code at every call).</summary>
public readonly struct RunOutcome(TraceExitKind kind, ICompiledTrace trace, int guardIndex, DeadFrame frame)
{
    /// <summary><see cref="TraceExitKind.Finish"/> or <see cref="TraceExitKind.GuardFailed"/>.</summary>
    public TraceExitKind Kind { get; } = kind;
    /// <summary>The trace that finished or whose guard failed.</summary>
    public ICompiledTrace Trace { get; } = trace;
    /// <summary>The failing guard's index in <see cref="Trace"/>, or -1.</summary>
    public int GuardIndex { get; } = guardIndex;
    /// <summary>The failing guard, or null.</summary>
    public ResOperation? Guard => GuardIndex >= 0 ? Trace.Trace.Guards[GuardIndex] : null;
    /// <summary>The frame holding the fail args or the finish value.</summary>
    public DeadFrame Frame { get; } = frame;

    /// <summary>The fail args (guard failure) or finish value (a one-element array, empty when finish has no value), boxed.</summary>
    public object?[] Values
    {
        get
        {
            if (Guard != null) return Frame.Read(Guard.FailArgs!);
            var finish = Trace.Trace.Operations.LastOrDefault(o => o.Num == OpNum.Finish);
            return finish == null ? [] : Frame.Read(finish.Args);
        }
    }
}
