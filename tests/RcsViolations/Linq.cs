namespace RcsViolations;

public static class LinqPortal
{
    private static readonly JitDriver Driver = new(greens: new[] { "pc" }, reds: new[] { "acc" });
    private static readonly int[] Values = { 1, 2, 3 };

    public static int Run(int n)
    {
        int pc = 0, acc = 0;
        while (true)
        {
            Driver.JitMergePoint(pc, acc);
            if (pc >= n) return acc;
            acc += Values.Sum(); // MJ004
            pc++;
        }
    }
}
