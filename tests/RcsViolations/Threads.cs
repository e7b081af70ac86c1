namespace RcsViolations;

public static class ThreadPortal
{
    private static readonly JitDriver Driver = new(greens: new[] { "pc" }, reds: new[] { "acc" });

    public static int Run(int n)
    {
        int pc = 0, acc = 0;
        while (true)
        {
            Driver.JitMergePoint(pc, acc);
            if (pc >= n) return acc;
            Thread.Sleep(0); // MJ011
            acc++;
            pc++;
        }
    }
}
