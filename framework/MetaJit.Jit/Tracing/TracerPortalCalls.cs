using MetaJit.Engine.Descriptors;
using MetaJit.Engine.JitCodes;
using MetaJit.Engine.Runtime;
using MetaJit.Engine.Trace;

namespace MetaJit.Engine.Tracing;

// Recursive interpreters: the portal calling itself (one portal call per call of the user program, as PyPy's
// interpreter does) and the portal returning.
//
// A portal call is inlined like any call: a new trace frame, whose merge points do not end the trace. The
// tracer cannot know the callee's green key (the user function called) until the callee reaches its first
// merge point, so it decides there: a call that recurses into a key already being inlined (or the trace's
// start), or a key blamed for a too-long trace, is undone — the ops the callee's prologue recorded are cut
// off the trace (they only read: that is checked) and the call becomes a residual call of the portal, which
// at run time enters the callee's own compiled code through its CanEnterJit. That is RPython's recursion
// policy with a residual portal call where RPython records call_assembler.
//
// The bottom frame returning ends the trace with finish(result): a trace from a function entry that reaches
// the function's return, or a bridge that leaves through the return.
internal sealed partial class Tracer
{
    private readonly int _maxUnrollRecursion = JitParams.GetInt("max_unroll_recursion");
    private readonly int _bridgeUnrollRecursion = JitParams.GetInt("bridge_unroll_recursion");
    private readonly bool _callAssembler = JitParams.Get("call_assembler") == "on";

    /// <summary>While a bridge is traced: how many levels deep in each recursive function (cell) its guard was,
    /// counting the frames it rebuilt and the loop's own cell (set by <see cref="TraceBridge"/>).</summary>
    private Dictionary<JitCell, int>? _bridgeStartDepths;

    /// <summary>
    /// How many levels of recursion into <paramref name="cell"/> this trace inlines. A bridge whose guard is two
    /// or more levels deep in that recursion inlines fewer than a loop. A loop that unrolls a recursion branching k
    /// ways holds about k^levels inlined bodies, each with guards that grow bridges, and a bridge from deep inside
    /// re-unrolling the rest of the call tree as deep holds as many guards of its own (tak's three-way
    /// recursion: 20 bridges and 3,700 ops compiled, 1.3 s for a program that runs 0.4 s natively; with the
    /// limit: 8 bridges, 900 ops, 0.6 s). Bridges from the outermost level, and recursion a bridge enters anew,
    /// unroll as in a loop: they are few, and limiting them too lost more in calls than it saved in compiling.
    /// </summary>
    private int UnrollLimit(JitCell cell) =>
        _bridgeStartDepths != null && _bridgeStartDepths.GetValueOrDefault(cell) >= 2
            ? Math.Min(_maxUnrollRecursion, _bridgeUnrollRecursion)
            : _maxUnrollRecursion;

    private bool IsPortal(JitCode code) => ReferenceEquals(code, _portal.Code);

    /// <summary>At the first merge point of an inlined portal call: keep inlining, or undo the inlining and call
    /// the portal instead. True when undone (the caller's call instruction has then been executed).</summary>
    private bool PortalCallEntry(JitInsn mergePoint)
    {
        var callee = _top;
        callee.AtPortalEntry = false;
        var cell = _portal.CellAt(callee.Frame);
        callee.EntryCell = cell;
        int level = ReferenceEquals(cell, _startCell) ? 1 : 0;
        for (var f = callee.Parent; f != null; f = f.Parent)
            if (ReferenceEquals(f.EntryCell, cell)) level++;
        if ((level == 0 || level < UnrollLimit(cell)) && !cell.DontInline) return false; // only recursion is limited
        if (CallAssembler(callee, mergePoint, cell)) return true;
        if (!CanUndo(callee.OpsAtEntry)) return false;
        UndoPortalCall(callee);
        return true;
    }

    /// <summary>
    /// An inlined portal call came back to one of its loop headers (a merge point right after a backward jump's
    /// CanEnterJit): rather than unroll the callee's loop into this trace, as many iterations as it runs now (and
    /// a bridge per further iteration it runs later), the rest of the call becomes a call_assembler of that
    /// loop's compiled code, as RPython does at a jit_merge_point reached in recursion. When that loop is not
    /// compiled yet but may be, the trace stops and waits for it (as at an uncompiled loop of the bottom frame);
    /// a loop that will not be compiled is unrolled as before. True when the call was made.
    /// </summary>
    private bool InlinedLoopHeader(JitInsn mergePoint)
    {
        var callee = _top;
        var cell = CellOf(mergePoint.Args!, callee.Frame);
        if (!cell.IsHeader) return false;
        if (CallAssembler(callee, mergePoint, cell)) return true;
        if (ReferenceEquals(cell, _startCell) || cell.State is not (JitCellState.Counting or JitCellState.Tracing)
            || _engine.Pipeline == null || !_callAssembler) return false;
        if (cell.State == JitCellState.Counting) cell.TraceSoon = true;
        throw new TraceAbort("reached an uncompiled loop") { Retry = true, WaitsFor = cell };
    }

    /// <summary>
    /// Makes the rest of the inlined portal call <paramref name="callee"/> (standing at its first merge point,
    /// key <paramref name="cell"/>) a call_assembler: the callee's reds and its vable's slots are passed to the
    /// key's compiled code, run directly. Only when that code exists, or will (the key is this trace's start:
    /// self-recursion), for the vable's array lengths here. The callee's prologue stays in the trace (it computed
    /// the reds); its greens are promoted, so the key is the one the code was compiled for.
    /// </summary>
    private bool CallAssembler(TraceFrame callee, JitInsn mergePoint, JitCell cell)
    {
        if (_engine.Pipeline == null || !_callAssembler) return false;
        var frame = callee.Frame;
        var args = mergePoint.Args!;
        int[] lengths = [];
        object? vable = null;
        if (_vinfo != null)
        {
            vable = frame.R[Reg.Decode(args[_portal.GreenCount + _vinfo.RedIndex]).Index];
            if (vable == null || ReferenceEquals(vable, _vable)) return false;
            lengths = _vinfo.Lengths(vable);
        }
        bool compiled = cell.State == JitCellState.Compiled && cell.CompiledLoop is LoopEntry entry && entry.VableLengths.AsSpan().SequenceEqual(lengths);
        if (!compiled && !ReferenceEquals(cell, _startCell)) return false;

        PromoteGreens(mergePoint);
        var argBoxes = new List<Value>();
        for (int k = _portal.GreenCount; k < args.Length; k++)
            argBoxes.Add(GetBox(callee, Reg.Decode(args[k])) ?? Dead(Reg.Decode(args[k])));
        if (_vinfo != null) argBoxes.AddRange(CalleeVableSlots(argBoxes[_vinfo.RedIndex], lengths));
        var site = new CallAssemblerSite(_engine.Pipeline, _portal, cell, lengths, argBoxes.Select(b => b.Kind).ToArray(), Location(cell), _engine.Statistics);

        // The callee may reach the caller's frame (e.g. through upvalues), unless the frame's class says it cannot now.
        bool privateVable = _vinfo != null && VablePrivateAtCall(argBoxes.ToArray(),
            RefArgs(frame, args[_portal.GreenCount..]).Concat(vable == null ? [] : _vinfo.RefSlotValues(vable)));
        if (privateVable) RefreshVableRefs();
        else if (_vinfo != null) WriteBackVable();
        var caller = callee.Parent!;
        _top = caller; // the callee is now one call of the caller's instruction
        var kind = _portal.ReturnKind;
        var op = Record(kind switch
        {
            ValueKind.Int => OpNum.CallAssemblerI,
            ValueKind.Float => OpNum.CallAssemblerF,
            ValueKind.Ref => OpNum.CallAssemblerR,
            _ => OpNum.CallAssemblerN,
        }, argBoxes.ToArray(), site);
        Runtime.PortalOutcome outcome;
        try
        {
            outcome = _engine.Pipeline.RunUntilReturn(_portal, frame.Detached());
        }
        catch (Exception e) when (e is not TraceAbort)
        {
            var type = e.GetType();
            var guard = Guard(OpNum.GuardException, Array.Empty<Value>(), Descrs.Type(type), exceptionPending: true,
                callResult: kind == ValueKind.Void ? null : op);
            _nonNull.Add(guard);
            _knownClass[guard] = type;
            throw new TracedRaise(e, guard);
        }
        Guard(OpNum.GuardNoException, Array.Empty<Value>(), exceptionPending: true);
        if (_vinfo != null && !privateVable) ReReadVable();
        if (privateVable) StaysPrivateAfterCall();
        var call = caller.Frame.Code.Code[caller.Frame.Pc];
        switch (kind)
        {
            case ValueKind.Int: SetI(call.A, outcome.Int, op); break;
            case ValueKind.Float: SetF(call.A, outcome.Float, op); break;
            case ValueKind.Ref: SetR(call.A, outcome.Ref, op); break;
        }
        caller.Frame.Pc++;
        return true;
    }

    /// <summary>Boxes of the callee vable's slots (fields, then array items), read from its box in the trace;
    /// the optimizer forwards them from the frame the trace allocated.</summary>
    private List<Value> CalleeVableSlots(Value vableBox, int[] lengths)
    {
        var info = _vinfo!;
        var slots = new List<Value>();
        foreach (var f in info.Fields)
            slots.Add(Record(f.Kind switch { ValueKind.Int => OpNum.GetfieldGcI, ValueKind.Float => OpNum.GetfieldGcF, _ => OpNum.GetfieldGcR }, [vableBox], f));
        for (int j = 0; j < info.ArrayFields.Length; j++)
        {
            var array = Record(OpNum.GetfieldGcR, [vableBox], info.ArrayFields[j]);
            var length = Record(OpNum.ArraylenGc, [array], info.ArrayDescrs[j]);
            Guard(OpNum.GuardValue, [length, C(lengths[j])]);
            var descr = info.ArrayDescrs[j];
            for (int i = 0; i < lengths[j]; i++)
                slots.Add(Record(descr.Kind switch { ValueKind.Int => OpNum.GetarrayitemGcI, ValueKind.Float => OpNum.GetarrayitemGcF, _ => OpNum.GetarrayitemGcR },
                    [array, C(i)], descr));
        }
        return slots;
    }

    /// <summary>The ops from <paramref name="from"/> on only read, compute, allocate or guard, and no tracer state
    /// that outlives the callee refers to them: cutting them off leaves a trace of what the caller did.</summary>
    private bool CanUndo(int from)
    {
        var removed = new HashSet<Value>(ReferenceEqualityComparer.Instance);
        for (int i = from; i < _ops.Count; i++)
        {
            var op = _ops[i];
            if (!(op.Info.HasNoSideEffect || op.IsGuard || op.Info.IsOvf || op.Num is OpNum.DebugMergePoint or OpNum.QuasiimmutField))
                return false;
            removed.Add(op);
        }
        if (removed.Count == 0) return true;
        foreach (var box in _vboxes) if (removed.Contains(box)) return false;
        foreach (var box in _vmem) if (box != null && removed.Contains(box)) return false;
        foreach (var box in _varrayBoxes) if (box != null && removed.Contains(box)) return false;
        return true;
    }

    private void UndoPortalCall(TraceFrame callee)
    {
        var caller = callee.Parent!;
        int removed = _ops.Count - callee.OpsAtEntry;
        // What the removed guards established about older values no longer holds: forget it (conservatively,
        // for every older value a removed op used; the tracer then guards again where needed).
        for (int i = callee.OpsAtEntry; i < _ops.Count; i++)
        {
            foreach (var arg in _ops[i].Args)
            {
                if (arg is Const) continue;
                _nonNull.Remove(arg);
                _knownClass.Remove(arg);
                _notVable.Remove(arg);
            }
        }
        _ops.RemoveRange(callee.OpsAtEntry, removed);
        _heap.Clear();
        for (var f = caller; f != null; f = f.Parent) f.OpsRecorded -= removed;
        _top = caller;
        var call = caller.Frame.Code.Code[caller.Frame.Pc];
        Residual(call, (CallDescr)call.Descr!);
        caller.Frame.Pc++;
    }

    /// <summary>The bottom frame returns: the portal is done; the trace ends with finish(result).</summary>
    private TraceOutcome PortalReturn(JitInsn insn)
    {
        var f = _top.Frame;
        var (kind, box) = insn.Op switch
        {
            JitOpcode.IntReturn => (ValueKind.Int, BI(insn.B)),
            JitOpcode.FloatReturn => (ValueKind.Float, BF(insn.B)),
            JitOpcode.RefReturn => (ValueKind.Ref, BR(insn.B)),
            _ => (ValueKind.Void, (Value?)null),
        };
        if (_vinfo != null && !_vinfo.DeadAfterReturn) WriteBackVable(); // the caller may look at the frame it passed in
        Record(OpNum.Finish, box == null ? Array.Empty<Value>() : new[] { box }, PortalFinish.Descr);
        var result = new Runtime.PortalOutcome(true, kind,
            kind == ValueKind.Int ? f.I[insn.B] : 0, kind == ValueKind.Float ? f.F[insn.B] : 0, kind == ValueKind.Ref ? f.R[insn.B] : null, null);
        return new TraceOutcome(TraceEnd.Finished, null, null, f, null, null) { Returned = result };
    }
}

/// <summary>The descr of the finish op that ends a trace where the portal returns.</summary>
internal static class PortalFinish
{
    public static readonly NamedDescr Descr = new("portal_return");
}
