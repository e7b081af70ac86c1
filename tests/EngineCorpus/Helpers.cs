using MetaJit;

namespace EngineCorpus;

/// <summary>A pair allocated in the helpers (a candidate for virtualization that sometimes escapes).</summary>
public sealed class Pair
{
    /// <summary>Creates a pair.</summary>
    public Pair(long left, long right)
    {
        Left = left;
        Right = right;
    }

    /// <summary>The left value.</summary>
    public long Left;
    /// <summary>The right value.</summary>
    public long Right;
}

/// <summary>The helpers of <see cref="Op.Call"/>: looked-inside RC# (the JIT inlines them) unless marked.</summary>
public static class Helpers
{
    private static readonly string[] Words = { "meta", "tracing", "jit", "", "x" };

    /// <summary>
    /// Slices one of <see cref="Words"/> the way an interpreter would (clamp, then <c>RString.Slice</c>), slices the
    /// slice, concatenates, and returns what it measured and read: the JIT keeps the slices virtual when it can.
    /// </summary>
    public static long Slices(long x, long limit)
    {
        string text = Words[(int)(x % Words.Length)];
        int n = text.Length;
        int start = (int)(x % 4);
        if (start > n) start = n;
        int stop = start + (int)(limit % 5);
        if (stop > n) stop = n;
        string piece = MetaJit.Rlib.RString.Slice(text, start, stop - start);
        string inner = piece.Length > 1 ? MetaJit.Rlib.RString.Slice(piece, 1, piece.Length - 1) : piece;
        string marked = inner + "!";
        long sum = piece.Length * 1000 + inner.Length * 100 + marked.Length;
        if (inner.Length > 0) sum += inner[0];
        if (x % 7 == 0) return sum + string.Concat(piece, marked).Length; // the strings built (x % 7 == 0)
        return sum;
    }

    private static int _calls;

    /// <summary>How many calls between two forced GCs in <see cref="Collect"/>.</summary>
    public static int CollectEvery = 7;

    /// <summary>Calls the helper <paramref name="fn"/> with argument <paramref name="x"/> and limit <paramref name="limit"/>.</summary>
    public static long Call(Fn fn, long x, long limit)
    {
        switch (fn)
        {
            case Fn.Deep: return Deep(x, limit);
            case Fn.Check: return Checked(x, limit);
            case Fn.Safe: return Safe(x, limit);
            case Fn.Collect: return Collect(x, limit);
            case Fn.CatchResidual: return CatchResidual(x);
            case Fn.CatchNull: return CatchNull(x);
            case Fn.CatchDivide: return CatchDivide(x);
            case Fn.CatchIndex: return CatchIndex(x);
            case Fn.Slices: return Slices(x, limit);
            default: throw new VmError("bad helper " + ((int)fn).ToString());
        }
    }

    /// <summary>Level 1: keeps a pair and a local live across the call.</summary>
    public static long Deep(long x, long limit)
    {
        var pair = new Pair(x, limit);
        long before = x * 3;
        long inner = Middle(pair, before);
        return inner + before - pair.Left;
    }

    /// <summary>Level 2: more locals live across the call.</summary>
    public static long Middle(Pair pair, long before)
    {
        long k = pair.Left + 11;
        var other = new Pair(k, before);
        long inner = Leaf(other, pair.Right);
        return inner * 2 + k + other.Right;
    }

    /// <summary>Level 3: the branch that flips when the argument reaches the limit.</summary>
    public static long Leaf(Pair p, long limit)
    {
        if (p.Left - 11 < limit) return p.Left + 1;
        p.Right = p.Right + 5;
        return p.Left * 5 - p.Right;
    }

    /// <summary>Level 1 of the throwing chain.</summary>
    public static long Checked(long x, long limit)
    {
        long before = x + 100;
        return CheckedInner(x, limit) + before;
    }

    private static long CheckedInner(long x, long limit)
    {
        long y = x * 2;
        return Throwing(x, limit) + y;
    }

    private static long Throwing(long x, long limit)
    {
        if (x == limit) throw new VmError("limit " + limit.ToString() + " reached");
        return x + 1;
    }

    /// <summary>Catches the error of <see cref="Checked"/> two calls down.</summary>
    public static long Safe(long x, long limit)
    {
        long before = x * 7;
        long got = SafeInner(x, limit);
        return got + before;
    }

    private static long SafeInner(long x, long limit)
    {
        try
        {
            return Checked(x, limit);
        }
        catch (VmError)
        {
            return -1000;
        }
    }

    /// <summary>Catches what the residual <see cref="AlwaysThrows"/> raises.</summary>
    public static long CatchResidual(long x)
    {
        long before = x * 3;
        try
        {
            return AlwaysThrows(x) + before;
        }
        catch (VmError e)
        {
            return before - e.Message.Length;
        }
    }

    /// <summary>A residual call that always throws.</summary>
    [DontLookInside]
    public static long AlwaysThrows(long x) => throw new VmError("no " + x.ToString());

    /// <summary>Reads a field of null (for any argument but -1); the exception is caught here.</summary>
    public static long CatchNull(long x)
    {
        Pair? pair = x == -1 ? new Pair(x, 1) : null;
        try
        {
            return pair!.Left + 1;
        }
        catch (NullReferenceException)
        {
            return -x;
        }
    }

    /// <summary>Divides by zero (for any argument but -1); the exception is caught here.</summary>
    public static long CatchDivide(long x)
    {
        long divisor = x == -1 ? 2 : 0;
        try
        {
            return 1000 / divisor + x;
        }
        catch (DivideByZeroException)
        {
            return x * 100;
        }
    }

    private static readonly long[] Three = { 10, 20, 30 };

    /// <summary>Indexes a three-item array past its end (for x &gt;= 0); the exception is caught here.</summary>
    public static long CatchIndex(long x)
    {
        try
        {
            return Three[x + 3];
        }
        catch (IndexOutOfRangeException)
        {
            return -1;
        }
    }

    /// <summary>A residual call that writes the quasi-immutable scale (adding one) when <paramref name="x"/>
    /// equals <paramref name="at"/>; returns <paramref name="x"/>.</summary>
    [DontLookInside]
    public static long Rescale(Settings settings, long x, long at)
    {
        if (x == at) settings.Scale = settings.Scale + 1;
        return x;
    }

    /// <summary>A residual call: a full GC every <see cref="CollectEvery"/> calls.</summary>
    [DontLookInside]
    public static long Collect(long x, long limit)
    {
        _calls++;
        if (_calls % CollectEvery == 0)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
        return x + limit;
    }
}
