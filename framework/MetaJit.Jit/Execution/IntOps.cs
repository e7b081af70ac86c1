namespace MetaJit.Engine.Execution;

/// <summary>
/// The meaning of the JitCode integer operations, defined once and used by the blackhole interpreter, the
/// tracer (to compute the real values it records) and constant folding. A width of 32 means: operands are
/// int32 values (kept sign-extended in 64-bit registers) and so is the result; C#'s own operators give the
/// exact wraparound, masking and exceptions the native interpreter sees.
/// </summary>
public static class IntOps
{
    /// <summary>Keeps the low 32 bits sign-extended when <paramref name="w"/> is 32.</summary>
    public static long Norm(long v, int w) => w == 32 ? (int)v : v;

    /// <summary>a + b (wrapping).</summary>
    public static long Add(long a, long b, int w) => w == 32 ? unchecked((int)a + (int)b) : unchecked(a + b);
    /// <summary>a - b (wrapping).</summary>
    public static long Sub(long a, long b, int w) => w == 32 ? unchecked((int)a - (int)b) : unchecked(a - b);
    /// <summary>a * b (wrapping).</summary>
    public static long Mul(long a, long b, int w) => w == 32 ? unchecked((int)a * (int)b) : unchecked(a * b);
    /// <summary>Truncating division; throws as C# does.</summary>
    public static long Div(long a, long b, int w) => w == 32 ? (int)a / (int)b : a / b;
    /// <summary>Remainder with the sign of the dividend; throws as C# does.</summary>
    public static long Mod(long a, long b, int w) => w == 32 ? (int)a % (int)b : a % b;
    /// <summary>Unsigned division.</summary>
    public static long UDiv(long a, long b, int w) => w == 32 ? (int)((uint)a / (uint)b) : (long)((ulong)a / (ulong)b);
    /// <summary>Unsigned remainder.</summary>
    public static long UMod(long a, long b, int w) => w == 32 ? (int)((uint)a % (uint)b) : (long)((ulong)a % (ulong)b);
    /// <summary>Shift left, count masked to the width.</summary>
    public static long Lshift(long a, long b, int w) => w == 32 ? (int)a << (int)b : a << (int)b;
    /// <summary>Arithmetic shift right, count masked to the width.</summary>
    public static long Rshift(long a, long b, int w) => w == 32 ? (int)a >> (int)b : a >> (int)b;
    /// <summary>Logical shift right, count masked to the width.</summary>
    public static long URshift(long a, long b, int w) => w == 32 ? (int)((uint)a >> (int)b) : (long)((ulong)a >> (int)b);
    /// <summary>-a (wrapping).</summary>
    public static long Neg(long a, int w) => w == 32 ? unchecked(-(int)a) : unchecked(-a);
    /// <summary>~a.</summary>
    public static long Invert(long a, int w) => w == 32 ? ~(int)a : ~a;

    /// <summary>Checked signed add: <see cref="OverflowException"/> as C# <c>checked</c>.</summary>
    public static long AddOvf(long a, long b, int w) => w == 32 ? checked((int)a + (int)b) : checked(a + b);
    /// <summary>Checked signed subtract.</summary>
    public static long SubOvf(long a, long b, int w) => w == 32 ? checked((int)a - (int)b) : checked(a - b);
    /// <summary>Checked signed multiply.</summary>
    public static long MulOvf(long a, long b, int w) => w == 32 ? checked((int)a * (int)b) : checked(a * b);
    /// <summary>Checked unsigned add.</summary>
    public static long UAddOvf(long a, long b, int w) => w == 32 ? (int)checked((uint)a + (uint)b) : (long)checked((ulong)a + (ulong)b);
    /// <summary>Checked unsigned subtract.</summary>
    public static long USubOvf(long a, long b, int w) => w == 32 ? (int)checked((uint)a - (uint)b) : (long)checked((ulong)a - (ulong)b);
    /// <summary>Checked unsigned multiply.</summary>
    public static long UMulOvf(long a, long b, int w) => w == 32 ? (int)checked((uint)a * (uint)b) : (long)checked((ulong)a * (ulong)b);

    /// <summary>Unsigned a &lt; b at the width.</summary>
    public static bool ULt(long a, long b, int w) => w == 32 ? (uint)a < (uint)b : (ulong)a < (ulong)b;
    /// <summary>Unsigned a &lt;= b.</summary>
    public static bool ULe(long a, long b, int w) => w == 32 ? (uint)a <= (uint)b : (ulong)a <= (ulong)b;

    /// <summary>Sign-extends from <paramref name="bits"/> (8, 16 or 32).</summary>
    public static long SignExt(long v, long bits) => bits switch { 8 => (sbyte)v, 16 => (short)v, 32 => (int)v, _ => v };
    /// <summary>Zero-extends from <paramref name="bits"/> (8, 16 or 32).</summary>
    public static long ZeroExt(long v, long bits) => bits switch { 8 => (byte)v, 16 => (ushort)v, 32 => (uint)v, _ => v };

    /// <summary>
    /// IL <c>conv.ovf.*</c> from an integer: <paramref name="target"/> is the target type, <paramref name="sourceUnsigned"/>
    /// whether the source is read unsigned (the <c>.un</c> forms) at width <paramref name="w"/>.
    /// </summary>
    public static long ConvOvf(long v, TypeCode target, bool sourceUnsigned, int w)
    {
        Int128 x = sourceUnsigned ? (w == 32 ? (uint)v : (Int128)(ulong)v) : v;
        var (min, max) = Range(target);
        if (x < min || x > max) throw new OverflowException("Arithmetic operation resulted in an overflow.");
        return target switch
        {
            TypeCode.UInt32 => (int)(uint)x,   // an int32 on the stack
            TypeCode.UInt64 => (long)(ulong)x,
            _ => (long)x,
        };
    }

    private static (Int128 Min, Int128 Max) Range(TypeCode target) => target switch
    {
        TypeCode.SByte => (sbyte.MinValue, sbyte.MaxValue),
        TypeCode.Byte => (byte.MinValue, byte.MaxValue),
        TypeCode.Int16 => (short.MinValue, short.MaxValue),
        TypeCode.UInt16 or TypeCode.Char => (ushort.MinValue, ushort.MaxValue),
        TypeCode.Int32 => (int.MinValue, int.MaxValue),
        TypeCode.UInt32 => (uint.MinValue, uint.MaxValue),
        TypeCode.Int64 => (long.MinValue, long.MaxValue),
        TypeCode.UInt64 => ((Int128)ulong.MinValue, (Int128)ulong.MaxValue),
        _ => throw new NotSupportedException($"conv.ovf to {target}"),
    };

    /// <summary>IL <c>conv.*</c> of a double to the integral type <paramref name="target"/>, unchecked, as C# casts.</summary>
    public static long FromFloat(double d, TypeCode target) => target switch
    {
        TypeCode.SByte => (sbyte)d,
        TypeCode.Byte => (byte)d,
        TypeCode.Int16 => (short)d,
        TypeCode.UInt16 or TypeCode.Char => (ushort)d,
        TypeCode.Int32 => (int)d,
        TypeCode.UInt32 => (int)(uint)d,
        TypeCode.Int64 => (long)d,
        TypeCode.UInt64 => (long)(ulong)d,
        TypeCode.Boolean => d != 0 ? 1 : 0,
        _ => throw new NotSupportedException($"conv from double to {target}"),
    };

    /// <summary>IL <c>conv.ovf.*</c> of a double: <see cref="OverflowException"/> when out of range.</summary>
    public static long FromFloatOvf(double d, TypeCode target) => target switch
    {
        TypeCode.SByte => checked((sbyte)d),
        TypeCode.Byte => checked((byte)d),
        TypeCode.Int16 => checked((short)d),
        TypeCode.UInt16 or TypeCode.Char => checked((ushort)d),
        TypeCode.Int32 => checked((int)d),
        TypeCode.UInt32 => (int)checked((uint)d),
        TypeCode.Int64 => checked((long)d),
        TypeCode.UInt64 => (long)checked((ulong)d),
        _ => throw new NotSupportedException($"conv.ovf from double to {target}"),
    };

    /// <summary>IL <c>conv.r.un</c>: the low <paramref name="w"/> bits read unsigned, as a double.</summary>
    public static double UToFloat(long v, int w) => w == 32 ? (uint)v : (double)(ulong)v;
}
