namespace RcsViolations;

public static class RefPortal
{
    private static readonly JitDriver Driver = new(greens: new[] { "pc" }, reds: new[] { "acc" });
    private static readonly int[] Cells = new int[4];

    public static int Run(int n)
    {
        int pc = 0, acc = 0;
        while (true)
        {
            Driver.JitMergePoint(pc, acc);
            if (pc >= n) return acc;
            Bump(ref acc); // MJ009
            ref int cell = ref Cells[pc & 3]; cell = acc; // MJ009
            if (int.TryParse("12", out int parsed)) acc += parsed; // MJ009
            pc++;
        }
    }

    private static void Bump(ref int x) { x++; } // MJ009
}
