namespace RcsViolations;

public static class ExceptionFilterPortal
{
    private static readonly JitDriver Driver = new(greens: new[] { "pc" }, reds: new[] { "acc" });

    public static int Run(int n)
    {
        int pc = 0, acc = 0;
        while (true)
        {
            Driver.JitMergePoint(pc, acc);
            if (pc >= n) return acc;
            try
            {
                acc += 10 / (pc - 3);
            }
            catch (DivideByZeroException) when (acc > 5) // MJ012
            {
                acc = 0;
            }
            pc++;
        }
    }
}
