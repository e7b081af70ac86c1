using MetaJit.Engine.Descriptors;
using MetaJit.Engine.Execution;
using MetaJit.Engine.JitCodes;
using MetaJit.Engine.Resume;
using MetaJit.Engine.Runtime;
using MetaJit.Engine.Trace;

namespace MetaJit.Engine.Tracing;

/// <summary>
/// The meta-tracer: runs the interpreter's JitCodes for real, exactly as the blackhole does, and records what
/// the interpreter did to the user program's values as trace operations. Greens are constants; everything
/// computed only from constants is folded at trace time, so the interpreter's dispatch disappears and what
/// remains is the user program's work plus guards.
///
/// In: the portal frame at a merge point (a loop) or frames rebuilt from a guard (a bridge).
/// Out: a <see cref="TraceOutcome"/>: a trace ending in a jump, or an abort with the real state in the frames.
/// Files: this one (control: frames, merge points, guards and resume data, abort), <c>TracerOps.cs</c>
/// (arithmetic, references), <c>TracerMemory.cs</c> (fields, arrays), <c>TracerCalls.cs</c> (calls, returns,
/// hints), <c>TracerExceptions.cs</c> (raising inside the trace: handlers found in the traced frames),
/// <c>TracerVirtualizable.cs</c> (the virtualizable frame: its fields as input args and box moves, write-backs,
/// pending writes).
/// </summary>
internal sealed partial class Tracer
{
    private readonly JitEngine _engine;
    private readonly PortalRuntime _portal;
    private readonly List<ResOperation> _ops = new();
    private readonly HashSet<Value> _nonNull = new(ReferenceEqualityComparer.Instance);
    private readonly TraceHeapCache _heap = new();
    private readonly HashSet<object> _immutableArrays = new(ReferenceEqualityComparer.Instance);
    private readonly int _limit;
    private readonly CallScratch _scratch = new();
    private readonly LoopDependency _dependency;
    private TraceFrame _top = null!;
    private JitCell? _startCell;
    /// <summary>The trace passed the merge point of another loop that is counting or compiled.</summary>
    private bool _crossedOtherLoop;
    /// <summary>The cells of the bottom frame's merge points passed so far (a second visit means a loop).</summary>
    private readonly HashSet<JitCell> _seenMergePoints = new(ReferenceEqualityComparer.Instance);

    /// <param name="engine">The engine.</param>
    /// <param name="portal">The portal traced.</param>
    /// <param name="dependency">Where quasi-immutable reads folded by this trace are registered (the loop's).</param>
    public Tracer(JitEngine engine, PortalRuntime portal, LoopDependency dependency)
    {
        _engine = engine;
        _portal = portal;
        _dependency = dependency;
        _limit = JitParams.GetInt("trace_limit");
        _vinfo = portal.Vable;
    }

    /// <summary>Number of operations recorded so far.</summary>
    public int OpsRecorded => _ops.Count;

    /// <summary>Traces a loop starting at the merge point where <paramref name="frame"/> stands.</summary>
    public TraceOutcome TraceLoop(JitCell cell, JitFrame frame, TargetToken token)
    {
        _startCell = cell;
        _top = new TraceFrame(frame, null);
        var inputs = new List<InputArg>();
        var mergeArgs = _portal.MergePointRegs;
        for (int k = 0; k < mergeArgs.Length; k++)
        {
            var reg = Reg.Decode(mergeArgs[k]);
            if (k < _portal.GreenCount)
            {
                SetBox(_top, reg, ConstOf(_top.Frame, reg));
            }
            else
            {
                var input = new InputArg(reg.Kind);
                inputs.Add(input);
                SetBox(_top, reg, input);
            }
        }
        if (_vinfo != null)
        {
            var vableReg = Reg.Decode(mergeArgs[_portal.GreenCount + _vinfo.RedIndex]);
            if (!StartVable(frame.R[vableReg.Index], inputs[_vinfo.RedIndex], inputs))
                return new TraceOutcome(TraceEnd.Aborted, null, null, frame, "virtualizable red is null", null);
        }
        Record(OpNum.Label, inputs.ToArray<Value>(), token);
        return Run(inputs, token);
    }

    /// <summary>Traces a bridge from frames rebuilt from a failing guard, whose registers hold <paramref name="boxes"/>.</summary>
    /// <remarks><paramref name="loopCell"/>: the cell of the loop the guard belongs to, if known (a recursive call
    /// into it is not inlined). <paramref name="builtVirtuals"/>: the objects resume built for the guard's virtuals.</remarks>
    public TraceOutcome TraceBridge(JitFrame top, Func<JitFrame, Reg, Value?> boxes, List<InputArg> inputs, ResumeData data, object? vable,
        JitCell? loopCell, IEnumerable<object?> builtVirtuals)
    {
        _startCell = loopCell;
        _bridgeStartDepths = new Dictionary<JitCell, int>(ReferenceEqualityComparer.Instance);
        if (loopCell != null) _bridgeStartDepths[loopCell] = 1; // the bottom frame is the loop's
        // Rebuild trace frames bottom-up over the real frames.
        var chain = new List<JitFrame>();
        for (var f = top; f != null; f = f.Parent) chain.Add(f);
        chain.Reverse();
        if (data.Virtuals != null)
            foreach (var slot in data.Virtuals.Keys) _virtualAtStart.Add(inputs[slot]);
        foreach (var obj in builtVirtuals)
            if (obj != null) _freshObjects.Add(obj);
        TraceFrame? parent = null;
        for (int n = 0; n < chain.Count; n++)
        {
            var f = chain[n];
            var tf = new TraceFrame(f, parent);
            if (chain.Count == data.Frames.Length) tf.EntryCell = data.Frames[n].EntryCell;
            if (tf.EntryCell != null) _bridgeStartDepths[tf.EntryCell] = _bridgeStartDepths.GetValueOrDefault(tf.EntryCell) + 1;
            for (int i = 0; i < f.I.Length; i++) tf.BI[i] = boxes(f, Reg.I(i));
            for (int i = 0; i < f.F.Length; i++) tf.BF[i] = boxes(f, Reg.F(i));
            for (int i = 0; i < f.R.Length; i++) tf.BR[i] = boxes(f, Reg.R(i));
            parent = tf;
        }
        _top = parent!;
        if (_vinfo != null && !StartVableFromGuard(data, vable, inputs))
            return new TraceOutcome(TraceEnd.Aborted, null, null, top, "no virtualizable at the guard", null);
        return Run(inputs, null);
    }

    private TraceOutcome Run(List<InputArg> inputs, TargetToken? ownToken)
    {
        try
        {
            bool first = true;
            while (true)
            {
                // The limit is checked between instructions only: an instruction has already run for real when it
                // records (a residual call, the write-back after it), and an abort in its middle would make the
                // blackhole run it a second time.
                if (_ops.Count >= _limit) throw TooLong();
                var end = Step(ref first, ownToken);
                if (end != null) return end with { Trace = end.Trace ?? new TreeLoop(inputs, _ops, ownToken?.Name ?? "bridge") };
            }
        }
        catch (TraceAbort abort)
        {
            return new TraceOutcome(TraceEnd.Aborted, null, null, _top.Frame, abort.Reason, abort.PendingException) { AbortIsFinal = abort.Final, AbortIsRetry = abort.Retry, AbortWaitsFor = abort.WaitsFor };
        }
    }

    // ---------------------------------------------------------------- recording helpers

    private ResOperation Record(OpNum op, Value[] args, Descr? descr = null)
    {
        var res = new ResOperation(op, args, descr);
        _ops.Add(res);
        for (var f = _top; f != null; f = f.Parent) f.OpsRecorded++;
        _heap.Recorded(res);
        return res;
    }

    private TraceAbort TooLong()
    {
        // Blame what recorded the most, so the next trace calls it instead (as RPython's find_biggest_function):
        // a user function (an inlined portal call, by its entry key) counting its calls that returned too, so
        // recursion unrolled call after call is seen as one culprit; else the interpreter helper running in the
        // innermost portal invocation. Only when it recorded a good part of the trace: when the length comes from
        // the portal's own loop (a long path through the user program), what happens to be running is not the
        // cause, and making it residual would slow down every later trace.
        var (cell, cellOps) = BiggestPortalCall();
        TraceFrame? helper = null;
        for (var f = _top; f.Parent != null && !IsPortal(f.Frame.Code); f = f.Parent)
            if (helper == null || f.OpsRecorded > helper.OpsRecorded) helper = f;
        if (cell != null && cellOps * 4 >= _ops.Count && (helper == null || cellOps >= helper.OpsRecorded))
        {
            cell.DontInline = true;
            _engine.Log($"trace too long: calls entering {Location(cell)} will not be inlined any more");
            return new TraceAbort("trace too long");
        }
        if (helper != null && helper.OpsRecorded * 4 >= _ops.Count)
        {
            _engine.NotInlined.Add(helper.Frame.Code);
            _engine.Log($"trace too long: {helper.Frame.Code.Name} will not be inlined any more");
            return new TraceAbort("trace too long");
        }
        // Nothing to blame. If the trace crossed no other loop header that may get compiled (and then end the
        // next trace early, at its label), the next trace from here would be as long: don't trace here again.
        return new TraceAbort("trace too long") { Final = !_crossedOtherLoop };
    }

    /// <summary>Ops recorded by inlined portal calls that returned, per entry key, outermost calls of a key only
    /// (an inner call of the same key is part of its outer call's count).</summary>
    private readonly Dictionary<JitCell, int> _returnedPortalCalls = new(ReferenceEqualityComparer.Instance);

    /// <summary>Counts an inlined portal call that is leaving the trace's frames (returning or unwound).</summary>
    private void CountReturnedCall(TraceFrame frame)
    {
        if (frame.EntryCell is not { } cell || !IsOutermostCall(frame)) return;
        _returnedPortalCalls[cell] = _returnedPortalCalls.GetValueOrDefault(cell) + frame.OpsRecorded;
    }

    /// <summary>No caller of <paramref name="frame"/> but the trace's bottom frame (which is never blamed) is a
    /// call of the same key.</summary>
    private static bool IsOutermostCall(TraceFrame frame)
    {
        if (frame.Parent == null) return false;
        for (var f = frame.Parent; f.Parent != null; f = f.Parent)
            if (ReferenceEquals(f.EntryCell, frame.EntryCell)) return false;
        return true;
    }

    /// <summary>The entry key whose inlined calls (returned and running) recorded the most ops, not already
    /// barred from inlining; null when the trace inlined no portal call.</summary>
    private (JitCell? Cell, int Ops) BiggestPortalCall()
    {
        var totals = new Dictionary<JitCell, int>(_returnedPortalCalls, ReferenceEqualityComparer.Instance);
        for (var f = _top; f.Parent != null; f = f.Parent)
            if (f.EntryCell is { } cell && IsOutermostCall(f)) totals[cell] = totals.GetValueOrDefault(cell) + f.OpsRecorded;
        JitCell? best = null;
        int most = 0;
        foreach (var (cell, ops) in totals)
            if (!cell.DontInline && ops > most) (best, most) = (cell, ops);
        return (best, most);
    }

    /// <summary>Records a guard whose failure resumes at the top frame's current pc. <paramref name="callResult"/>:
    /// for guard_exception, the call's result (kept as a fail arg for when the call returns instead).</summary>
    private ResOperation Guard(OpNum op, Value[] args, Descr? descr = null, bool exceptionPending = false, Value? callResult = null)
    {
        var failArgs = new List<Value>();
        var consts = new List<Const>();
        var frames = new List<ResumeFrame>();
        if (_top.CallerFrames == null) ComputeCallerFrames(_top);
        frames.AddRange(_top.CallerFrames!);
        failArgs.AddRange(_top.CallerFailArgs!);
        consts.AddRange(_top.CallerConsts!);
        frames.Add(Snapshot(_top, failArgs, consts));
        int? resultSlot = null;
        if (callResult != null)
        {
            resultSlot = failArgs.FindIndex(v => ReferenceEquals(v, callResult));
            if (resultSlot < 0)
            {
                failArgs.Add(callResult);
                resultSlot = failArgs.Count - 1;
            }
        }
        var (writes, vableSlot) = VableResume(failArgs, consts);
        var guard = new ResOperation(op, args, descr, failArgs.ToArray())
        {
            ResumeData = new ResumeData(frames.ToArray(), consts.ToArray(), exceptionPending) { CallResultSlot = resultSlot, Writes = writes, VableSlot = vableSlot },
        };
        _ops.Add(guard);
        for (var f = _top; f != null; f = f.Parent) f.OpsRecorded++;
        if (op == OpNum.GuardValue && args[0] is not Const && args[1] is Const promoted) _heap.Replace(args[0], promoted);
        return guard;
    }

    private static void ComputeCallerFrames(TraceFrame tf)
    {
        if (tf.Parent == null)
        {
            tf.CallerFrames = Array.Empty<ResumeFrame>();
            tf.CallerFailArgs = new List<Value>();
            tf.CallerConsts = new List<Const>();
            return;
        }
        var parent = tf.Parent;
        if (parent.CallerFrames == null) ComputeCallerFrames(parent);
        var failArgs = new List<Value>(parent.CallerFailArgs!);
        var consts = new List<Const>(parent.CallerConsts!);
        var frames = new List<ResumeFrame>(parent.CallerFrames!) { Snapshot(parent, failArgs, consts) };
        tf.CallerFrames = frames.ToArray();
        tf.CallerFailArgs = failArgs;
        tf.CallerConsts = consts;
    }

    /// <summary>The resume frame of <paramref name="tf"/> at its current pc: its live registers, mapped to fail
    /// args (appended when new) or constants.</summary>
    private static ResumeFrame Snapshot(TraceFrame tf, List<Value> failArgs, List<Const> consts)
    {
        var f = tf.Frame;
        var regs = new List<int>();
        var slots = new List<int>();
        var live = f.Code.Liveness?[f.Pc];
        void Add(Reg reg, Value? box)
        {
            box ??= ConstOf(f, reg); // not defined by the trace: dead by liveness, keep its value anyway
            regs.Add(reg.Encode());
            slots.Add(SlotFor(box, failArgs, consts));
        }
        if (live != null)
        {
            foreach (var r in live.Ints) Add(Reg.I(r), tf.BI[r]);
            foreach (var r in live.Floats) Add(Reg.F(r), tf.BF[r]);
            foreach (var r in live.Refs) Add(Reg.R(r), tf.BR[r]);
        }
        else
        {
            for (int r = 0; r < tf.BI.Length; r++) if (tf.BI[r] != null) Add(Reg.I(r), tf.BI[r]);
            for (int r = 0; r < tf.BF.Length; r++) if (tf.BF[r] != null) Add(Reg.F(r), tf.BF[r]);
            for (int r = 0; r < tf.BR.Length; r++) if (tf.BR[r] != null) Add(Reg.R(r), tf.BR[r]);
        }
        return new ResumeFrame(f.Code, f.Pc, regs.ToArray(), slots.ToArray()) { EntryCell = tf.EntryCell };
    }

    /// <summary>The resume slot of <paramref name="box"/>: a fail-arg index (appended when new) or -(c+1) for a constant.</summary>
    private static int SlotFor(Value box, List<Value> failArgs, List<Const> consts)
    {
        if (box is Const c)
        {
            consts.Add(c);
            return -consts.Count;
        }
        int index = failArgs.FindIndex(v => ReferenceEquals(v, box));
        if (index < 0)
        {
            failArgs.Add(box);
            index = failArgs.Count - 1;
        }
        return index;
    }

    // ---------------------------------------------------------------- boxes

    private static Const ConstOf(JitFrame f, Reg reg) => reg.Kind switch
    {
        ValueKind.Int => new ConstInt(f.I[reg.Index]),
        ValueKind.Float => new ConstFloat(f.F[reg.Index]),
        _ => new ConstPtr(f.R[reg.Index]),
    };

    private static void SetBox(TraceFrame tf, Reg reg, Value box)
    {
        switch (reg.Kind)
        {
            case ValueKind.Int: tf.BI[reg.Index] = box; break;
            case ValueKind.Float: tf.BF[reg.Index] = box; break;
            default: tf.BR[reg.Index] = box; break;
        }
    }

    private static Value? GetBox(TraceFrame tf, Reg reg) => reg.Kind switch
    {
        ValueKind.Int => tf.BI[reg.Index],
        ValueKind.Float => tf.BF[reg.Index],
        _ => tf.BR[reg.Index],
    };

    private Value BI(int r) => _top.BI[r] ?? Dead(Reg.I(r));
    private Value BF(int r) => _top.BF[r] ?? Dead(Reg.F(r));
    private Value BR(int r) => _top.BR[r] ?? Dead(Reg.R(r));

    private Value Dead(Reg reg) =>
        throw new TraceAbort($"register {reg} read in {_top.Frame.Code.Name} at pc {_top.Frame.Pc} was not defined by the trace");

    private void SetI(int r, long value, Value box) { _top.Frame.I[r] = value; _top.BI[r] = box; }
    private void SetF(int r, double value, Value box) { _top.Frame.F[r] = value; _top.BF[r] = box; }
    private void SetR(int r, object? value, Value box) { _top.Frame.R[r] = value; _top.BR[r] = box; }

    private static ConstInt C(long v) => new(v);
    private static ConstFloat CF(double v) => new(v);
    private static ConstPtr CP(object? v) => v == null ? ConstPtr.Null : new ConstPtr(v);

    // ---------------------------------------------------------------- merge points

    /// <summary>The cell of the green key in the first registers of <paramref name="args"/> in frame <paramref name="f"/>.</summary>
    private JitCell CellOf(int[] args, JitFrame f) => _portal.CellAt(args, f);

    /// <summary>A CanEnterJit passed while tracing (it does nothing in a trace): its key is a loop header.</summary>
    private void MarkHeader(JitInsn insn)
    {
        if (!ReferenceEquals(insn.Descr, _portal.Portal)) return;
        CellOf(insn.Args!, _top.Frame).IsHeader = true;
        _top.PassedCanEnterJit = true;
    }

    /// <summary>At the bottom frame's merge point: close the loop, jump to another loop, or go on.</summary>
    private TraceOutcome? MergePoint(JitInsn insn, TargetToken? ownToken)
    {
        var f = _top.Frame;
        var args = insn.Args!;
        PromoteGreens(insn);
        var cell = CellOf(args, f);
        if (!ReferenceEquals(cell, _startCell) && (cell.Counter > 0 || cell.State != JitCellState.Counting)) _crossedOtherLoop = true;
        if (!ReferenceEquals(cell, _startCell) && cell.State == JitCellState.Counting && cell.IsHeader && !_seenMergePoints.Add(cell))
        {
            // The trace came round a loop that is not compiled (it started before the loop, e.g. at a function
            // entry): rather than unroll it, stop and let that loop be traced first, from its own header, the
            // next time it gets there; a later trace from here then ends by jumping into it. Only keys that
            // CanEnterJit counts are headers: a bridge that starts inside a loop's body passes its own first
            // merge points again before it reaches the header, and the interpreter would never trace from there.
            cell.TraceSoon = true;
            throw new TraceAbort("reached an uncompiled loop") { Retry = true, WaitsFor = cell };
        }
        var reds = new Value[args.Length - _portal.GreenCount];
        for (int k = _portal.GreenCount; k < args.Length; k++)
            reds[k - _portal.GreenCount] = GetBox(_top, Reg.Decode(args[k])) ?? Dead(Reg.Decode(args[k]));
        if (ownToken != null && ReferenceEquals(cell, _startCell))
        {
            Record(OpNum.Jump, WithVable(reds, args, _vableLengths), ownToken);
            return new TraceOutcome(TraceEnd.ClosedLoop, null, ownToken, f, null, null);
        }
        if (cell.State == JitCellState.Compiled && cell.CompiledLoop is LoopEntry entry)
        {
            Record(OpNum.Jump, WithVable(reds, args, entry.VableLengths), entry.Token);
            return new TraceOutcome(TraceEnd.JumpsToLoop, null, entry.Token, f, null, null);
        }
        Record(OpNum.DebugMergePoint, new Value[] { CP(Location(cell)) });
        return null;
    }

    /// <summary>Greens must be constants of the trace. One that is not (an interpreter that switches to the callee's
    /// code object read from a frame, a recursive portal call) is promoted here: guard_value, then a constant.</summary>
    private void PromoteGreens(JitInsn mergePoint)
    {
        var f = _top.Frame;
        var args = mergePoint.Args!;
        for (int k = 0; k < _portal.GreenCount; k++)
        {
            var reg = Reg.Decode(args[k]);
            var box = GetBox(_top, reg) ?? Dead(reg);
            if (box is Const) continue;
            var value = ConstOf(f, reg);
            Guard(OpNum.GuardValue, new[] { box, value });
            SetBox(_top, reg, value);
        }
    }

    /// <summary>The jump args at a closing merge point: the reds, then the vable's slots.</summary>
    private Value[] WithVable(Value[] reds, int[] mergeArgs, int[] targetLengths)
    {
        if (_vinfo == null) return reds;
        var reg = Reg.Decode(mergeArgs[_portal.GreenCount + _vinfo.RedIndex]);
        return reds.Concat(VableJumpArgs(_top.Frame.R[reg.Index], reds[_vinfo.RedIndex], targetLengths)).ToArray();
    }

    private string Location(JitCell cell) => _portal.Location(cell);
}

/// <summary>A compiled loop as a cell knows it: the compiled trace, the label to jump to, and the lengths of
/// the virtualizable's arrays it is specialised on (its label carries their items; empty without vable).</summary>
internal sealed record LoopEntry(Backend.ICompiledTrace Compiled, TargetToken Token, int[] VableLengths)
{
    /// <summary>The trace as recorded (specialized entries are optimized from it), when kept.</summary>
    public TreeLoop? Recorded { get; init; }

    /// <summary>The quasi-immutable reads the loop depends on (its specialized entries die with it).</summary>
    public Runtime.LoopDependency? Dependency { get; init; }

    /// <summary>The entries compiled for calls whose arguments have a given shape (JitPipeline.Specialization.cs).</summary>
    public Dictionary<Optimizer.EntryShape, Runtime.SpecializedCallSite> Specializations { get; } = new();
}
