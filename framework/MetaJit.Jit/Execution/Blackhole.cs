using System.Runtime.ExceptionServices;
using MetaJit.Engine.Descriptors;
using MetaJit.Engine.JitCodes;

namespace MetaJit.Engine.Execution;

/// <summary>
/// The blackhole interpreter: runs JitCodes for real without recording anything. It is how the engine
/// leaves compiled code (resume rebuilds the frames a guard describes and the blackhole runs them to the next
/// merge point of the bottom portal frame), how <c>METAJIT_MODE=blackhole</c> runs whole portals, and the
/// first test of the codewriter (a method run here must do what it does natively).
/// Operation meanings come from <see cref="IntOps"/>, <see cref="BoxOps"/> and the descriptors, shared with the tracer.
/// </summary>
public static class Blackhole
{
    /// <summary>Calls <paramref name="code"/> with boxed arguments (receiver first) and returns its boxed result.
    /// Exceptions propagate as natively.</summary>
    public static object? Call(JitCode code, params object?[] args)
    {
        var frame = new JitFrame(code);
        if (args.Length != code.ParamRegs.Length)
            throw new ArgumentException($"{code.Name} takes {code.ParamRegs.Length} arguments, got {args.Length}.");
        for (int i = 0; i < args.Length; i++) frame.SetParam(i, args[i]);
        var result = Run(frame, stopAtMergePoint: false);
        var returnType = code.Method is System.Reflection.MethodInfo mi ? mi.ReturnType : typeof(void);
        return result.Kind switch
        {
            ValueKind.Int => BoxOps.Box(result.Int, returnType),
            ValueKind.Float => BoxOps.BoxFloat(result.Float, returnType),
            ValueKind.Ref => result.Ref,
            _ => null,
        };
    }

    /// <summary>
    /// Runs from <paramref name="top"/> (the innermost frame; its callers are its parents) until the bottom
    /// frame returns, or — when <paramref name="stopAtMergePoint"/> — until the bottom frame reaches a
    /// <c>jit_merge_point</c> after executing at least one instruction. Exceptions that leave the bottom frame
    /// propagate to the caller.
    /// </summary>
    public static BlackholeResult Run(JitFrame top, bool stopAtMergePoint) => Run(top, stopAtMergePoint, null);

    /// <summary>
    /// As <see cref="Run(JitFrame, bool)"/>, but first raises <paramref name="pending"/> (when not null) at the
    /// top frame's pc, as if its instruction had just thrown it: how a guard_no_exception failure resumes.
    /// </summary>
    public static BlackholeResult Run(JitFrame top, bool stopAtMergePoint, Exception? pending)
    {
        // Most runs are short (a guard failure to the next merge point), so their argument arrays are reused:
        // a run takes the thread's spare scratch and gives it back; a nested run finds none and makes its own.
        var scratch = _spareScratch ?? new CallScratch();
        _spareScratch = null;
        try { return Run(top, stopAtMergePoint, pending, scratch); }
        finally { _spareScratch = scratch; }
    }

    [ThreadStatic] private static CallScratch? _spareScratch;

    private static BlackholeResult Run(JitFrame top, bool stopAtMergePoint, Exception? pending, CallScratch scratch)
    {
        var frame = top;
        bool first = true;
        while (true)
        {
            try
            {
                if (pending != null)
                {
                    var raise = pending;
                    pending = null;
                    first = false;
                    ExceptionDispatchInfo.Capture(raise).Throw();
                }
                return Execute(ref frame, stopAtMergePoint, ref first, scratch);
            }
            catch (Exception e)
            {
                // Unwind JitCode frames to a handler; none left means the exception leaves the run.
                while (true)
                {
                    var handler = frame.Code.FindHandler(frame.Pc, e.GetType());
                    if (handler != null)
                    {
                        frame.R[handler.ExceptionReg] = e;
                        frame.Pc = handler.HandlerPc;
                        break;
                    }
                    if (frame.Parent == null) ExceptionDispatchInfo.Capture(e).Throw();
                    frame = frame.Parent;
                }
            }
        }
    }

    private static BlackholeResult Execute(ref JitFrame frame, bool stopAtMergePoint, ref bool first, CallScratch scratch)
    {
        while (true)
        {
            var insn = frame.Code.Code[frame.Pc];
            var I = frame.I;
            var F = frame.F;
            var R = frame.R;
            switch (insn.Op)
            {
                case JitOpcode.IntConst: I[insn.A] = insn.Imm; break;
                case JitOpcode.FloatConst: F[insn.A] = insn.FImm; break;
                case JitOpcode.RefConst: R[insn.A] = insn.Const; break;
                case JitOpcode.IntCopy: I[insn.A] = I[insn.B]; break;
                case JitOpcode.FloatCopy: F[insn.A] = F[insn.B]; break;
                case JitOpcode.RefCopy: R[insn.A] = R[insn.B]; break;

                case JitOpcode.IntAdd: I[insn.A] = IntOps.Add(I[insn.B], I[insn.C], insn.W); break;
                case JitOpcode.IntSub: I[insn.A] = IntOps.Sub(I[insn.B], I[insn.C], insn.W); break;
                case JitOpcode.IntMul: I[insn.A] = IntOps.Mul(I[insn.B], I[insn.C], insn.W); break;
                case JitOpcode.IntDiv: I[insn.A] = IntOps.Div(I[insn.B], I[insn.C], insn.W); break;
                case JitOpcode.IntMod: I[insn.A] = IntOps.Mod(I[insn.B], I[insn.C], insn.W); break;
                case JitOpcode.UintDiv: I[insn.A] = IntOps.UDiv(I[insn.B], I[insn.C], insn.W); break;
                case JitOpcode.UintMod: I[insn.A] = IntOps.UMod(I[insn.B], I[insn.C], insn.W); break;
                case JitOpcode.IntAnd: I[insn.A] = I[insn.B] & I[insn.C]; break;
                case JitOpcode.IntOr: I[insn.A] = I[insn.B] | I[insn.C]; break;
                case JitOpcode.IntXor: I[insn.A] = I[insn.B] ^ I[insn.C]; break;
                case JitOpcode.IntLshift: I[insn.A] = IntOps.Lshift(I[insn.B], I[insn.C], insn.W); break;
                case JitOpcode.IntRshift: I[insn.A] = IntOps.Rshift(I[insn.B], I[insn.C], insn.W); break;
                case JitOpcode.UintRshift: I[insn.A] = IntOps.URshift(I[insn.B], I[insn.C], insn.W); break;
                case JitOpcode.IntNeg: I[insn.A] = IntOps.Neg(I[insn.B], insn.W); break;
                case JitOpcode.IntInvert: I[insn.A] = IntOps.Invert(I[insn.B], insn.W); break;
                case JitOpcode.IntAddOvf: I[insn.A] = IntOps.AddOvf(I[insn.B], I[insn.C], insn.W); break;
                case JitOpcode.IntSubOvf: I[insn.A] = IntOps.SubOvf(I[insn.B], I[insn.C], insn.W); break;
                case JitOpcode.IntMulOvf: I[insn.A] = IntOps.MulOvf(I[insn.B], I[insn.C], insn.W); break;
                case JitOpcode.UintAddOvf: I[insn.A] = IntOps.UAddOvf(I[insn.B], I[insn.C], insn.W); break;
                case JitOpcode.UintSubOvf: I[insn.A] = IntOps.USubOvf(I[insn.B], I[insn.C], insn.W); break;
                case JitOpcode.UintMulOvf: I[insn.A] = IntOps.UMulOvf(I[insn.B], I[insn.C], insn.W); break;
                case JitOpcode.IntSignExt: I[insn.A] = IntOps.SignExt(I[insn.B], insn.Imm); break;
                case JitOpcode.IntZeroExt: I[insn.A] = IntOps.ZeroExt(I[insn.B], insn.Imm); break;
                case JitOpcode.IntConvOvf: I[insn.A] = IntOps.ConvOvf(I[insn.B], (TypeCode)insn.Const!, insn.Imm == 1, insn.W); break;

                case JitOpcode.IntLt: I[insn.A] = I[insn.B] < I[insn.C] ? 1 : 0; break;
                case JitOpcode.IntLe: I[insn.A] = I[insn.B] <= I[insn.C] ? 1 : 0; break;
                case JitOpcode.IntEq: I[insn.A] = I[insn.B] == I[insn.C] ? 1 : 0; break;
                case JitOpcode.IntNe: I[insn.A] = I[insn.B] != I[insn.C] ? 1 : 0; break;
                case JitOpcode.IntGt: I[insn.A] = I[insn.B] > I[insn.C] ? 1 : 0; break;
                case JitOpcode.IntGe: I[insn.A] = I[insn.B] >= I[insn.C] ? 1 : 0; break;
                case JitOpcode.UintLt: I[insn.A] = IntOps.ULt(I[insn.B], I[insn.C], insn.W) ? 1 : 0; break;
                case JitOpcode.UintLe: I[insn.A] = IntOps.ULe(I[insn.B], I[insn.C], insn.W) ? 1 : 0; break;
                case JitOpcode.UintGt: I[insn.A] = IntOps.ULt(I[insn.C], I[insn.B], insn.W) ? 1 : 0; break;
                case JitOpcode.UintGe: I[insn.A] = IntOps.ULe(I[insn.C], I[insn.B], insn.W) ? 1 : 0; break;

                case JitOpcode.FloatAdd: F[insn.A] = F[insn.B] + F[insn.C]; break;
                case JitOpcode.FloatSub: F[insn.A] = F[insn.B] - F[insn.C]; break;
                case JitOpcode.FloatMul: F[insn.A] = F[insn.B] * F[insn.C]; break;
                case JitOpcode.FloatDiv: F[insn.A] = F[insn.B] / F[insn.C]; break;
                case JitOpcode.FloatMod: F[insn.A] = FloatOps.Mod(F[insn.B], F[insn.C]); break;
                case JitOpcode.FloatNeg: F[insn.A] = -F[insn.B]; break;
                case JitOpcode.FloatRound32: F[insn.A] = FloatOps.Round32(F[insn.B]); break;
                case JitOpcode.FloatLt: I[insn.A] = F[insn.B] < F[insn.C] ? 1 : 0; break;
                case JitOpcode.FloatLe: I[insn.A] = F[insn.B] <= F[insn.C] ? 1 : 0; break;
                case JitOpcode.FloatEq: I[insn.A] = F[insn.B] == F[insn.C] ? 1 : 0; break;
                case JitOpcode.FloatNe: I[insn.A] = F[insn.B] != F[insn.C] ? 1 : 0; break;
                case JitOpcode.FloatGt: I[insn.A] = F[insn.B] > F[insn.C] ? 1 : 0; break;
                case JitOpcode.FloatGe: I[insn.A] = F[insn.B] >= F[insn.C] ? 1 : 0; break;
                case JitOpcode.CastIntToFloat: F[insn.A] = I[insn.B]; break;
                case JitOpcode.CastUintToFloat: F[insn.A] = IntOps.UToFloat(I[insn.B], insn.W); break;
                case JitOpcode.CastFloatToInt: I[insn.A] = IntOps.FromFloat(F[insn.B], (TypeCode)insn.Imm); break;
                case JitOpcode.CastFloatToIntOvf: I[insn.A] = IntOps.FromFloatOvf(F[insn.B], (TypeCode)insn.Imm); break;

                case JitOpcode.PtrEq: I[insn.A] = ReferenceEquals(R[insn.B], R[insn.C]) ? 1 : 0; break;
                case JitOpcode.PtrNe: I[insn.A] = ReferenceEquals(R[insn.B], R[insn.C]) ? 0 : 1; break;
                case JitOpcode.RefIsNull: I[insn.A] = R[insn.B] == null ? 1 : 0; break;
                case JitOpcode.RefNonNull: I[insn.A] = R[insn.B] != null ? 1 : 0; break;
                case JitOpcode.IsInst: R[insn.A] = ((TypeDescr)insn.Descr!).IsInstance(R[insn.B]) ? R[insn.B] : null; break;
                case JitOpcode.CastClass: R[insn.A] = CastClass(R[insn.B], (TypeDescr)insn.Descr!); break;
                case JitOpcode.BoxInt: R[insn.A] = BoxOps.Box(I[insn.B], ((TypeDescr)insn.Descr!).Type); break;
                case JitOpcode.BoxFloat: R[insn.A] = BoxOps.BoxFloat(F[insn.B], ((TypeDescr)insn.Descr!).Type); break;
                case JitOpcode.UnboxInt: I[insn.A] = BoxOps.Unbox(R[insn.B], ((TypeDescr)insn.Descr!).Type); break;
                case JitOpcode.UnboxFloat: F[insn.A] = BoxOps.UnboxFloat(R[insn.B], ((TypeDescr)insn.Descr!).Type); break;

                case JitOpcode.Goto: frame.Pc = insn.Target; first = false; continue;
                case JitOpcode.GotoIfTrue: if (I[insn.B] != 0) { frame.Pc = insn.Target; first = false; continue; } break;
                case JitOpcode.GotoIfFalse: if (I[insn.B] == 0) { frame.Pc = insn.Target; first = false; continue; } break;
                case JitOpcode.GotoIfNull: if (R[insn.B] == null) { frame.Pc = insn.Target; first = false; continue; } break;
                case JitOpcode.GotoIfNonNull: if (R[insn.B] != null) { frame.Pc = insn.Target; first = false; continue; } break;
                case JitOpcode.Switch:
                {
                    ulong k = (uint)I[insn.B];
                    frame.Pc = k < (ulong)insn.Targets!.Length ? insn.Targets[k] : insn.Target;
                    first = false;
                    continue;
                }

                case JitOpcode.New: R[insn.A] = ((TypeDescr)insn.Descr!).Allocate(); break;
                case JitOpcode.GetFieldInt: I[insn.A] = ((FieldDescr)insn.Descr!).GetInt(NonNull(R[insn.B])); break;
                case JitOpcode.GetFieldFloat: F[insn.A] = ((FieldDescr)insn.Descr!).GetFloat(NonNull(R[insn.B])); break;
                case JitOpcode.GetFieldRef: R[insn.A] = ((FieldDescr)insn.Descr!).GetRef(NonNull(R[insn.B])); break;
                case JitOpcode.SetFieldInt: ((FieldDescr)insn.Descr!).SetInt(NonNull(R[insn.B]), I[insn.C]); break;
                case JitOpcode.SetFieldFloat: ((FieldDescr)insn.Descr!).SetFloat(NonNull(R[insn.B]), F[insn.C]); break;
                case JitOpcode.SetFieldRef: ((FieldDescr)insn.Descr!).SetRef(NonNull(R[insn.B]), R[insn.C]); break;
                case JitOpcode.GetStaticInt: I[insn.A] = ((FieldDescr)insn.Descr!).GetInt(null); break;
                case JitOpcode.GetStaticFloat: F[insn.A] = ((FieldDescr)insn.Descr!).GetFloat(null); break;
                case JitOpcode.GetStaticRef: R[insn.A] = ((FieldDescr)insn.Descr!).GetRef(null); break;
                case JitOpcode.SetStaticInt: ((FieldDescr)insn.Descr!).SetInt(null, I[insn.C]); break;
                case JitOpcode.SetStaticFloat: ((FieldDescr)insn.Descr!).SetFloat(null, F[insn.C]); break;
                case JitOpcode.SetStaticRef: ((FieldDescr)insn.Descr!).SetRef(null, R[insn.C]); break;

                case JitOpcode.NewArray: R[insn.A] = ((ArrayDescr)insn.Descr!).New(I[insn.B]); break;
                case JitOpcode.ArrayLen: I[insn.A] = ((Array)NonNull(R[insn.B])).Length; break;
                case JitOpcode.GetArrayItemInt: I[insn.A] = ((ArrayDescr)insn.Descr!).GetInt(R[insn.B], I[insn.C]); break;
                case JitOpcode.GetArrayItemFloat: F[insn.A] = ((ArrayDescr)insn.Descr!).GetFloat(R[insn.B], I[insn.C]); break;
                case JitOpcode.GetArrayItemRef: R[insn.A] = ((ArrayDescr)insn.Descr!).GetRef(R[insn.B], I[insn.C]); break;
                case JitOpcode.SetArrayItemInt: ((ArrayDescr)insn.Descr!).SetInt(R[insn.B], I[insn.C], I[insn.D]); break;
                case JitOpcode.SetArrayItemFloat: ((ArrayDescr)insn.Descr!).SetFloat(R[insn.B], I[insn.C], F[insn.D]); break;
                case JitOpcode.SetArrayItemRef: ((ArrayDescr)insn.Descr!).SetRef(R[insn.B], I[insn.C], R[insn.D]); break;

                case JitOpcode.ResidualCall:
                    scratch.Invoke(frame, insn, (CallDescr)insn.Descr!, virtualCall: false);
                    break;
                case JitOpcode.ResidualCallVirtual:
                    scratch.Invoke(frame, insn, (CallDescr)insn.Descr!, virtualCall: true);
                    break;
                case JitOpcode.InlineCall:
                {
                    var target = (CallDescr)insn.Descr!;
                    if (target.JitCode!.IsPortal)
                    {
                        scratch.Invoke(frame, insn, target, virtualCall: false);
                        break;
                    }
                    frame = Enter(frame, insn, target);
                    continue;
                }
                case JitOpcode.DispatchCall:
                {
                    var receiver = NonNull(R[Reg.Decode(insn.Args![0]).Index]);
                    var target = ((CallDescr)insn.Descr!).Resolve(receiver.GetType());
                    if (target.JitCode != null)
                    {
                        frame = Enter(frame, insn, target);
                        continue;
                    }
                    scratch.Invoke(frame, insn, target, virtualCall: false);
                    break;
                }

                case JitOpcode.IntReturn:
                case JitOpcode.FloatReturn:
                case JitOpcode.RefReturn:
                case JitOpcode.VoidReturn:
                {
                    var parent = frame.Parent;
                    if (parent == null)
                        return insn.Op switch
                        {
                            JitOpcode.IntReturn => BlackholeResult.Returned(ValueKind.Int, I[insn.B], 0, null),
                            JitOpcode.FloatReturn => BlackholeResult.Returned(ValueKind.Float, 0, F[insn.B], null),
                            JitOpcode.RefReturn => BlackholeResult.Returned(ValueKind.Ref, 0, 0, R[insn.B]),
                            _ => BlackholeResult.Returned(ValueKind.Void, 0, 0, null),
                        };
                    int dst = parent.Code.Code[parent.Pc].A;
                    switch (insn.Op)
                    {
                        case JitOpcode.IntReturn: parent.I[dst] = I[insn.B]; break;
                        case JitOpcode.FloatReturn: parent.F[dst] = F[insn.B]; break;
                        case JitOpcode.RefReturn: parent.R[dst] = R[insn.B]; break;
                    }
                    frame = parent;
                    break; // continue after the call instruction
                }
                case JitOpcode.Throw:
                    throw (Exception?)R[insn.B] ?? new NullReferenceException("Object reference not set to an instance of an object.");
                case JitOpcode.FinallyEnd:
                    if (R[insn.B] is Exception pending) ExceptionDispatchInfo.Capture(pending).Throw();
                    frame.Pc = insn.Targets![I[insn.C]];
                    first = false;
                    continue;

                case JitOpcode.JitMergePoint:
                    if (stopAtMergePoint && !first && frame.Parent == null)
                        return BlackholeResult.AtMergePoint(frame);
                    break;
                case JitOpcode.CanEnterJit: I[insn.A] = 0; break;
                case JitOpcode.PromoteInt: I[insn.A] = I[insn.B]; break;
                case JitOpcode.PromoteFloat: F[insn.A] = F[insn.B]; break;
                case JitOpcode.PromoteRef: R[insn.A] = R[insn.B]; break;
                case JitOpcode.IsConstant: I[insn.A] = 0; break;
                case JitOpcode.WeAreJitted: I[insn.A] = 1; break;
                case JitOpcode.RecordExactClass:
                    MetaJit.Jit.RecordExactClass(NonNull(R[insn.B]), ((TypeDescr)insn.Descr!).Type);
                    break;
                case JitOpcode.RecordKnownResult: break;

                default:
                    throw new InvalidOperationException($"Blackhole: unknown JitCode op {insn.Op} at {frame}.");
            }
            frame.Pc++;
            first = false;
        }
    }

    /// <summary>Pushes a frame for <paramref name="target"/>'s JitCode with the call's arguments.</summary>
    internal static JitFrame Enter(JitFrame caller, JitInsn insn, CallDescr target)
    {
        var code = target.JitCode!;
        var callee = new JitFrame(code, caller);
        var args = insn.Args!;
        var pars = code.ParamRegs;
        for (int k = 0; k < args.Length; k++)
        {
            var from = Reg.Decode(args[k]);
            var to = Reg.Decode(pars[k]);
            switch (from.Kind)
            {
                case ValueKind.Int: callee.I[to.Index] = caller.I[from.Index]; break;
                case ValueKind.Float: callee.F[to.Index] = caller.F[from.Index]; break;
                default: callee.R[to.Index] = caller.R[from.Index]; break;
            }
        }
        return callee;
    }

    private static object CastClass(object? obj, TypeDescr type)
    {
        if (obj == null || type.Type.IsInstanceOfType(obj)) return obj!;
        throw new InvalidCastException($"Unable to cast object of type '{obj.GetType()}' to type '{type.Type}'.");
    }

    private static object NonNull(object? obj) =>
        obj ?? throw new NullReferenceException("Object reference not set to an instance of an object.");
}
