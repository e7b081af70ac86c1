using MetaJit.Engine.Descriptors;
using MetaJit.Engine.JitCodes;
using Mono.Cecil.Cil;

namespace MetaJit.Toolchain.Codewriting;

// Numbers: the IL stack type of each operand gives the width (int32 -> W=32, int64/native int -> W=64) and,
// for floats, whether a float32 result must be rounded (FloatRound32), as RyuJIT computes float32 in single precision.
internal sealed partial class Codewriter
{
    private static byte Width(StackItem a, StackItem b) => a.Type == StackType.I32 && b.Type == StackType.I32 ? (byte)32 : (byte)64;

    private void Binary(Code code)
    {
        var b = PopValue();
        var a = PopValue();
        if (a.Kind == ValueKind.Float || b.Kind == ValueKind.Float)
        {
            if (a.Kind != b.Kind) throw Error("Mixed int and float operands.");
            var op = code switch
            {
                Code.Add => JitOpcode.FloatAdd, Code.Sub => JitOpcode.FloatSub, Code.Mul => JitOpcode.FloatMul,
                Code.Div => JitOpcode.FloatDiv, Code.Rem => JitOpcode.FloatMod,
                _ => throw Error($"'{code}' on floating-point values."),
            };
            bool single = a.Type == StackType.F32 && b.Type == StackType.F32;
            int r = Push(ValueKind.Float, single ? StackType.F32 : StackType.F64);
            if (single)
            {
                Emit(op, r, a.Reg, b.Reg);
                EmitDef(JitOpcode.FloatRound32, r, r);
            }
            else EmitDef(op, r, a.Reg, b.Reg);
            return;
        }
        if (a.Kind != ValueKind.Int || b.Kind != ValueKind.Int) throw Error($"'{code}' on references.");
        bool shift = code is Code.Shl or Code.Shr or Code.Shr_Un;
        byte w = shift ? (a.Type == StackType.I32 ? (byte)32 : (byte)64) : Width(a, b);
        var iop = code switch
        {
            Code.Add => JitOpcode.IntAdd, Code.Sub => JitOpcode.IntSub, Code.Mul => JitOpcode.IntMul,
            Code.Div => JitOpcode.IntDiv, Code.Div_Un => JitOpcode.UintDiv, Code.Rem => JitOpcode.IntMod, Code.Rem_Un => JitOpcode.UintMod,
            Code.And => JitOpcode.IntAnd, Code.Or => JitOpcode.IntOr, Code.Xor => JitOpcode.IntXor,
            Code.Shl => JitOpcode.IntLshift, Code.Shr => JitOpcode.IntRshift, Code.Shr_Un => JitOpcode.UintRshift,
            Code.Add_Ovf => JitOpcode.IntAddOvf, Code.Add_Ovf_Un => JitOpcode.UintAddOvf,
            Code.Sub_Ovf => JitOpcode.IntSubOvf, Code.Sub_Ovf_Un => JitOpcode.UintSubOvf,
            Code.Mul_Ovf => JitOpcode.IntMulOvf, Code.Mul_Ovf_Un => JitOpcode.UintMulOvf,
            _ => throw Error($"Unknown arithmetic {code}."),
        };
        int dst = Push(ValueKind.Int, w == 32 ? StackType.I32 : StackType.I64);
        EmitDef(iop, dst, a.Reg, b.Reg, 0, w);
    }

    private void Unary(Code code)
    {
        var a = PopValue();
        if (a.Kind == ValueKind.Float)
        {
            if (code != Code.Neg) throw Error("'not' on a floating-point value.");
            EmitDef(JitOpcode.FloatNeg, Push(ValueKind.Float, a.Type), a.Reg);
            return;
        }
        byte w = a.Type == StackType.I32 ? (byte)32 : (byte)64;
        EmitDef(code == Code.Neg ? JitOpcode.IntNeg : JitOpcode.IntInvert, Push(ValueKind.Int, a.Type), a.Reg, 0, 0, w);
    }

    private void Convert(Code code)
    {
        var a = PopValue();
        if (a.Kind == ValueKind.Ref) throw Error("Converting a reference to a number (pointers are not RC#).");
        bool fromFloat = a.Kind == ValueKind.Float;
        byte w = a.Type == StackType.I32 ? (byte)32 : (byte)64;
        switch (code)
        {
            case Code.Conv_R8:
                if (fromFloat) { ReuseAs(a, StackType.F64); return; }
                EmitDef(JitOpcode.CastIntToFloat, Push(ValueKind.Float, StackType.F64), a.Reg);
                return;
            case Code.Conv_R4:
            {
                int r = Push(ValueKind.Float, StackType.F32);
                if (fromFloat) EmitDef(JitOpcode.FloatRound32, r, a.Reg);
                else { Emit(JitOpcode.CastIntToFloat, r, a.Reg); EmitDef(JitOpcode.FloatRound32, r, r); }
                return;
            }
            case Code.Conv_R_Un:
                if (fromFloat) { ReuseAs(a, StackType.F64); return; }
                EmitDef(JitOpcode.CastUintToFloat, Push(ValueKind.Float, StackType.F64), a.Reg, 0, 0, w);
                return;
        }
        var (target, ovf, unsignedSource) = code switch
        {
            Code.Conv_I1 => (TypeCode.SByte, false, false), Code.Conv_U1 => (TypeCode.Byte, false, false),
            Code.Conv_I2 => (TypeCode.Int16, false, false), Code.Conv_U2 => (TypeCode.UInt16, false, false),
            Code.Conv_I4 => (TypeCode.Int32, false, false), Code.Conv_U4 => (TypeCode.UInt32, false, false),
            Code.Conv_I8 or Code.Conv_I => (TypeCode.Int64, false, false), Code.Conv_U8 or Code.Conv_U => (TypeCode.UInt64, false, false),
            Code.Conv_Ovf_I1 => (TypeCode.SByte, true, false), Code.Conv_Ovf_U1 => (TypeCode.Byte, true, false),
            Code.Conv_Ovf_I2 => (TypeCode.Int16, true, false), Code.Conv_Ovf_U2 => (TypeCode.UInt16, true, false),
            Code.Conv_Ovf_I4 => (TypeCode.Int32, true, false), Code.Conv_Ovf_U4 => (TypeCode.UInt32, true, false),
            Code.Conv_Ovf_I8 or Code.Conv_Ovf_I => (TypeCode.Int64, true, false), Code.Conv_Ovf_U8 or Code.Conv_Ovf_U => (TypeCode.UInt64, true, false),
            Code.Conv_Ovf_I1_Un => (TypeCode.SByte, true, true), Code.Conv_Ovf_U1_Un => (TypeCode.Byte, true, true),
            Code.Conv_Ovf_I2_Un => (TypeCode.Int16, true, true), Code.Conv_Ovf_U2_Un => (TypeCode.UInt16, true, true),
            Code.Conv_Ovf_I4_Un => (TypeCode.Int32, true, true), Code.Conv_Ovf_U4_Un => (TypeCode.UInt32, true, true),
            Code.Conv_Ovf_I8_Un or Code.Conv_Ovf_I_Un => (TypeCode.Int64, true, true),
            Code.Conv_Ovf_U8_Un or Code.Conv_Ovf_U_Un => (TypeCode.UInt64, true, true),
            _ => throw Error($"Unknown conversion {code}."),
        };
        var resultType = target is TypeCode.Int64 or TypeCode.UInt64 ? StackType.I64 : StackType.I32;
        if (fromFloat)
        {
            EmitDef(ovf ? JitOpcode.CastFloatToIntOvf : JitOpcode.CastFloatToInt, Push(ValueKind.Int, resultType), a.Reg).Imm = (long)target;
            return;
        }
        if (ovf)
        {
            var insn = EmitDef(JitOpcode.IntConvOvf, Push(ValueKind.Int, resultType), a.Reg, 0, 0, w);
            insn.Const = target;
            insn.Imm = unsignedSource ? 1 : 0;
            return;
        }
        switch (target)
        {
            case TypeCode.SByte: Extend(a, JitOpcode.IntSignExt, 8, StackType.I32); return;
            case TypeCode.Byte: Extend(a, JitOpcode.IntZeroExt, 8, StackType.I32); return;
            case TypeCode.Int16: Extend(a, JitOpcode.IntSignExt, 16, StackType.I32); return;
            case TypeCode.UInt16: Extend(a, JitOpcode.IntZeroExt, 16, StackType.I32); return;
            case TypeCode.Int32:
            case TypeCode.UInt32: // an int32 on the stack, kept sign-extended whatever its C# signedness
                if (a.Type == StackType.I32) { ReuseAs(a, StackType.I32); return; }
                Extend(a, JitOpcode.IntSignExt, 32, StackType.I32);
                return;
            case TypeCode.Int64:
                ReuseAs(a, StackType.I64); // int32 values are already sign-extended
                return;
            case TypeCode.UInt64:
                if (a.Type == StackType.I32) { Extend(a, JitOpcode.IntZeroExt, 32, StackType.I64); return; }
                ReuseAs(a, StackType.I64);
                return;
        }
    }

    private void Extend(StackItem a, JitOpcode op, int bits, StackType result) =>
        EmitDef(op, Push(ValueKind.Int, result), a.Reg).Imm = bits;

    /// <summary>A conversion that changes only the IL type: the same register, re-typed.</summary>
    private void ReuseAs(StackItem a, StackType type)
    {
        var b = a.Clone();
        b.Type = type;
        b.IsNull = false;
        _stack!.Add(b);
    }

    /// <summary>The JitCode comparison for an IL compare or compare-and-branch; <c>Negate</c> when the IL
    /// meaning is the negation of an ordered float comparison (bge.un on floats is !(a &lt; b)).</summary>
    private (JitOpcode Op, bool Negate, byte W, int B, int C) Comparison(Code code, StackItem a, StackItem b)
    {
        if (a.Kind == ValueKind.Ref || b.Kind == ValueKind.Ref)
        {
            if (a.Kind != b.Kind) throw Error("Comparing a reference with a number.");
            bool eq = code is Code.Ceq or Code.Beq;
            bool ne = code is Code.Cgt_Un or Code.Bne_Un;
            if (!eq && !ne) throw Error($"Ordered comparison '{code}' of references.");
            if (b.IsNull) return (eq ? JitOpcode.RefIsNull : JitOpcode.RefNonNull, false, 64, a.Reg, 0);
            if (a.IsNull) return (eq ? JitOpcode.RefIsNull : JitOpcode.RefNonNull, false, 64, b.Reg, 0);
            return (eq ? JitOpcode.PtrEq : JitOpcode.PtrNe, false, 64, a.Reg, b.Reg);
        }
        if (a.Kind == ValueKind.Float)
        {
            var (op, neg) = code switch
            {
                Code.Ceq or Code.Beq => (JitOpcode.FloatEq, false),
                Code.Bne_Un => (JitOpcode.FloatNe, false),
                Code.Cgt or Code.Bgt => (JitOpcode.FloatGt, false),
                Code.Clt or Code.Blt => (JitOpcode.FloatLt, false),
                Code.Bge => (JitOpcode.FloatGe, false),
                Code.Ble => (JitOpcode.FloatLe, false),
                Code.Cgt_Un or Code.Bgt_Un => (JitOpcode.FloatLe, true),
                Code.Clt_Un or Code.Blt_Un => (JitOpcode.FloatGe, true),
                Code.Bge_Un => (JitOpcode.FloatLt, true),
                Code.Ble_Un => (JitOpcode.FloatGt, true),
                _ => throw Error($"Unknown comparison {code}."),
            };
            return (op, neg, 64, a.Reg, b.Reg);
        }
        var iop = code switch
        {
            Code.Ceq or Code.Beq => JitOpcode.IntEq,
            Code.Bne_Un => JitOpcode.IntNe,
            Code.Cgt or Code.Bgt => JitOpcode.IntGt,
            Code.Clt or Code.Blt => JitOpcode.IntLt,
            Code.Bge => JitOpcode.IntGe,
            Code.Ble => JitOpcode.IntLe,
            Code.Cgt_Un or Code.Bgt_Un => JitOpcode.UintGt,
            Code.Clt_Un or Code.Blt_Un => JitOpcode.UintLt,
            Code.Bge_Un => JitOpcode.UintGe,
            Code.Ble_Un => JitOpcode.UintLe,
            _ => throw Error($"Unknown comparison {code}."),
        };
        return (iop, false, Width(a, b), a.Reg, b.Reg);
    }

    private void CompareValue(Code code)
    {
        var b = PopValue();
        var a = PopValue();
        var (op, negate, w, rb, rc) = Comparison(code, a, b);
        int dst = Push(ValueKind.Int, StackType.I32);
        if (!negate)
        {
            EmitDef(op, dst, rb, rc, 0, w);
            return;
        }
        Emit(op, dst, rb, rc, 0, w);
        int one = Temp(ValueKind.Int, _stack!.Count);
        Emit(JitOpcode.IntConst, one).Imm = 1;
        EmitDef(JitOpcode.IntXor, dst, dst, one);
    }
}
