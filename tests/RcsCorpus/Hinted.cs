using MetaJit;

namespace RcsCorpus;

/// <summary>A tiny bytecode interpreter with a portal: the liveness and merge-point tests.</summary>
public static class TinyVm
{
    private static readonly JitDriver Driver = new(greens: new[] { "pc", "code" }, reds: new[] { "acc", "n" });

    [Elidable] public static int Twice(int x) => 2 * x;

    public static int Run(int[] code, int n)
    {
        int pc = 0;
        int acc = 0;
        while (true)
        {
            Driver.JitMergePoint(pc, code, acc, n);
            if (pc >= code.Length) return acc;
            int op = Jit.Promote(code[pc]);
            switch (op)
            {
                case 0: acc += n; pc++; break;
                case 1: n--; pc++; break;
                case 2:
                    if (n > 0)
                    {
                        pc = 0;
                        if (Driver.CanEnterJit(ref pc, ref code, ref acc, ref n, out int result)) return result;
                    }
                    else pc++;
                    break;
                case 3:
                    Jit.RecordKnownResult(Twice(acc), Twice, acc);
                    acc = Twice(acc) + (Jit.IsConstant(acc) ? 1 : 0);
                    pc++;
                    break;
                default: pc++; break;
            }
        }
    }
}

/// <summary>A portal with a local that is live at the merge point but neither green nor red.</summary>
public static class LeakyVm
{
    private static readonly JitDriver Driver = new(greens: new[] { "pc" }, reds: new[] { "acc" });

    public static int Run()
    {
        int pc = 0;
        int acc = 0;
        int total = 0;
        while (true)
        {
            Driver.JitMergePoint(pc, acc);
            if (pc >= 10) return total;
            total += acc;
            acc++;
            pc++;
        }
    }
}

/// <summary>Constructs the codewriter must refuse (never rooted by the corpus set).</summary>
public static class Unsupported
{
    public static int Lambda(int x) { Func<int, int> f = y => y + x; return f(1); }
}
