using MetaJit.Engine.Execution;
using MetaJit.Engine.Resume;
using MetaJit.Engine.Trace;

namespace MetaJit.Engine.Tracing;

/// <summary>
/// A JitFrame the tracer is running, with the trace value ("box") of each register beside its real value.
/// A null box marks a register the trace never defined (dead at the start of the trace).
/// </summary>
internal sealed class TraceFrame
{
    public TraceFrame(JitFrame frame, TraceFrame? parent)
    {
        Frame = frame;
        Parent = parent;
        BI = new Value?[frame.I.Length];
        BF = new Value?[frame.F.Length];
        BR = new Value?[frame.R.Length];
    }

    public readonly JitFrame Frame;
    public readonly TraceFrame? Parent;
    public readonly Value?[] BI;
    public readonly Value?[] BF;
    public readonly Value?[] BR;

    /// <summary>Ops recorded while this frame or its callees ran (to blame the longest inlined function).</summary>
    public int OpsRecorded;

    /// <summary>An inlined call of the portal (a recursive interpreter) that has not reached its first merge
    /// point yet: until then the tracer may still undo the inlining (see TracerPortalCalls.cs).</summary>
    public bool AtPortalEntry;

    /// <summary>A portal frame passed its CanEnterJit since its last merge point: the next merge point is a loop
    /// header reached by a backward jump (or the function's entry, right after its CanEnterJit).</summary>
    public bool PassedCanEnterJit;

    /// <summary>For a portal call: the number of trace ops when it was entered (where an undo cuts the trace).</summary>
    public int OpsAtEntry;

    /// <summary>For an inlined portal call: the cell of its first merge point (the callee's green key), which is
    /// what recursion is detected on and what a too-long trace blames.</summary>
    public Runtime.JitCell? EntryCell;

    /// <summary>Resume frames of the callers (bottom first) and the fail args and constants they use, computed
    /// once for all guards recorded in this frame: callers do not change while their callee runs.</summary>
    public ResumeFrame[]? CallerFrames;
    public List<Value>? CallerFailArgs;
    public List<Const>? CallerConsts;
}
