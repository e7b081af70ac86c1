using MetaJit.Engine.Descriptors;
using MetaJit.Engine.Execution;
using MetaJit.Engine.JitCodes;
using MetaJit.Engine.Trace;

namespace MetaJit.Engine.Tracing;

// One step of the tracer: the instruction at the top frame's pc, executed for real (with the semantics of
// IntOps/BoxOps/descriptors, as the blackhole) and recorded unless every input is a constant.
internal sealed partial class Tracer
{
    private TraceOutcome? Step(ref bool first, TargetToken? ownToken)
    {
        var frame = _top.Frame;
        var insn = frame.Code.Code[frame.Pc];
        var I = frame.I;
        var F = frame.F;
        var R = frame.R;
        try
        {
            switch (insn.Op)
            {
                case JitOpcode.IntConst: SetI(insn.A, insn.Imm, C(insn.Imm)); break;
                case JitOpcode.FloatConst: SetF(insn.A, insn.FImm, CF(insn.FImm)); break;
                case JitOpcode.RefConst: SetR(insn.A, insn.Const, CP(insn.Const)); break;
                case JitOpcode.IntCopy: SetI(insn.A, I[insn.B], BI(insn.B)); break;
                case JitOpcode.FloatCopy: SetF(insn.A, F[insn.B], BF(insn.B)); break;
                case JitOpcode.RefCopy: SetR(insn.A, R[insn.B], BR(insn.B)); break;

                case JitOpcode.IntAdd: IntBin(insn, OpNum.IntAdd, IntOps.Add(I[insn.B], I[insn.C], insn.W)); break;
                case JitOpcode.IntSub: IntBin(insn, OpNum.IntSub, IntOps.Sub(I[insn.B], I[insn.C], insn.W)); break;
                case JitOpcode.IntMul: IntBin(insn, OpNum.IntMul, IntOps.Mul(I[insn.B], I[insn.C], insn.W)); break;
                case JitOpcode.IntAnd: IntBin(insn, OpNum.IntAnd, I[insn.B] & I[insn.C]); break;
                case JitOpcode.IntOr: IntBin(insn, OpNum.IntOr, I[insn.B] | I[insn.C]); break;
                case JitOpcode.IntXor: IntBin(insn, OpNum.IntXor, I[insn.B] ^ I[insn.C]); break;
                case JitOpcode.IntDiv:
                case JitOpcode.IntMod:
                    DivMod(insn);
                    break;
                case JitOpcode.IntLshift: Shift(insn, OpNum.IntLshift, IntOps.Lshift(I[insn.B], I[insn.C], insn.W)); break;
                case JitOpcode.IntRshift: Shift(insn, OpNum.IntRshift, IntOps.Rshift(I[insn.B], I[insn.C], insn.W)); break;
                case JitOpcode.IntNeg: IntUnary(insn, OpNum.IntNeg, IntOps.Neg(I[insn.B], insn.W)); break;
                case JitOpcode.IntInvert: IntUnary(insn, OpNum.IntInvert, IntOps.Invert(I[insn.B], insn.W)); break;
                case JitOpcode.IntAddOvf: Ovf(insn, OpNum.IntAddOvf, OpNum.IntAdd, () => IntOps.AddOvf(I[insn.B], I[insn.C], insn.W)); break;
                case JitOpcode.IntSubOvf: Ovf(insn, OpNum.IntSubOvf, OpNum.IntSub, () => IntOps.SubOvf(I[insn.B], I[insn.C], insn.W)); break;
                case JitOpcode.IntMulOvf: Ovf(insn, OpNum.IntMulOvf, OpNum.IntMul, () => IntOps.MulOvf(I[insn.B], I[insn.C], insn.W)); break;
                case JitOpcode.IntSignExt:
                {
                    long v = IntOps.SignExt(I[insn.B], insn.Imm);
                    var b = BI(insn.B);
                    SetI(insn.A, v, b is Const ? C(v) : Record(OpNum.IntSignext, new[] { b, C(insn.Imm / 8) }));
                    break;
                }
                case JitOpcode.IntZeroExt:
                {
                    long v = IntOps.ZeroExt(I[insn.B], insn.Imm);
                    var b = BI(insn.B);
                    long mask = insn.Imm == 32 ? 0xFFFFFFFFL : (1L << (int)insn.Imm) - 1;
                    SetI(insn.A, v, b is Const ? C(v) : Record(OpNum.IntAnd, new[] { b, C(mask) }));
                    break;
                }
                case JitOpcode.UintDiv:
                case JitOpcode.UintMod:
                case JitOpcode.UintRshift:
                case JitOpcode.UintAddOvf:
                case JitOpcode.UintSubOvf:
                case JitOpcode.UintMulOvf:
                case JitOpcode.IntConvOvf:
                case JitOpcode.CastUintToFloat:
                case JitOpcode.CastFloatToInt:
                case JitOpcode.CastFloatToIntOvf:
                case JitOpcode.FloatMod:
                case JitOpcode.FloatRound32:
                    HelperCall(insn);
                    break;

                case JitOpcode.IntLt: IntCmp(insn, OpNum.IntLt, I[insn.B] < I[insn.C]); break;
                case JitOpcode.IntLe: IntCmp(insn, OpNum.IntLe, I[insn.B] <= I[insn.C]); break;
                case JitOpcode.IntEq: IntCmp(insn, OpNum.IntEq, I[insn.B] == I[insn.C]); break;
                case JitOpcode.IntNe: IntCmp(insn, OpNum.IntNe, I[insn.B] != I[insn.C]); break;
                case JitOpcode.IntGt: IntCmp(insn, OpNum.IntGt, I[insn.B] > I[insn.C]); break;
                case JitOpcode.IntGe: IntCmp(insn, OpNum.IntGe, I[insn.B] >= I[insn.C]); break;
                case JitOpcode.UintLt: UintCmp(insn, OpNum.UintLt, IntOps.ULt(I[insn.B], I[insn.C], insn.W)); break;
                case JitOpcode.UintLe: UintCmp(insn, OpNum.UintLe, IntOps.ULe(I[insn.B], I[insn.C], insn.W)); break;
                case JitOpcode.UintGt: UintCmp(insn, OpNum.UintGt, IntOps.ULt(I[insn.C], I[insn.B], insn.W)); break;
                case JitOpcode.UintGe: UintCmp(insn, OpNum.UintGe, IntOps.ULe(I[insn.C], I[insn.B], insn.W)); break;

                case JitOpcode.FloatAdd: FloatBin(insn, OpNum.FloatAdd, F[insn.B] + F[insn.C]); break;
                case JitOpcode.FloatSub: FloatBin(insn, OpNum.FloatSub, F[insn.B] - F[insn.C]); break;
                case JitOpcode.FloatMul: FloatBin(insn, OpNum.FloatMul, F[insn.B] * F[insn.C]); break;
                case JitOpcode.FloatDiv: FloatBin(insn, OpNum.FloatTruediv, F[insn.B] / F[insn.C]); break;
                case JitOpcode.FloatNeg:
                {
                    double v = -F[insn.B];
                    var b = BF(insn.B);
                    SetF(insn.A, v, b is Const ? CF(v) : Record(OpNum.FloatNeg, new[] { b }));
                    break;
                }
                case JitOpcode.FloatLt: FloatCmp(insn, OpNum.FloatLt, F[insn.B] < F[insn.C]); break;
                case JitOpcode.FloatLe: FloatCmp(insn, OpNum.FloatLe, F[insn.B] <= F[insn.C]); break;
                case JitOpcode.FloatEq: FloatCmp(insn, OpNum.FloatEq, F[insn.B] == F[insn.C]); break;
                case JitOpcode.FloatNe: FloatCmp(insn, OpNum.FloatNe, F[insn.B] != F[insn.C]); break;
                case JitOpcode.FloatGt: FloatCmp(insn, OpNum.FloatGt, F[insn.B] > F[insn.C]); break;
                case JitOpcode.FloatGe: FloatCmp(insn, OpNum.FloatGe, F[insn.B] >= F[insn.C]); break;
                case JitOpcode.CastIntToFloat:
                {
                    double v = I[insn.B];
                    var b = BI(insn.B);
                    SetF(insn.A, v, b is Const ? CF(v) : Record(OpNum.CastIntToFloat, new[] { b }));
                    break;
                }

                case JitOpcode.PtrEq: RefCmp(insn, OpNum.PtrEq, ReferenceEquals(R[insn.B], R[insn.C]), BR(insn.C)); break;
                case JitOpcode.PtrNe: RefCmp(insn, OpNum.PtrNe, !ReferenceEquals(R[insn.B], R[insn.C]), BR(insn.C)); break;
                case JitOpcode.RefIsNull: RefCmp(insn, OpNum.PtrEq, R[insn.B] == null, ConstPtr.Null); break;
                case JitOpcode.RefNonNull: RefCmp(insn, OpNum.PtrNe, R[insn.B] != null, ConstPtr.Null); break;
                case JitOpcode.IsInst:
                {
                    var obj = R[insn.B];
                    var box = BR(insn.B);
                    bool isInstance = ((TypeDescr)insn.Descr!).IsInstance(obj);
                    GuardExactClassOrNull(box, obj);
                    SetR(insn.A, isInstance ? obj : null, isInstance ? box : ConstPtr.Null);
                    break;
                }
                case JitOpcode.CastClass:
                {
                    var obj = R[insn.B];
                    var box = BR(insn.B);
                    var type = (TypeDescr)insn.Descr!;
                    GuardExactClassOrNull(box, obj); // decides the cast
                    if (obj != null && !type.IsInstance(obj))
                    {
                        var message = $"Unable to cast object of type '{obj.GetType()}' to type '{type.Type}'.";
                        throw RaisedImplicitly(new InvalidCastException(message), CP(message));
                    }
                    SetR(insn.A, obj, box);
                    break;
                }
                case JitOpcode.BoxInt:
                case JitOpcode.BoxFloat:
                case JitOpcode.UnboxInt:
                case JitOpcode.UnboxFloat:
                    BoxingCall(insn);
                    break;

                case JitOpcode.Goto: frame.Pc = insn.Target; first = false; return null;
                case JitOpcode.GotoIfTrue:
                case JitOpcode.GotoIfFalse:
                {
                    bool cond = I[insn.B] != 0;
                    var box = BI(insn.B);
                    if (box is not Const)
                    {
                        // guard_true/guard_false take a boolean (0 or 1); any other int is tested first.
                        if (!(box is ResOperation r && IsBoolean(r.Num))) box = Record(OpNum.IntIsTrue, new[] { box });
                        Guard(cond ? OpNum.GuardTrue : OpNum.GuardFalse, new[] { box });
                    }
                    bool jump = insn.Op == JitOpcode.GotoIfTrue ? cond : !cond;
                    if (jump) { frame.Pc = insn.Target; first = false; return null; }
                    break;
                }
                case JitOpcode.GotoIfNull:
                case JitOpcode.GotoIfNonNull:
                {
                    bool isNull = R[insn.B] == null;
                    var box = BR(insn.B);
                    if (box is not Const && !(!isNull && _nonNull.Contains(box)))
                        Guard(isNull ? OpNum.GuardIsnull : OpNum.GuardNonnull, new[] { box });
                    if (isNull) SetBox(_top, Reg.R(insn.B), ConstPtr.Null);
                    else _nonNull.Add(box);
                    bool jump = insn.Op == JitOpcode.GotoIfNull ? isNull : !isNull;
                    if (jump) { frame.Pc = insn.Target; first = false; return null; }
                    break;
                }
                case JitOpcode.Switch:
                {
                    long v = I[insn.B];
                    var box = BI(insn.B);
                    if (box is not Const)
                    {
                        Guard(OpNum.GuardValue, new[] { box, C(v) });
                        SetBox(_top, Reg.I(insn.B), C(v));
                    }
                    ulong k = (uint)v;
                    frame.Pc = k < (ulong)insn.Targets!.Length ? insn.Targets[k] : insn.Target;
                    first = false;
                    return null;
                }

                case JitOpcode.New:
                {
                    var type = (TypeDescr)insn.Descr!;
                    var obj = type.Allocate();
                    var res = Record(OpNum.NewWithVtable, Array.Empty<Value>(), type);
                    _nonNull.Add(res);
                    Fresh(res, obj);
                    SetR(insn.A, obj, res);
                    break;
                }
                case JitOpcode.GetFieldInt:
                case JitOpcode.GetFieldFloat:
                case JitOpcode.GetFieldRef:
                    GetField(insn);
                    break;
                case JitOpcode.SetFieldInt:
                case JitOpcode.SetFieldFloat:
                case JitOpcode.SetFieldRef:
                    SetField(insn);
                    break;
                case JitOpcode.GetStaticInt:
                case JitOpcode.GetStaticFloat:
                case JitOpcode.GetStaticRef:
                    GetStatic(insn);
                    break;
                case JitOpcode.SetStaticInt:
                case JitOpcode.SetStaticFloat:
                case JitOpcode.SetStaticRef:
                    SetStatic(insn);
                    break;
                case JitOpcode.NewArray: NewArray(insn); break;
                case JitOpcode.ArrayLen:
                {
                    var arr = NonNull(insn.B);
                    long len = ((Array)arr).Length;
                    var box = BR(insn.B);
                    // A vable array's length is fixed for the trace (checked on entry).
                    SetI(insn.A, len, box is Const || (_vinfo != null && VableArrayOf(box) >= 0) ? C(len) : _heap.Length(box) ?? Record(OpNum.ArraylenGc, new[] { box }, Descrs.Array(arr.GetType().GetElementType()!)));
                    break;
                }
                case JitOpcode.GetArrayItemInt:
                case JitOpcode.GetArrayItemFloat:
                case JitOpcode.GetArrayItemRef:
                    GetArrayItem(insn);
                    break;
                case JitOpcode.SetArrayItemInt:
                case JitOpcode.SetArrayItemFloat:
                case JitOpcode.SetArrayItemRef:
                    SetArrayItem(insn);
                    break;

                default:
                    return StepControl(insn, ref first, ownToken);
            }
        }
        catch (TracedRaise raised)
        {
            Raise(raised.Real, raised.Box); // tracing goes on at the handler
            first = false;
            return null;
        }
        catch (TraceAbort)
        {
            throw;
        }
        catch (Exception e)
        {
            // The interpreter raised at this pc: stop tracing; the blackhole handles it from here.
            throw new TraceAbort("exception raised while tracing", e);
        }
        frame.Pc++;
        first = false;
        return null;
    }

    // ---------------------------------------------------------------- integers

    private static bool IsBoolean(OpNum op) => op is >= OpNum.IntLt and <= OpNum.IntIsTrue
        or >= OpNum.FloatLt and <= OpNum.FloatGe or OpNum.PtrEq or OpNum.PtrNe;

    private void IntBin(JitInsn insn, OpNum op, long value)
    {
        var a = BI(insn.B);
        var b = BI(insn.C);
        if (a is Const && b is Const) { SetI(insn.A, value, C(value)); return; }
        Value res = Record(op, new[] { a, b });
        if (insn.W == 32 && op is OpNum.IntAdd or OpNum.IntSub or OpNum.IntMul)
            res = Record(OpNum.IntSignext, new[] { res, C(4) });
        SetI(insn.A, value, res);
    }

    private void IntUnary(JitInsn insn, OpNum op, long value)
    {
        var a = BI(insn.B);
        if (a is Const) { SetI(insn.A, value, C(value)); return; }
        Value res = Record(op, new[] { a });
        if (insn.W == 32 && op == OpNum.IntNeg) res = Record(OpNum.IntSignext, new[] { res, C(4) });
        SetI(insn.A, value, res);
    }

    private void Shift(JitInsn insn, OpNum op, long value)
    {
        var a = BI(insn.B);
        var b = BI(insn.C);
        if (a is Const && b is Const) { SetI(insn.A, value, C(value)); return; }
        long mask = insn.W == 32 ? 31 : 63;
        var count = b is ConstInt cb ? C(cb.IntValue & mask) : (Value)Record(OpNum.IntAnd, new[] { b, C(mask) });
        Value res = Record(op, new[] { a, count });
        if (insn.W == 32 && op == OpNum.IntLshift) res = Record(OpNum.IntSignext, new[] { res, C(4) });
        SetI(insn.A, value, res);
    }

    private void DivMod(JitInsn insn)
    {
        var I = _top.Frame.I;
        long a = I[insn.B], b = I[insn.C];
        var ba = BI(insn.B);
        var bb = BI(insn.C);
        long value;
        try
        {
            value = insn.Op == JitOpcode.IntDiv ? IntOps.Div(a, b, insn.W) : IntOps.Mod(a, b, insn.W);
        }
        catch (ArithmeticException e)
        {
            // Division by zero or MinValue / -1: the helper that defines the op raises the same in compiled code.
            throw RaisedByCall(e, insn.Op == JitOpcode.IntDiv ? TraceHelpers.Div : TraceHelpers.Mod, [ba, bb, C(insn.W)]);
        }
        if (ba is Const && bb is Const) { SetI(insn.A, value, C(value)); return; }
        long min = insn.W == 32 ? int.MinValue : long.MinValue;
        if (bb is not ConstInt)
        {
            Guard(OpNum.GuardTrue, new Value[] { Record(OpNum.IntNe, new[] { bb, C(0) }) });
            var isMinusOne = Record(OpNum.IntEq, new[] { bb, C(-1) });
            var isMin = ba is ConstInt ca ? C(ca.IntValue == min ? 1 : 0) : (Value)Record(OpNum.IntEq, new[] { ba, C(min) });
            Guard(OpNum.GuardFalse, new Value[] { Record(OpNum.IntAnd, new[] { isMinusOne, isMin }) });
        }
        else if (((ConstInt)bb).IntValue == -1)
        {
            Guard(OpNum.GuardFalse, new Value[] { Record(OpNum.IntEq, new[] { ba, C(min) }) });
        }
        Value res = Record(insn.Op == JitOpcode.IntDiv ? OpNum.IntFloordiv : OpNum.IntMod, new[] { ba, bb });
        SetI(insn.A, value, res);
    }

    private void Ovf(JitInsn insn, OpNum ovfOp, OpNum plainOp, Func<long> compute)
    {
        var a = BI(insn.B);
        var b = BI(insn.C);
        long value;
        try
        {
            value = compute();
        }
        catch (OverflowException e)
        {
            // Overflowing here: the checked helper raises the same in compiled code.
            var helper = ovfOp switch { OpNum.IntAddOvf => TraceHelpers.AddOvf, OpNum.IntSubOvf => TraceHelpers.SubOvf, _ => TraceHelpers.MulOvf };
            throw RaisedByCall(e, helper, [a, b, C(insn.W)]);
        }
        if (a is Const && b is Const) { SetI(insn.A, value, C(value)); return; }
        if (insn.W == 64)
        {
            var res = Record(ovfOp, new[] { a, b });
            Guard(OpNum.GuardNoOverflow, Array.Empty<Value>());
            SetI(insn.A, value, res);
        }
        else
        {
            // 32-bit operands cannot overflow 64 bits: compute exactly and check the result fits 32 bits.
            var wide = Record(plainOp, new[] { a, b });
            var narrow = Record(OpNum.IntSignext, new Value[] { wide, C(4) });
            Guard(OpNum.GuardTrue, new Value[] { Record(OpNum.IntEq, new[] { wide, narrow }) });
            SetI(insn.A, value, wide);
        }
    }

    private void IntCmp(JitInsn insn, OpNum op, bool value)
    {
        var a = BI(insn.B);
        var b = BI(insn.C);
        long v = value ? 1 : 0;
        SetI(insn.A, v, a is Const && b is Const ? C(v) : Record(op, new[] { a, b }));
    }

    private void UintCmp(JitInsn insn, OpNum op, bool value)
    {
        var a = BI(insn.B);
        var b = BI(insn.C);
        long v = value ? 1 : 0;
        if (a is Const && b is Const) { SetI(insn.A, v, C(v)); return; }
        if (insn.W == 32)
        {
            a = a is ConstInt ca ? C((uint)ca.IntValue) : (Value)Record(OpNum.IntAnd, new[] { a, C(0xFFFFFFFFL) });
            b = b is ConstInt cb ? C((uint)cb.IntValue) : (Value)Record(OpNum.IntAnd, new[] { b, C(0xFFFFFFFFL) });
        }
        SetI(insn.A, v, Record(op, new[] { a, b }));
    }

    // ---------------------------------------------------------------- floats and references

    private void FloatBin(JitInsn insn, OpNum op, double value)
    {
        var a = BF(insn.B);
        var b = BF(insn.C);
        SetF(insn.A, value, a is Const && b is Const ? CF(value) : Record(op, new[] { a, b }));
    }

    private void FloatCmp(JitInsn insn, OpNum op, bool value)
    {
        var a = BF(insn.B);
        var b = BF(insn.C);
        long v = value ? 1 : 0;
        SetI(insn.A, v, a is Const && b is Const ? C(v) : Record(op, new[] { a, b }));
    }

    private void RefCmp(JitInsn insn, OpNum op, bool value, Value other)
    {
        var a = BR(insn.B);
        long v = value ? 1 : 0;
        SetI(insn.A, v, a is Const && other is Const ? C(v) : Record(op, new[] { a, other }));
    }

    /// <summary>Specialises on the object's exact class (or on null), which decides type tests and casts.</summary>
    private void GuardExactClassOrNull(Value box, object? obj)
    {
        if (box is Const) return;
        if (obj == null)
        {
            Guard(OpNum.GuardIsnull, new[] { box });
            return;
        }
        GuardClass(box, obj.GetType());
    }

    private readonly Dictionary<Value, Type> _knownClass = new(ReferenceEqualityComparer.Instance);

    private void GuardClass(Value box, Type type)
    {
        if (box is Const || (_knownClass.TryGetValue(box, out var known) && known == type)) return;
        Guard(_nonNull.Contains(box) ? OpNum.GuardClass : OpNum.GuardNonnullClass, new Value[] { box, CP(type) }, Descrs.Type(type));
        _nonNull.Add(box);
        _knownClass[box] = type;
    }

    private object NonNull(int refReg)
    {
        var obj = _top.Frame.R[refReg];
        var box = BR(refReg);
        if (obj == null) throw RaisedByNull(box);
        if (box is not Const && _nonNull.Add(box)) Guard(OpNum.GuardNonnull, new[] { box });
        return obj;
    }
}
