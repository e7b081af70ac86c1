namespace RcsViolations;

public struct Point
{
    public int X;
}

public static class StructPortal
{
    private static readonly JitDriver Driver = new(greens: new[] { "pc" }, reds: new[] { "acc" });
    private static readonly List<int> Items = new() { 1, 2 };

    public static int Run(int n)
    {
        int pc = 0, acc = 0;
        while (true)
        {
            Driver.JitMergePoint(pc, acc);
            if (pc >= n) return acc;
            Point pt = new Point { X = acc }; acc = pt.X + 1; // MJ008
            (int, int) pair = (acc, pc); acc = pair.Item1; // MJ008
            int? maybe = pc > 2 ? acc : null; acc = maybe ?? 0; // MJ008
            foreach (int item in Items) acc += item; // MJ008
            string s = $"pc={pc}"; acc += s.Length; // MJ008
            string t = "c" + (char)(65 + pc); acc += t.Length; // MJ008
            pc++;
        }
    }
}
