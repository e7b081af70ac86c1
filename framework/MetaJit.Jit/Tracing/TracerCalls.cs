using MetaJit.Engine.Descriptors;
using MetaJit.Engine.Execution;
using MetaJit.Engine.JitCodes;
using MetaJit.Engine.Trace;

namespace MetaJit.Engine.Tracing;

// Calls, returns, exceptions and hints. Looked-inside calls are inlined (a new trace frame) when the policy
// allows; everything else is a residual call executed for real and recorded as call_* (call_pure_* for
// elidable targets, folded when all arguments are constants), followed by guard_no_exception when it may raise
// (guard_exception when it did raise: see TracerExceptions.cs).
internal sealed partial class Tracer
{
    private TraceOutcome? StepControl(JitInsn insn, ref bool first, TargetToken? ownToken)
    {
        var frame = _top.Frame;
        switch (insn.Op)
        {
            case JitOpcode.ResidualCall:
                Residual(insn, (CallDescr)insn.Descr!);
                break;
            case JitOpcode.ResidualCallVirtual:
            {
                var descr = (CallDescr)insn.Descr!;
                var target = descr;
                if (descr.IsVirtual)
                {
                    int recv = Reg.Decode(insn.Args![0]).Index;
                    var obj = NonNull(recv);
                    GuardClass(BR(recv), obj.GetType());
                    target = descr.Resolve(obj.GetType());
                }
                Residual(insn, target);
                break;
            }
            case JitOpcode.InlineCall:
            {
                var descr = (CallDescr)insn.Descr!;
                if (MayInline(descr.JitCode!)) { Push(insn, descr); first = false; return null; }
                Residual(insn, descr);
                break;
            }
            case JitOpcode.DispatchCall:
            {
                int recv = Reg.Decode(insn.Args![0]).Index;
                var obj = NonNull(recv);
                GuardClass(BR(recv), obj.GetType());
                var target = ((CallDescr)insn.Descr!).Resolve(obj.GetType());
                if (target.JitCode != null && MayInline(target.JitCode)) { Push(insn, target); first = false; return null; }
                Residual(insn, target);
                break;
            }
            case JitOpcode.IntReturn:
            case JitOpcode.FloatReturn:
            case JitOpcode.RefReturn:
            case JitOpcode.VoidReturn:
                if (_top.Parent == null) return PortalReturn(insn);
                Return(insn);
                first = false;
                return null;
            case JitOpcode.Throw:
                throw Thrown(insn.B);
            case JitOpcode.FinallyEnd:
            {
                if (frame.R[insn.B] is Exception) throw Thrown(insn.B); // the end of a finally entered by an exception
                var exBox = BR(insn.B);
                if (exBox is not Const) Guard(OpNum.GuardIsnull, new[] { exBox });
                long k = frame.I[insn.C];
                var kBox = BI(insn.C);
                if (kBox is not Const) Guard(OpNum.GuardValue, new[] { kBox, C(k) });
                frame.Pc = insn.Targets![k];
                first = false;
                return null;
            }

            case JitOpcode.JitMergePoint:
                if (_top.Parent == null && !first)
                {
                    var end = MergePoint(insn, ownToken);
                    if (end != null) return end;
                }
                else if (_top.Parent != null && IsPortal(_top.Frame.Code))
                {
                    bool backEdge = _top.PassedCanEnterJit && !_top.AtPortalEntry;
                    _top.PassedCanEnterJit = false;
                    if ((_top.AtPortalEntry && PortalCallEntry(insn)) || (backEdge && InlinedLoopHeader(insn)))
                    {
                        first = false;
                        return null; // not inlined (any further): the caller made the call and stands after it
                    }
                    PromoteGreens(insn); // so the inlined call's dispatch folds as the bottom frame's does
                }
                break;
            case JitOpcode.CanEnterJit:
                MarkHeader(insn);
                SetI(insn.A, 0, C(0));
                break;
            case JitOpcode.PromoteInt:
            {
                long v = frame.I[insn.B];
                var box = BI(insn.B);
                if (box is not Const) Guard(OpNum.GuardValue, new[] { box, C(v) });
                _top.BI[insn.B] = C(v);
                SetI(insn.A, v, C(v));
                break;
            }
            case JitOpcode.PromoteFloat:
            {
                double v = frame.F[insn.B];
                var box = BF(insn.B);
                if (box is not Const) Guard(OpNum.GuardValue, new[] { box, CF(v) });
                _top.BF[insn.B] = CF(v);
                SetF(insn.A, v, CF(v));
                break;
            }
            case JitOpcode.PromoteRef:
            {
                var v = frame.R[insn.B];
                var box = BR(insn.B);
                if (box is not Const) Guard(OpNum.GuardValue, new[] { box, CP(v) });
                _top.BR[insn.B] = CP(v);
                SetR(insn.A, v, CP(v));
                break;
            }
            case JitOpcode.IsConstant:
            {
                var box = GetBox(_top, Reg.Decode(insn.Args![0]));
                long v = box is Const ? 1 : 0;
                SetI(insn.A, v, C(v));
                break;
            }
            case JitOpcode.WeAreJitted: SetI(insn.A, 1, C(1)); break;
            case JitOpcode.RecordExactClass:
            {
                var obj = NonNull(insn.B);
                var type = ((TypeDescr)insn.Descr!).Type;
                MetaJit.Jit.RecordExactClass(obj, type);
                GuardClass(BR(insn.B), type);
                break;
            }
            case JitOpcode.RecordKnownResult:
                break;
            default:
                throw new TraceAbort($"unsupported JitCode op {insn.OpName}");
        }
        frame.Pc++;
        first = false;
        return null;
    }

    private bool MayInline(JitCode code)
    {
        if (IsPortal(code)) return true; // decided at the callee's first merge point (TracerPortalCalls.cs)
        if (_engine.NotInlined.Contains(code)) return false;
        if (code.HasLoops && !code.Method.IsDefined(typeof(UnrollSafeAttribute), false)
            && !code.Method.IsDefined(typeof(LookInsideAttribute), false))
            return false;
        // Only recursion is limited, and only within one invocation of the portal: a function the interpreter
        // calls on its way into the portal (a wrapper around it, say) runs once per user call, and recursion
        // through the portal is decided per user function at the callee's first merge point.
        int depth = 0;
        for (var f = _top; f != null && !IsPortal(f.Frame.Code); f = f.Parent)
            if (ReferenceEquals(f.Frame.Code, code)) depth++;
        return depth == 0 || depth < _maxUnrollRecursion;
    }

    private void Push(JitInsn insn, CallDescr target)
    {
        var callee = Blackhole.Enter(_top.Frame, insn, target);
        var tf = new TraceFrame(callee, _top);
        if (IsPortal(callee.Code))
        {
            tf.AtPortalEntry = true;
            tf.OpsAtEntry = _ops.Count;
        }
        var args = insn.Args!;
        var pars = callee.Code.ParamRegs;
        for (int k = 0; k < args.Length; k++)
        {
            var box = GetBox(_top, Reg.Decode(args[k])) ?? Dead(Reg.Decode(args[k]));
            SetBox(tf, Reg.Decode(pars[k]), box);
        }
        _top = tf;
    }

    private void Return(JitInsn insn)
    {
        var callee = _top;
        var parent = callee.Parent!;
        var call = parent.Frame.Code.Code[parent.Frame.Pc];
        CountReturnedCall(callee);
        _top = parent;
        switch (insn.Op)
        {
            case JitOpcode.IntReturn: SetI(call.A, callee.Frame.I[insn.B], callee.BI[insn.B] ?? Dead(Reg.I(insn.B))); break;
            case JitOpcode.FloatReturn: SetF(call.A, callee.Frame.F[insn.B], callee.BF[insn.B] ?? Dead(Reg.F(insn.B))); break;
            case JitOpcode.RefReturn: SetR(call.A, callee.Frame.R[insn.B], callee.BR[insn.B] ?? Dead(Reg.R(insn.B))); break;
        }
        parent.Frame.Pc++;
    }

    /// <summary>Executes <paramref name="target"/> natively and records the call.</summary>
    private void Residual(JitInsn insn, CallDescr target)
    {
        var args = insn.Args ?? Array.Empty<int>();
        var boxes = new Value[args.Length];
        bool allConst = true;
        for (int k = 0; k < args.Length; k++)
        {
            var reg = Reg.Decode(args[k]);
            boxes[k] = GetBox(_top, reg) ?? Dead(reg);
            allConst &= boxes[k] is Const;
        }
        var effect = target.Effect;
        var frame = _top.Frame;
        bool readsVable = MayReadVable(effect, boxes), writesVable = MayWriteVable(effect);
        bool privateVable = (readsVable || writesVable) && VablePrivateAtCall(boxes, RefArgs(frame, args));
        if (privateVable) RefreshVableRefs();
        else if (readsVable) WriteBackVable();
        try
        {
            _scratch.Invoke(frame, insn, target, virtualCall: false);
        }
        catch (Exception e)
        {
            throw RaisedByCall(e, target, boxes);
        }
        Value? result;
        if (effect.IsElidable && allConst)
        {
            result = target.ResultKind switch
            {
                ValueKind.Int => C(frame.I[insn.A]),
                ValueKind.Float => CF(frame.F[insn.A]),
                ValueKind.Ref => CP(frame.R[insn.A]),
                _ => null,
            };
        }
        else
        {
            var op = CallOp(target.ResultKind, effect.IsElidable);
            result = Record(op, boxes, target);
            if (effect.CanRaise) Guard(OpNum.GuardNoException, Array.Empty<Value>(), exceptionPending: true);
            if (target.Method is System.Reflection.ConstructorInfo && !target.IsConstructorOnInstance) { _nonNull.Add(result); Fresh(result, frame.R[insn.A]); }
            if (writesVable && !privateVable) ReReadVable();
            if (privateVable) StaysPrivateAfterCall();
        }
        switch (target.ResultKind)
        {
            case ValueKind.Int: _top.BI[insn.A] = result; break;
            case ValueKind.Float: _top.BF[insn.A] = result; break;
            case ValueKind.Ref: _top.BR[insn.A] = result; break;
        }
    }

    /// <summary>The objects in the reference registers among <paramref name="args"/> (encoded registers).</summary>
    private static IEnumerable<object?> RefArgs(JitFrame frame, int[] args)
    {
        foreach (var encoded in args)
        {
            var reg = Reg.Decode(encoded);
            if (reg.Kind == ValueKind.Ref) yield return frame.R[reg.Index];
        }
    }

    private static OpNum CallOp(ValueKind kind, bool pure) => (kind, pure) switch
    {
        (ValueKind.Int, false) => OpNum.CallI,
        (ValueKind.Float, false) => OpNum.CallF,
        (ValueKind.Ref, false) => OpNum.CallR,
        (_, false) => OpNum.CallN,
        (ValueKind.Int, true) => OpNum.CallPureI,
        (ValueKind.Float, true) => OpNum.CallPureF,
        (ValueKind.Ref, true) => OpNum.CallPureR,
        _ => OpNum.CallPureN,
    };

    /// <summary>An op without a trace op of its own: a call of the helper that defines it.</summary>
    private void HelperCall(JitInsn insn)
    {
        var f = _top.Frame;
        switch (insn.Op)
        {
            case JitOpcode.UintDiv: Helper(TraceHelpers.UDiv, insn.A, BI(insn.B), BI(insn.C), C(insn.W)); break;
            case JitOpcode.UintMod: Helper(TraceHelpers.UMod, insn.A, BI(insn.B), BI(insn.C), C(insn.W)); break;
            case JitOpcode.UintRshift: Helper(TraceHelpers.URshift, insn.A, BI(insn.B), BI(insn.C), C(insn.W)); break;
            case JitOpcode.UintAddOvf: Helper(TraceHelpers.UAddOvf, insn.A, BI(insn.B), BI(insn.C), C(insn.W)); break;
            case JitOpcode.UintSubOvf: Helper(TraceHelpers.USubOvf, insn.A, BI(insn.B), BI(insn.C), C(insn.W)); break;
            case JitOpcode.UintMulOvf: Helper(TraceHelpers.UMulOvf, insn.A, BI(insn.B), BI(insn.C), C(insn.W)); break;
            case JitOpcode.IntConvOvf:
                Helper(TraceHelpers.ConvOvf, insn.A, BI(insn.B), C((long)(TypeCode)insn.Const!), C(insn.Imm == 1 ? 1 : 0), C(insn.W));
                break;
            case JitOpcode.CastUintToFloat: Helper(TraceHelpers.UToFloat, insn.A, BI(insn.B), C(insn.W)); break;
            case JitOpcode.CastFloatToInt:
                if ((TypeCode)insn.Imm == TypeCode.Int64)
                {
                    var b = BF(insn.B);
                    long v = IntOps.FromFloat(f.F[insn.B], TypeCode.Int64);
                    SetI(insn.A, v, b is Const ? C(v) : Record(OpNum.CastFloatToInt, new[] { b }));
                }
                else
                {
                    Helper(TraceHelpers.FromFloat, insn.A, BF(insn.B), C(insn.Imm));
                }
                break;
            case JitOpcode.CastFloatToIntOvf: Helper(TraceHelpers.FromFloatOvf, insn.A, BF(insn.B), C(insn.Imm)); break;
            case JitOpcode.FloatMod: Helper(TraceHelpers.FloatMod, insn.A, BF(insn.B), BF(insn.C)); break;
            case JitOpcode.FloatRound32: Helper(TraceHelpers.Round32, insn.A, BF(insn.B)); break;
        }
    }

    private void BoxingCall(JitInsn insn)
    {
        var type = ((TypeDescr)insn.Descr!).Type;
        switch (insn.Op)
        {
            case JitOpcode.BoxInt: Helper(TraceHelpers.Box, insn.A, BI(insn.B), CP(type)); break;
            case JitOpcode.BoxFloat: Helper(TraceHelpers.BoxFloat, insn.A, BF(insn.B), CP(type)); break;
            case JitOpcode.UnboxInt: Helper(TraceHelpers.Unbox, insn.A, BR(insn.B), CP(type)); break;
            case JitOpcode.UnboxFloat: Helper(TraceHelpers.UnboxFloat, insn.A, BR(insn.B), CP(type)); break;
        }
    }

    /// <summary>Calls a helper for real with the boxes' values and records it (folded when pure with constant inputs).</summary>
    private void Helper(CallDescr helper, int dst, params Value[] args)
    {
        var ints = new long[args.Length + 1];
        var floats = new double[args.Length + 1];
        var refs = new object?[args.Length + 1];
        int ni = 0, nf = 0, nr = 0;
        var f = _top.Frame;
        foreach (var a in args)
        {
            switch (a.Kind)
            {
                case ValueKind.Int: ints[ni++] = ValueOf(a) is long l ? l : 0; break;
                case ValueKind.Float: floats[nf++] = ValueOf(a) is double d ? d : 0; break;
                default: refs[nr++] = ValueOf(a); break;
            }
        }
        try
        {
            helper.Invoke(ints, floats, refs);
        }
        catch (Exception e)
        {
            throw RaisedByCall(e, helper, args);
        }
        bool allConst = args.All(a => a is Const);
        Value res = helper.Effect.IsElidable && allConst
            ? helper.ResultKind switch { ValueKind.Int => C(ints[0]), ValueKind.Float => CF(floats[0]), _ => CP(refs[0]) }
            : Record(CallOp(helper.ResultKind, helper.Effect.IsElidable), args, helper);
        if (res is ResOperation && helper.Effect.CanRaise) Guard(OpNum.GuardNoException, Array.Empty<Value>(), exceptionPending: true);
        switch (helper.ResultKind)
        {
            case ValueKind.Int: SetI(dst, ints[0], res); break;
            case ValueKind.Float: SetF(dst, floats[0], res); break;
            default: SetR(dst, refs[0], res); if (res is ResOperation) _nonNull.Add(res); break;
        }
        _ = f;
    }

    /// <summary>The real value behind a box: a constant's value, or the register that holds it in the top frame.</summary>
    private object? ValueOf(Value box)
    {
        if (box is Const c) return c.Boxed;
        var t = _top;
        for (int i = 0; i < t.BI.Length; i++) if (ReferenceEquals(t.BI[i], box)) return t.Frame.I[i];
        for (int i = 0; i < t.BF.Length; i++) if (ReferenceEquals(t.BF[i], box)) return t.Frame.F[i];
        for (int i = 0; i < t.BR.Length; i++) if (ReferenceEquals(t.BR[i], box)) return t.Frame.R[i];
        throw new TraceAbort("internal: value of a trace box not found in the top frame");
    }
}
