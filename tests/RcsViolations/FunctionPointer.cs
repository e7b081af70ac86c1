namespace RcsViolations;

public static unsafe class FunctionPointerPortal
{
    private static readonly JitDriver Driver = new(greens: new[] { "pc" }, reds: new[] { "acc" });

    public static int Run(int n)
    {
        int pc = 0, acc = 0;
        while (true)
        {
            Driver.JitMergePoint(pc, acc);
            if (pc >= n) return acc;
            delegate*<int, int> inc = &Inc; acc = inc(acc); // MJ014
            pc++;
        }
    }

    private static int Inc(int x) => x + 1;
}
