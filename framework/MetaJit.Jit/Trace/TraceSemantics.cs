using System.Runtime.CompilerServices;
using MetaJit.Engine.Descriptors;

namespace MetaJit.Engine.Trace;

/// <summary>
/// The meaning of each non-guard, non-call, non-control operation on concrete values, in one place: the
/// trace interpreter runs it and the optimizer may constant-fold with it. Ints are 64-bit and wrap;
/// int_floordiv/int_mod truncate (C semantics, as C# / and %); shifts take the count modulo 64 as C# does;
/// comparisons give 0 or 1; cast_float_to_int is C# <c>(long)d</c>.
/// </summary>
/// <example><code>long r = TraceSemantics.IntBinary(OpNum.IntAdd, 2, 3);</code></example>
public static class TraceSemantics
{
    /// <summary>The result of <paramref name="op"/> (boxed; null for void ops), reading its arguments with <paramref name="get"/>.</summary>
    public static object? Evaluate(ResOperation op, Func<Value, object?> get)
    {
        var args = op.Args;
        long I(int k) => (long)get(args[k])!;
        double F(int k) => (double)get(args[k])!;
        object? R(int k) => get(args[k]);
        switch (op.Num)
        {
            case >= OpNum.IntAdd and <= OpNum.UintGe when op.Args.Length == 2:
                return IntBinary(op.Num, I(0), I(1));
            case OpNum.IntNeg: return -I(0);
            case OpNum.IntInvert: return ~I(0);
            case OpNum.IntIsZero: return I(0) == 0 ? 1L : 0L;
            case OpNum.IntIsTrue: return I(0) != 0 ? 1L : 0L;
            case OpNum.FloatAdd: return F(0) + F(1);
            case OpNum.FloatSub: return F(0) - F(1);
            case OpNum.FloatMul: return F(0) * F(1);
            case OpNum.FloatTruediv: return F(0) / F(1);
            case OpNum.FloatNeg: return -F(0);
            case OpNum.FloatAbs: return Math.Abs(F(0));
            case OpNum.FloatLt: return F(0) < F(1) ? 1L : 0L;
            case OpNum.FloatLe: return F(0) <= F(1) ? 1L : 0L;
            case OpNum.FloatEq: return F(0) == F(1) ? 1L : 0L;
            case OpNum.FloatNe: return F(0) != F(1) ? 1L : 0L;
            case OpNum.FloatGt: return F(0) > F(1) ? 1L : 0L;
            case OpNum.FloatGe: return F(0) >= F(1) ? 1L : 0L;
            case OpNum.CastIntToFloat: return (double)I(0);
            case OpNum.CastFloatToInt: return (long)F(0);
            case OpNum.PtrEq: return ReferenceEquals(R(0), R(1)) ? 1L : 0L;
            case OpNum.PtrNe: return ReferenceEquals(R(0), R(1)) ? 0L : 1L;
            case OpNum.SameAsI:
            case OpNum.SameAsF:
            case OpNum.SameAsR:
                return get(args[0]);

            case OpNum.GetfieldGcI: return Field(op).GetInt(NonNull(R(0), op));
            case OpNum.GetfieldGcF: return Field(op).GetFloat(NonNull(R(0), op));
            case OpNum.GetfieldGcR: return Field(op).GetRef(NonNull(R(0), op));
            case OpNum.SetfieldGc: Store(Field(op), NonNull(R(0), op), op.Args[1].Kind, get(args[1])); return null;
            case OpNum.GetstaticI: return Field(op).GetInt(null);
            case OpNum.GetstaticF: return Field(op).GetFloat(null);
            case OpNum.GetstaticR: return Field(op).GetRef(null);
            case OpNum.Setstatic: Store(Field(op), null, op.Args[0].Kind, get(args[0])); return null;
            case OpNum.GetarrayitemGcI: return Array(op).GetInt(R(0), I(1));
            case OpNum.GetarrayitemGcF: return Array(op).GetFloat(R(0), I(1));
            case OpNum.GetarrayitemGcR: return Array(op).GetRef(R(0), I(1));
            case OpNum.SetarrayitemGc:
                switch (op.Args[2].Kind)
                {
                    case ValueKind.Int: Array(op).SetInt(R(0), I(1), I(2)); break;
                    case ValueKind.Float: Array(op).SetFloat(R(0), I(1), F(2)); break;
                    default: Array(op).SetRef(R(0), I(1), R(2)); break;
                }
                return null;
            case OpNum.ArraylenGc: return (long)((System.Array)NonNull(R(0), op)).Length;
            case OpNum.NewWithVtable: return RuntimeHelpers.GetUninitializedObject(((TypeDescr)op.Descr!).Type);
            case OpNum.NewArray:
            case OpNum.NewArrayClear:
                return Array(op).New(I(0));
            case OpNum.Strlen: return (long)((string)NonNull(R(0), op)).Length;
            case OpNum.Strgetitem: return (long)((string)NonNull(R(0), op))[checked((int)I(1))];
        }
        throw new NotSupportedException($"{op.Name} has no direct semantics (guards, calls and control ops are run by the interpreter).");
    }

    /// <summary>A binary integer op (arithmetic, bitwise, shifts, signext and comparisons; not the _ovf ops).</summary>
    public static long IntBinary(OpNum num, long a, long b) => num switch
    {
        OpNum.IntAdd => a + b,
        OpNum.IntSub => a - b,
        OpNum.IntMul => a * b,
        OpNum.IntFloordiv => a / b,
        OpNum.IntMod => a % b,
        OpNum.UintFloordiv => (long)((ulong)a / (ulong)b),
        OpNum.UintMod => (long)((ulong)a % (ulong)b),
        OpNum.IntAnd => a & b,
        OpNum.IntOr => a | b,
        OpNum.IntXor => a ^ b,
        OpNum.IntLshift => a << (int)b,
        OpNum.IntRshift => a >> (int)b,
        OpNum.UintRshift => (long)((ulong)a >> (int)b),
        OpNum.IntSignext => SignExtend(a, b),
        OpNum.IntLt => a < b ? 1 : 0,
        OpNum.IntLe => a <= b ? 1 : 0,
        OpNum.IntEq => a == b ? 1 : 0,
        OpNum.IntNe => a != b ? 1 : 0,
        OpNum.IntGt => a > b ? 1 : 0,
        OpNum.IntGe => a >= b ? 1 : 0,
        OpNum.UintLt => (ulong)a < (ulong)b ? 1 : 0,
        OpNum.UintLe => (ulong)a <= (ulong)b ? 1 : 0,
        OpNum.UintGt => (ulong)a > (ulong)b ? 1 : 0,
        OpNum.UintGe => (ulong)a >= (ulong)b ? 1 : 0,
        _ => throw new ArgumentException($"{OpInfo.Of(num).Name} is not a binary integer op.", nameof(num)),
    };

    /// <summary>int_signext: the low <paramref name="bytes"/> bytes of <paramref name="value"/>, sign-extended (1, 2, 4 or 8).</summary>
    public static long SignExtend(long value, long bytes) => bytes switch
    {
        1 => (sbyte)value,
        2 => (short)value,
        4 => (int)value,
        8 => value,
        _ => throw new ArgumentException($"int_signext takes 1, 2, 4 or 8 bytes, not {bytes}.", nameof(bytes)),
    };

    private static FieldDescr Field(ResOperation op) => (FieldDescr)op.Descr!;
    private static ArrayDescr Array(ResOperation op) => (ArrayDescr)op.Descr!;

    private static object NonNull(object? o, ResOperation op) =>
        o ?? throw new NullReferenceException($"{op.Name} on null: the trace lacks a guard_nonnull before it.");

    private static void Store(FieldDescr field, object? obj, ValueKind kind, object? value)
    {
        switch (kind)
        {
            case ValueKind.Int: field.SetInt(obj, (long)value!); break;
            case ValueKind.Float: field.SetFloat(obj, (double)value!); break;
            default: field.SetRef(obj, value); break;
        }
    }
}
