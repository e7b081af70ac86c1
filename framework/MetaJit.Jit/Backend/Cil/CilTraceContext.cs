namespace MetaJit.Engine.Backend.Cil;

/// <summary>
/// The object a compiled trace's DynamicMethods are closed over: the reference constants they load (objects
/// cannot be IL literals), the float constants a tree's bridges load from memory, and the invalidation flag
/// <c>guard_not_invalidated</c> tests.
/// </summary>
public sealed class CilTraceContext
{
    internal CilTraceContext(object?[] constants, double[]? floats = null)
    {
        Constants = constants;
        Floats = floats ?? [];
    }

    /// <summary>Reference constants of the trace, indexed by the IL.</summary>
    public readonly object?[] Constants;

    /// <summary>Float constants of the bridges compiled into a tree (see CilEmitter.Tree.cs), indexed by the IL.</summary>
    public readonly double[] Floats;

    /// <summary>Set once the trace must no longer run past a <c>guard_not_invalidated</c>.</summary>
    public bool Invalidated;

    /// <summary>For a tree method's context: the loop it belongs to, through which its direct calls of itself
    /// settle their exit codes (<see cref="DirectCallWrapper"/>).</summary>
    public CilCompiledTrace? Owner;

    // ---- a tree's calls of its own labels with their arguments here (SelfCalls.cs) ----

    /// <summary>The int arguments of a self-call, read (and the refs cleared) by the label's typed entry.</summary>
    public long[] ArgInts = [];
    /// <summary>The float arguments of a self-call.</summary>
    public double[] ArgFloats = [];
    /// <summary>The reference arguments of a self-call.</summary>
    public object?[] ArgRefs = [];
    /// <summary>The int result of a self-call that ran into a finish.</summary>
    public long ResultInt;
    /// <summary>The float result of a self-call that ran into a finish.</summary>
    public double ResultFloat;
    /// <summary>The reference result of a self-call that ran into a finish (cleared by the caller).</summary>
    public object? ResultRef;
    /// <summary>The frame a self-call's exit stored its values in (taken at the exit: a self-call passes none);
    /// null unless a self-call just left through an exit.</summary>
    public DeadFrame? ExitFrame;
    /// <summary>Where <see cref="TakeExitFrame"/> takes frames from.</summary>
    internal DeadFramePool? ExitPool;
    /// <summary>What the tree's exits (and the runner settling them) store at most, per kind.</summary>
    internal (int Ints, int Floats, int Refs) ExitFrameSize;

    /// <summary>A frame for an exit of code entered by a self-call, remembered in <see cref="ExitFrame"/>.</summary>
    public DeadFrame TakeExitFrame()
    {
        var (ni, nf, nr) = ExitFrameSize;
        return ExitFrame = ExitPool!.Take(ni, nf, nr);
    }
}

/// <summary>Helpers the generated IL calls where an IL sequence would be longer than a call.</summary>
public static class CilRuntime
{
    /// <summary>True when <paramref name="a"/> * <paramref name="b"/> overflows 64 bits.</summary>
    public static bool MulOverflows(long a, long b) => Math.BigMul(a, b, out long low) != (low >> 63);
}
