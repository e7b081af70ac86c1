using MetaJit;

namespace RcsCorpus;

/// <summary>Writes of a quasi-immutable field in the shapes the weaver must keep intact: a branch target, a
/// try block, a generic class. RcsCorpus is not built with the MetaJit targets: the tests weave a copy.</summary>
public sealed class QuasiBox
{
    [QuasiImmutable] public long Level;
    [QuasiImmutable] public string Name = "box";

    /// <summary>Writes on both sides of a branch and inside a try; returns what it read back.</summary>
    public static long Shuffle(long x)
    {
        var box = new QuasiBox();
        if (x > 0) box.Level = x * 2; // woven: positive
        else box.Level = -x;
        try
        {
            box.Level = box.Level + 1; // woven: in try
            if (x == 3) throw new InvalidOperationException("three");
        }
        catch (InvalidOperationException)
        {
            box.Level = 100;
        }
        box.Name = "n" + box.Level.ToString();
        return box.Level + box.Name.Length;
    }
}

/// <summary>A generic holder: the weaver's temporary takes the instantiated field type.</summary>
public sealed class QuasiHolder<T>
{
    [QuasiImmutable] public T? Value;

    /// <summary>Stores and reads back.</summary>
    public T? Swap(T? v)
    {
        var old = Value;
        Value = v;
        return old;
    }
}

/// <summary>A portal whose loop reads a quasi-immutable field that it also changes mid-loop: when the assembly is not
/// woven the JIT must not fold the read.</summary>
public static class QuasiVm
{
    private static readonly JitDriver Driver = new(greens: new[] { "pc", "box" }, reds: new[] { "acc", "n" });

    /// <summary>Sums box.Level over n iterations, setting the level to 10 at iteration 5.</summary>
    public static long Run(QuasiBox box, long n)
    {
        int pc = 0;
        long acc = 0;
        while (true)
        {
            Driver.JitMergePoint(pc, box, acc, n);
            if (n == 0) return acc;
            acc += box.Level;
            n--;
            if (n == 5) SetLevel(box, 10);
            if (Driver.CanEnterJit(ref pc, ref box, ref acc, ref n, out long result)) return result;
        }
    }

    [DontLookInside]
    private static void SetLevel(QuasiBox box, long level) => box.Level = level;

    /// <summary>Calls the generic holder (so it is instantiated in the corpus).</summary>
    public static string? Hold(string s) => new QuasiHolder<string>().Swap(s) ?? s;
}
