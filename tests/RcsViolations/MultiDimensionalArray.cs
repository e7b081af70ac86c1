namespace RcsViolations;

public static class MultiDimensionalArrayPortal
{
    private static readonly JitDriver Driver = new(greens: new[] { "pc" }, reds: new[] { "acc" });

    public static int Run(int n)
    {
        int pc = 0, acc = 0;
        while (true)
        {
            Driver.JitMergePoint(pc, acc);
            if (pc >= n) return acc;
            int[,] grid = new int[2, 2]; grid[0, 1] = acc; acc = grid[0, 1] + 1; // MJ013
            pc++;
        }
    }
}
