namespace RcsViolations;

public static unsafe class PointerPortal
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
            acc = Scratch(acc);
            fixed (int* q = Cells) { acc += *q; } // MJ007
            pc++;
        }
    }

    private static int Scratch(int acc) { int* p = stackalloc int[4]; p[0] = acc; return p[0] + 1; } // MJ007
}
