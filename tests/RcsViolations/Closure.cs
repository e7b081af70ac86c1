namespace RcsViolations;

public static class ClosurePortal
{
    private static readonly JitDriver Driver = new(greens: new[] { "pc" }, reds: new[] { "acc" });

    public static int Run(int n)
    {
        int pc = 0, acc = 0;
        while (true)
        {
            Driver.JitMergePoint(pc, acc);
            if (pc >= n) return acc;
            Func<int> sum = () => acc + pc; // MJ003
            acc = sum();
            acc += Twice(); // MJ003
            pc++;

            int Twice() => acc * 2;
        }
    }
}
