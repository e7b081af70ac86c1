namespace RcsCorpus;

public static class Arithmetic
{
    public static int AddWrap(int a, int b) => a + b;
    public static int SubMulDiv(int a, int b) => (a - b) * 3 / (b == 0 ? 1 : b) + a % (b == 0 ? 7 : b);
    public static int Div(int a, int b) => a / b;
    public static int Rem(int a, int b) => a % b;
    public static long LongOps(long a, long b) => (a * b) ^ (a >> 3) ^ (b << 5) ^ (long)((ulong)a >> 7);
    public static int Shifts(int a, int n) => (a << n) ^ (a >> n) ^ (int)((uint)a >> n);
    public static int CheckedAdd(int a, int b) => checked(a + b);
    public static int CheckedMul(int a, int b) => checked(a * b);
    public static long CheckedSubLong(long a, long b) => checked(a - b);
    public static uint UnsignedOps(uint a, uint b) => b == 0 ? a : a / b + a % b + (a >> 3) + (a > b ? 1u : 0u);
    public static uint CheckedUnsigned(uint a, uint b) => checked(a - b);
    public static ulong ULongDiv(ulong a, ulong b) => a / b + a % b;
    public static int NegNot(int a) => -a ^ ~a;
    public static byte ByteWrap(byte a, byte b) => (byte)(a + b);
    public static sbyte SByteOps(sbyte a) => (sbyte)(a * 3);
    public static short ShortOps(short a, short b) => (short)(a * b);
    public static ushort UShortOps(ushort a) => (ushort)(a + 40000);
    public static int CheckedToByte(int a) => checked((byte)a);
    public static int CheckedUIntToInt(uint a) => checked((int)a);
    public static long CheckedULongToLong(ulong a) => checked((long)a);
    public static int LongToInt(long a) => (int)a;
    public static long UIntToLong(uint a) => a;
    public static long IntToLong(int a) => a;
    public static double IntToDouble(int a) => a / 3.0;
    public static double UIntToDouble(uint a) => a;
    public static double ULongToDouble(ulong a) => a;
    public static int DoubleToInt(double d) => (int)d;
    public static long DoubleToLong(double d) => (long)d;
    public static uint DoubleToUInt(double d) => (uint)d;
    public static int CheckedDoubleToInt(double d) => checked((int)d);
    public static float FloatMath(float a, float b) => a * b + a / 3f;
    public static double DoubleMath(double a, double b) => a * b - a / b + a % b;
    public static float IntToFloat(int a) => a;
    public static bool DoubleLess(double a, double b) => a < b;
    public static bool DoubleNotLess(double a, double b) => !(a < b);
    public static bool DoubleGreaterEq(double a, double b) => a >= b;
    public static int DoubleBranches(double a, double b)
    {
        int r = 0;
        if (a < b) r |= 1;
        if (a <= b) r |= 2;
        if (a > b) r |= 4;
        if (a >= b) r |= 8;
        if (a == b) r |= 16;
        if (a != b) r |= 32;
        if (!(a < b)) r |= 64;
        if (!(a >= b)) r |= 128;
        return r;
    }
    public static int UIntCompare(uint a, uint b) => (a < b ? 1 : 0) + (a <= b ? 2 : 0) + (a > b ? 4 : 0) + (a >= b ? 8 : 0);
    public static int ULongCompare(ulong a, ulong b) => (a < b ? 1 : 0) + (a > b ? 4 : 0);
    public static double MathCalls(double x) => Math.Sqrt(Math.Abs(x)) + Math.Max(x, 1.5) + Math.Floor(x);
    public static int CompoundOps(int a)
    {
        int x = a;
        x += 5; x *= 3; x -= a; x <<= 2; x ^= 0x55; x |= 1; x &= 0x7fffffff; x >>= 1;
        x++; --x;
        return x;
    }
}
