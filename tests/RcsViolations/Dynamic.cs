namespace RcsViolations;

public static class DynamicPortal
{
    private static readonly JitDriver Driver = new(greens: new[] { "pc" }, reds: new[] { "acc" });

    public static int Run(int n)
    {
        int pc = 0, acc = 0;
        while (true)
        {
            Driver.JitMergePoint(pc, acc);
            if (pc >= n) return acc;
            dynamic d = acc; acc = (int)(d + 1); // MJ002
            pc++;
        }
    }
}
