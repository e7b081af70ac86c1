using MetaJit.Engine.Trace;

namespace MetaJit.Engine.Optimizer;

/// <summary>
/// Exact results of 64-bit add, subtract and multiply, computed in 128 bits and told back in 64-bit terms. Only
/// these small methods touch <see cref="Int128"/>: ReadyToRun does not precompile a method that does (its layout
/// is not fixed across runtime versions), so the optimizer's hot methods that call them stay precompiled instead
/// of being JIT-compiled, and run at tier 0, at every start.
/// </summary>
internal static class WideArithmetic
{
    /// <summary>The exact range of <c>x num y</c> for x in <paramref name="a"/> and y in <paramref name="b"/>
    /// (add, subtract or multiply, plain or _ovf), clamped to 64 bits; <c>Fits</c> when no clamping was needed.</summary>
    public static (long Lo, long Hi, bool Fits) Combine(OpNum num, IntBound a, IntBound b)
    {
        Int128 lo, hi;
        switch (num)
        {
            case OpNum.IntAdd or OpNum.IntAddOvf:
                (lo, hi) = ((Int128)a.Lo + b.Lo, (Int128)a.Hi + b.Hi);
                break;
            case OpNum.IntSub or OpNum.IntSubOvf:
                (lo, hi) = ((Int128)a.Lo - b.Hi, (Int128)a.Hi - b.Lo);
                break;
            default:
                Int128 p1 = (Int128)a.Lo * b.Lo, p2 = (Int128)a.Lo * b.Hi, p3 = (Int128)a.Hi * b.Lo, p4 = (Int128)a.Hi * b.Hi;
                (lo, hi) = (Int128.Min(Int128.Min(p1, p2), Int128.Min(p3, p4)), Int128.Max(Int128.Max(p1, p2), Int128.Max(p3, p4)));
                break;
        }
        bool fits = lo >= long.MinValue && hi <= long.MaxValue;
        return ((long)Int128.Clamp(lo, long.MinValue, long.MaxValue), (long)Int128.Clamp(hi, long.MinValue, long.MaxValue), fits);
    }

    /// <summary>The exact result of <c>a num b</c> (an _ovf op) when it fits in 64 bits.</summary>
    public static bool TryExact(OpNum num, long a, long b, out long result)
    {
        Int128 wide = num switch
        {
            OpNum.IntAddOvf => (Int128)a + b,
            OpNum.IntSubOvf => (Int128)a - b,
            _ => (Int128)a * b,
        };
        bool fits = wide >= long.MinValue && wide <= long.MaxValue;
        result = fits ? (long)wide : 0;
        return fits;
    }

    /// <summary>True when <c>a + b</c> does not overflow 64 bits.</summary>
    public static bool AddFits(long a, long b) => TryExact(OpNum.IntAddOvf, a, b, out _);

    /// <summary>True when <c>a - b</c> does not overflow 64 bits.</summary>
    public static bool SubtractFits(long a, long b) => TryExact(OpNum.IntSubOvf, a, b, out _);
}
