namespace RcsViolations;

// The portal calls only the abstract method and the interface; the checker must reach every override.

public abstract class Instruction
{
    public abstract int Apply(int acc);
}

public sealed class Increment : Instruction
{
    public override int Apply(int acc) => acc + 1;
}

public sealed class Sleep : Instruction
{
    public override int Apply(int acc)
    {
        Thread.Sleep(1); // MJ011
        return acc;
    }
}

public interface IOutput
{
    void Emit(int value);
}

public sealed class LockedOutput : IOutput
{
    private readonly object _gate = new();
    private int _last;

    public void Emit(int value)
    {
        lock (_gate) { _last = value; } // MJ006
    }
}

public static class VirtualPortal
{
    private static readonly JitDriver Driver = new(greens: new[] { "pc", "code" }, reds: new[] { "acc", "output" });

    public static int Run(Instruction[] code, IOutput output)
    {
        int pc = 0, acc = 0;
        while (true)
        {
            Driver.JitMergePoint(pc, code, acc, output);
            if (pc >= code.Length) return acc;
            acc = code[pc].Apply(acc);
            output.Emit(acc);
            pc++;
        }
    }
}
