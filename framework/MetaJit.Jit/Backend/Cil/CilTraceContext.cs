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

    // ---- frameless calls of a tree's labels (CilEmitter.FramelessCalls.cs) ----

    /// <summary>The tree's labels: its frameless entries follow them (entry index label + this).</summary>
    public int LabelCount;
    /// <summary>The tree's frameless wrapper, for calls from other traces (<see cref="FramelessCall"/>); null
    /// when the tree has no frameless entries.</summary>
    internal FramelessCode? Frameless;
    /// <summary>Where the tree's calls of its own labels pass their arguments (<see cref="Descriptors.CallAssemblerDescr.ArgumentFrame"/>
    /// for calls from elsewhere).</summary>
    public DeadFrame OwnArguments = new(0, 0, 0);
    /// <summary>The int result of a frameless call that ran into a finish.</summary>
    public long ResultInt;
    /// <summary>The float result of a frameless call that ran into a finish.</summary>
    public double ResultFloat;
    /// <summary>The reference result of a frameless call that ran into a finish (cleared by the caller).</summary>
    public object? ResultRef;
    /// <summary>Nonzero when a frameless call's finish returned its result unboxed: the <see cref="Cil.ResultBox.Id"/> of
    /// the result's class, whose field value is in the result of its kind (CilEmitter.UnboxedResults.cs); the
    /// caller resets it.</summary>
    public int ResultBox;
    /// <summary>The frame a frameless call's exit stored its values in (taken at the exit: the call passed none);
    /// null unless a frameless call just left through an exit.</summary>
    public DeadFrame? ExitFrame;
    /// <summary>Where <see cref="TakeExitFrame"/> takes frames from: the pool of the first descr that called.</summary>
    public DeadFramePool? ExitPool;
    /// <summary>What the tree's exits (and the runner settling them) store at most, per kind.</summary>
    internal (int Ints, int Floats, int Refs) ExitFrameSize;

    /// <summary>A frame for an exit of code entered without one, remembered in <see cref="ExitFrame"/>.</summary>
    public DeadFrame TakeExitFrame()
    {
        var (ni, nf, nr) = ExitFrameSize;
        return ExitFrame = ExitPool!.Take(ni, nf, nr);
    }
}

/// <summary>A tree's frameless wrapper: <c>int Call(context, argument frame, entry, descr)</c> (DirectCallWrapper.cs).</summary>
internal delegate int FramelessCode(CilTraceContext context, DeadFrame arguments, int entry, Descriptors.CallAssemblerDescr descr);

/// <summary>Helpers the generated IL calls where an IL sequence would be longer than a call.</summary>
public static class CilRuntime
{
    /// <summary>True when <paramref name="a"/> * <paramref name="b"/> overflows 64 bits.</summary>
    public static bool MulOverflows(long a, long b) => Math.BigMul(a, b, out long low) != (low >> 63);
}
