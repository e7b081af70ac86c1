namespace RcsViolations;

public static class StaticConstructorPortal
{
    private static readonly JitDriver Driver = new(greens: new[] { "pc" }, reds: new[] { "acc" });

    public static int Run(int n)
    {
        int pc = 0, acc = 0;
        while (true)
        {
            Driver.JitMergePoint(pc, acc);
            if (pc >= n) return acc;
            acc += Table.Squares[pc & 7];
            pc++;
        }
    }
}

public static class Table
{
    public static readonly int[] Squares = MakeSquares(); // MJ010
    public static readonly string Name = "squares";
    public static readonly object Token = new();

    [DontLookInside]
    private static int[] MakeSquares()
    {
        var a = new int[8];
        for (int i = 0; i < a.Length; i++) a[i] = i * i;
        return a;
    }
}
