namespace RcsViolations;

public static class LockPortal
{
    private static readonly JitDriver Driver = new(greens: new[] { "pc" }, reds: new[] { "acc" });
    private static readonly object Gate = new();

    public static int Run(int n)
    {
        int pc = 0, acc = 0;
        while (true)
        {
            Driver.JitMergePoint(pc, acc);
            if (pc >= n) return acc;
            lock (Gate) { acc++; } // MJ006
            pc++;
        }
    }
}
