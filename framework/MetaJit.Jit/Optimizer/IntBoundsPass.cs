using System.Runtime.CompilerServices;
using System.Reflection;
using MetaJit.Engine.Descriptors;
using MetaJit.Engine.Trace;

namespace MetaJit.Engine.Optimizer;

/// <summary>
/// Integer ranges (RPython's intbounds.py). Each int op gets a range from its arguments' ranges; guards on
/// comparisons narrow their arguments' ranges afterwards. With the ranges: comparisons that are decided
/// become constants (so rewrite drops their guards), <c>int_signext</c> of a value that already fits
/// disappears, and <c>int_add_ovf</c>/<c>int_sub_ovf</c>/<c>int_mul_ovf</c> that cannot overflow become the
/// plain op, their <c>guard_no_overflow</c> dropped. Besides ranges it keeps what guards taught about pairs of
/// values (x + gap &lt;= y), which ranges cannot say: an interpreter's <c>if (i &gt;= a.Length) grow</c> before
/// the array access makes the access's own bounds check (<c>uint_lt(i, len)</c>) redundant, and so on.
/// </summary>
internal sealed class IntBoundsPass : OptimizationPass
{
    // (x, y) -> the largest gap known with x + gap <= y; x and y are current values (not constants).
    // x -> y -> the largest gap known with x + gap <= y. Nested reference-typed dictionaries rather than one keyed
    // by a tuple: an instantiation over a struct would be compiled by RyuJIT at every start.
    private readonly Dictionary<Value, Dictionary<Value, StrongBox<long>>> _below = new(ReferenceEqualityComparer.Instance);

    public override void Propagate(ResOperation op)
    {
        switch (op.Num)
        {
            case OpNum.IntAddOvf or OpNum.IntSubOvf or OpNum.IntMulOvf:
                OptimizeOverflow(op);
                return;
            case OpNum.IntSignext when op.Args[1] is ConstInt n:
            {
                var fits = IntBound.OfBytes(n.IntValue);
                if (fits.Contains(Run.BoundOf(op.Args[0])))
                {
                    Run.MakeEqual(op, op.Args[0]);
                    return;
                }
                EmitNext(op);
                Run.SetBound(op, fits);
                return;
            }
            case OpNum.GuardTrue or OpNum.GuardFalse:
            {
                var cond = Get(op.Args[0]); // before rewrite makes it the constant it now is
                EmitNext(op);
                Learn(cond, op.Num == OpNum.GuardTrue);
                return;
            }
            case OpNum.GuardValue when op.Args[0].Kind == ValueKind.Int && op.Args[1] is ConstInt:
                EmitNext(op);
                return; // rewrite makes the value the constant
        }
        if (op.Kind == ValueKind.Int && Decide(op) is long known)
        {
            Run.MakeEqual(op, new ConstInt(known));
            return;
        }
        EmitNext(op);
        if (op.Kind == ValueKind.Int && ResultBound(op) is IntBound b) Run.SetBound(op, b);
    }

    private void OptimizeOverflow(ResOperation op)
    {
        IntBound a = Run.BoundOf(op.Args[0]), b = Run.BoundOf(op.Args[1]);
        var (lo, hi, fits) = WideArithmetic.Combine(op.Num, a, b);
        if (fits)
        {
            var plain = op.Num switch { OpNum.IntAddOvf => OpNum.IntAdd, OpNum.IntSubOvf => OpNum.IntSub, _ => OpNum.IntMul };
            var now = new ResOperation(plain, op.Args);
            Run.MakeEqual(op, now);
            EmitNext(now); // the guard_no_overflow that follows is dropped: its op is no longer an _ovf op
            Run.SetBound(now, new IntBound(lo, hi));
            return;
        }
        EmitNext(op);
        // Only read after guard_no_overflow passed: then the result did not wrap (the range is clamped). Not when
        // clamping left one value: the op would become that constant, also in its own guard's fail args.
        if (lo != hi) Run.SetBound(op, new IntBound(lo, hi));
    }

    /// <summary>The range of an int op's result, or null when nothing is known.</summary>
    private IntBound? ResultBound(ResOperation op)
    {
        IntBound A(int i) => Run.BoundOf(op.Args[i]);
        switch (op.Num)
        {
            case OpNum.IntAdd or OpNum.IntSub or OpNum.IntMul:
            {
                var (lo, hi, fits) = WideArithmetic.Combine(op.Num, A(0), A(1));
                return fits ? new IntBound(lo, hi) : null;
            }
            case OpNum.IntAnd:
            {
                IntBound a = A(0), b = A(1);
                if (a.IsNonNegative && b.IsNonNegative) return new IntBound(0, Math.Min(a.Hi, b.Hi));
                if (a.IsNonNegative) return new IntBound(0, a.Hi);
                if (b.IsNonNegative) return new IntBound(0, b.Hi);
                return null;
            }
            case OpNum.IntOr or OpNum.IntXor:
            {
                IntBound a = A(0), b = A(1);
                if (!a.IsNonNegative || !b.IsNonNegative) return null;
                long m = Math.Max(a.Hi, b.Hi);
                long mask = m == 0 ? 0 : (long)(ulong.MaxValue >> System.Numerics.BitOperations.LeadingZeroCount((ulong)m));
                return new IntBound(0, mask);
            }
            case OpNum.IntRshift when op.Args[1] is ConstInt { IntValue: >= 0 and < 64 } s:
                return new IntBound(A(0).Lo >> (int)s.IntValue, A(0).Hi >> (int)s.IntValue);
            case OpNum.UintRshift when op.Args[1] is ConstInt { IntValue: > 0 and < 64 } s:
                return A(0).IsNonNegative ? new IntBound(A(0).Lo >> (int)s.IntValue, A(0).Hi >> (int)s.IntValue)
                    : new IntBound(0, (long)(ulong.MaxValue >> (int)s.IntValue));
            case OpNum.IntFloordiv when op.Args[1] is ConstInt { IntValue: > 0 } d:
                return new IntBound(A(0).Lo / d.IntValue, A(0).Hi / d.IntValue);
            case OpNum.IntMod when op.Args[1] is ConstInt { IntValue: > 0 } d:
                return A(0).IsNonNegative ? new IntBound(0, Math.Min(d.IntValue - 1, A(0).Hi)) : new IntBound(-(d.IntValue - 1), d.IntValue - 1);
            case OpNum.IntNeg when A(0).Lo != long.MinValue:
                return new IntBound(-A(0).Hi, -A(0).Lo);
            case OpNum.IntSignext when op.Args[1] is ConstInt n:
                return IntBound.OfBytes(n.IntValue);
            case >= OpNum.IntLt and <= OpNum.UintGe:
            case OpNum.IntIsZero or OpNum.IntIsTrue or OpNum.PtrEq or OpNum.PtrNe:
            case >= OpNum.FloatLt and <= OpNum.FloatGe:
                return IntBound.Bool;
            case OpNum.ArraylenGc or OpNum.Strlen:
                return new IntBound(0, int.MaxValue);
            case OpNum.Strgetitem:
                return new IntBound(0, char.MaxValue);
            case OpNum.GetfieldGcI or OpNum.GetstaticI:
                return IntBound.OfType(((FieldDescr)op.Descr!).Field.FieldType);
            case OpNum.GetarrayitemGcI:
                return IntBound.OfType(((ArrayDescr)op.Descr!).ElementType);
            case >= OpNum.CallI and <= OpNum.CallLoopinvariantN when op.Kind == ValueKind.Int && op.Descr is CallDescr { Method: MethodInfo m }:
                return IntBound.OfType(m.ReturnType);
        }
        return null;
    }

    /// <summary>The result of a comparison the ranges decide, else null.</summary>
    private long? Decide(ResOperation op)
    {
        if (op.Args.Length == 0 || op.Args[0].Kind != ValueKind.Int) return null;
        IntBound a = Run.BoundOf(op.Args[0]);
        if (op.Num is OpNum.IntIsTrue or OpNum.IntIsZero)
        {
            if (a.Contains(0) && !a.IsConstant) return null;
            bool zero = a.IsConstant && a.Lo == 0;
            return (op.Num == OpNum.IntIsZero) == zero ? 1 : 0;
        }
        if (op.Args.Length != 2 || op.Args[1].Kind != ValueKind.Int) return null;
        IntBound b = Run.BoundOf(op.Args[1]);
        var num = op.Num;
        if (num is >= OpNum.UintLt and <= OpNum.UintGe)
        {
            if (!a.IsNonNegative || !b.IsNonNegative) return null;
            num = num - OpNum.UintLt + OpNum.IntLt;
        }
        if (Related(num, op.Args[0], op.Args[1]) is bool related) return related ? 1 : 0;
        bool? r = num switch
        {
            OpNum.IntLt => a.Hi < b.Lo ? true : a.Lo >= b.Hi ? false : null,
            OpNum.IntLe => a.Hi <= b.Lo ? true : a.Lo > b.Hi ? false : null,
            OpNum.IntGt => a.Lo > b.Hi ? true : a.Hi <= b.Lo ? false : null,
            OpNum.IntGe => a.Lo >= b.Hi ? true : a.Hi < b.Lo ? false : null,
            OpNum.IntEq => a.IsConstant && b.IsConstant && a.Lo == b.Lo ? true : a.Intersect(b) == null ? false : null,
            OpNum.IntNe => a.IsConstant && b.IsConstant && a.Lo == b.Lo ? false : a.Intersect(b) == null ? true : null,
            _ => null,
        };
        return r == null ? null : r.Value ? 1 : 0;
    }

    /// <summary>After guard_true/guard_false(<paramref name="cond"/>), or in a bridge whose guard on it failed: what
    /// the comparison tells about its arguments.</summary>
    public void Learn(Value cond, bool isTrue)
    {
        if (cond is not ResOperation cmp || cmp.Args.Length == 0 || cmp.Args[0].Kind != ValueKind.Int) return;
        if (cmp.Num is OpNum.IntIsTrue or OpNum.IntIsZero)
        {
            var tested = cmp.Args[0];
            if ((cmp.Num == OpNum.IntIsZero) == isTrue) Run.SetBound(tested, IntBound.Exact(0));
            // Not zero: a range that starts or ends at zero (a byte, a length) loses it.
            else if (Run.BoundOf(tested) is { Lo: 0, Hi: > 0 } above) Run.SetBound(tested, above with { Lo = 1 });
            else if (Run.BoundOf(tested) is { Hi: 0, Lo: < 0 } below) Run.SetBound(tested, below with { Hi = -1 });
            return;
        }
        if (cmp.Args.Length != 2) return;
        Value x = cmp.Args[0], y = cmp.Args[1];
        switch (cmp.Num)
        {
            case OpNum.IntLt: if (isTrue) Less(x, y, 1); else Less(y, x, 0); break;
            case OpNum.IntLe: if (isTrue) Less(x, y, 0); else Less(y, x, 1); break;
            case OpNum.IntGt: if (isTrue) Less(y, x, 1); else Less(x, y, 0); break;
            case OpNum.IntGe: if (isTrue) Less(y, x, 0); else Less(x, y, 1); break;
            case OpNum.IntEq when isTrue:
            case OpNum.IntNe when !isTrue:
            {
                var both = Run.BoundOf(x).Intersect(Run.BoundOf(y));
                if (both != null) { Run.SetBound(x, both.Value); Run.SetBound(y, both.Value); }
                break;
            }
            // Unsigned x < y with y >= 0 (a length): x is in [0, y - 1], the usual bounds check.
            case OpNum.UintLt when isTrue: UnsignedBelow(x, y, 1); break;
            case OpNum.UintLe when isTrue: UnsignedBelow(x, y, 0); break;
            case OpNum.UintGt when isTrue: UnsignedBelow(y, x, 1); break;
            case OpNum.UintGe when isTrue: UnsignedBelow(y, x, 0); break;
            case OpNum.UintGe when !isTrue: UnsignedBelow(x, y, 1); break;
            case OpNum.UintGt when !isTrue: UnsignedBelow(x, y, 0); break;
            case OpNum.UintLe when !isTrue: UnsignedBelow(y, x, 1); break;
            case OpNum.UintLt when !isTrue: UnsignedBelow(y, x, 0); break;
        }
    }

    /// <summary>A signed comparison of x and y that a known relation between the two decides, else null.</summary>
    private bool? Related(OpNum num, Value x, Value y)
    {
        if (_below.Count == 0) return null;
        long? xy = Gap(x, y), yx = Gap(y, x);
        return num switch
        {
            OpNum.IntLt => xy >= 1 ? true : yx >= 0 ? false : null,
            OpNum.IntLe => xy >= 0 ? true : yx >= 1 ? false : null,
            OpNum.IntGt => yx >= 1 ? true : xy >= 0 ? false : null,
            OpNum.IntGe => yx >= 0 ? true : xy >= 1 ? false : null,
            OpNum.IntEq => xy >= 1 || yx >= 1 ? false : null,
            OpNum.IntNe => xy >= 1 || yx >= 1 ? true : null,
            _ => null,
        };
    }

    private long? Gap(Value x, Value y) =>
        _below.TryGetValue(Get(x), out var above) && above.TryGetValue(Get(y), out var gap) ? gap.Value : null;

    /// <summary>Remembers x + gap &lt;= y for two values that are not constants (ranges hold the rest).</summary>
    private void Relate(Value x, Value y, long gap)
    {
        x = Get(x);
        y = Get(y);
        if (x is Const || y is Const || ReferenceEquals(x, y)) return;
        if (!_below.TryGetValue(x, out var above)) _below[x] = above = new Dictionary<Value, StrongBox<long>>(ReferenceEqualityComparer.Instance);
        if (!above.TryGetValue(y, out var known)) above[y] = new StrongBox<long>(gap);
        else if (known.Value < gap) known.Value = gap;
    }

    /// <summary>Learns x &lt;= y - gap (gap 1: x &lt; y; gap 0: x &lt;= y).</summary>
    private void Less(Value x, Value y, long gap)
    {
        Relate(x, y, gap);
        IntBound bx = Run.BoundOf(x), by = Run.BoundOf(y);
        if (WideArithmetic.SubtractFits(by.Hi, gap)) Run.SetBound(x, new IntBound(long.MinValue, by.Hi - gap));
        if (WideArithmetic.AddFits(bx.Lo, gap)) Run.SetBound(y, new IntBound(bx.Lo + gap, long.MaxValue));
    }

    private void UnsignedBelow(Value x, Value y, long gap)
    {
        var by = Run.BoundOf(y);
        if (!by.IsNonNegative || by.Hi - gap < 0) return;
        Relate(x, y, gap); // unsigned x < y with y >= 0: 0 <= x < y, signed as well
        var bx = Run.BoundOf(x).Intersect(new IntBound(0, by.Hi - gap));
        if (bx == null) return;
        Run.SetBound(x, bx.Value);
        // And y is above x: after checking index 2 against a length, indexes 0 and 1 need no check.
        if (WideArithmetic.AddFits(bx.Value.Lo, gap) && bx.Value.Lo + gap <= by.Hi && by.Intersect(new IntBound(bx.Value.Lo + gap, by.Hi)) is { } above) Run.SetBound(y, above);
    }
}
