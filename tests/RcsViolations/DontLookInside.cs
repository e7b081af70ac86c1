namespace RcsViolations;

// No errors here: everything that is not RC# is behind [DontLookInside] or never reached from the loop.

public static class DontLookInsidePortal
{
    private static readonly JitDriver Driver = new(
        greens: new[] { "pc" },
        reds: new[] { "acc" },
        printableLocation: g => "pc " + g[0]);

    public static int Run(int n)
    {
        int pc = 0, acc = 0;
        while (true)
        {
            Driver.JitMergePoint(pc, acc);
            if (pc >= n) return acc;
            acc += Opaque(acc);
            pc++;
        }
    }

    [DontLookInside]
    private static int Opaque(int acc)
    {
        Func<int, int> twice = x => x * 2;
        lock (Driver) { acc = twice(acc); }
        return new[] { acc, 1 }.Where(v => v > 0).Sum() + $"{acc}".Length;
    }

    /// <summary>Not reachable from the loop: not checked.</summary>
    public static int Unreached() => Enumerable.Range(0, 3).Select(x => x + 1).Sum();
}
