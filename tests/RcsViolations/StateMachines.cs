namespace RcsViolations;

public static class StateMachinePortal
{
    private static readonly JitDriver Driver = new(greens: new[] { "pc" }, reds: new[] { "acc" });

    public static int Run(int n)
    {
        int pc = 0, acc = 0;
        while (true)
        {
            Driver.JitMergePoint(pc, acc);
            if (pc >= n) return acc;
            IEnumerable<int> numbers = Numbers(pc); // MJ005
            if (numbers != null) acc++;
            Fire(); // MJ005
            pc++;
        }
    }

    private static IEnumerable<int> Numbers(int count)
    {
        for (int i = 0; i < count; i++) yield return i;
    }

    private static async void Fire()
    {
        await Task.Yield();
    }
}
