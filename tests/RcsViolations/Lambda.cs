namespace RcsViolations;

public static class LambdaPortal
{
    private static readonly JitDriver Driver = new(greens: new[] { "pc" }, reds: new[] { "acc" });

    public static int Run(int n)
    {
        int pc = 0, acc = 0;
        while (true)
        {
            Driver.JitMergePoint(pc, acc);
            if (pc >= n) return acc;
            Func<int, int> inc = x => x + 1; // MJ003
            acc = inc(acc);
            pc++;
        }
    }
}
