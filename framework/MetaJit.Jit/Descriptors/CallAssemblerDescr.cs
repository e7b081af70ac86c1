using MetaJit.Engine.Backend;
using MetaJit.Engine.Trace;

namespace MetaJit.Engine.Descriptors;

/// <summary>
/// The target of a <c>call_assembler_*</c>: one portal invocation started at a known green key (RPython's
/// call_assembler token). Its arguments are the target's inputs: the reds at that merge point, then the slots
/// of the virtualizable red. A backend passes them in a dead frame from <see cref="TakeFrame"/> and calls the
/// <c>Invoke*</c> method of the op's result kind, which runs the target's compiled code (or, when there is none
/// yet, the rest of the invocation another way) and returns what the portal returned.
/// </summary>
public abstract class CallAssemblerDescr : Descr
{
    /// <summary>Kinds of the arguments, in order.</summary>
    public abstract ValueKind[] ArgKinds { get; }

    /// <summary>The argument that is the target's virtualizable (its slots are the arguments after the reds),
    /// or -1. The target's compiled code takes the slots from the arguments and writes them all back before
    /// anyone else can look, so the object passed need not hold them: the optimizer allocates a virtual one
    /// without writing them (<see cref="Vable"/> says which fields and arrays those are).</summary>
    public abstract int VableArgIndex { get; }

    /// <summary>The virtualizable's description when <see cref="VableArgIndex"/> is not -1.</summary>
    public abstract VirtualizableInfo? Vable { get; }

    /// <summary>A dead frame with room for the arguments, to fill by kind (ints, floats and refs in order).</summary>
    public abstract DeadFrame TakeFrame();

    /// <summary>The pool <see cref="TakeFrame"/> and <see cref="Release"/> take frames from and give them back to,
    /// when they do nothing else: compiled code then calls the pool itself (no virtual call at every call).</summary>
    public DeadFramePool? FramePool { get; protected init; }

    /// <summary>Runs the invocation; the portal returns an int-kind value.</summary>
    public abstract long InvokeInt(DeadFrame args);

    /// <summary>Runs the invocation; the portal returns a float-kind value.</summary>
    public abstract double InvokeFloat(DeadFrame args);

    /// <summary>Runs the invocation; the portal returns a reference.</summary>
    public abstract object? InvokeRef(DeadFrame args);

    /// <summary>Runs the invocation; the portal returns nothing.</summary>
    public abstract void InvokeVoid(DeadFrame args);

    // ---- direct calls: compiled code runs the target's compiled code itself (CIL backend: CilEmitter.DirectCalls.cs) ----

    /// <summary>
    /// The label the invocation would enter compiled code at now (its <see cref="TargetToken.CompiledTrace"/> holds
    /// it), when compiled code may call that code directly instead of through <c>Invoke*</c>; null otherwise (the
    /// default). A backend asks when it compiles; the code it then calls stays valid until invalidated, which the
    /// call checks (<see cref="ExitCodes.NotRun"/>).
    /// </summary>
    public virtual TargetToken? DirectTarget => null;

    /// <summary>Invocations compiled code made by calling the target's code directly (part of the engine's loop entries).</summary>
    public long DirectEntries;

    /// <summary>Those of <see cref="DirectEntries"/> made without a frame: the arguments in <see cref="ArgumentFrame"/>,
    /// the result in the tree's context (docs/backend-cil.md, "Frameless calls").</summary>
    public long FramelessEntries;

    /// <summary>Those of <see cref="FramelessEntries"/> whose result came back unboxed: the target's finish passed the
    /// one field of a new object, which this site's code read without the object ever being made
    /// (docs/backend-cil.md, "Unboxed results").</summary>
    public long UnboxedResults;

    /// <summary>Where a frameless call passes this call's arguments (by kind, in order), read at the target's entry
    /// before anything else runs; made at the first use.</summary>
    public DeadFrame ArgumentFrame => _argumentFrame ?? MakeArgumentFrame();

    private DeadFrame? _argumentFrame;

    // Out of line, so that the getter stays small enough to inline where a frameless call reads it at every call.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private DeadFrame MakeArgumentFrame() => _argumentFrame = new DeadFrame(
        ArgKinds.Count(k => k == ValueKind.Int), ArgKinds.Count(k => k == ValueKind.Float), ArgKinds.Count(k => k == ValueKind.Ref));

    /// <summary>After a direct call of <paramref name="ran"/> returned <paramref name="code"/> other than
    /// <see cref="ExitCodes.Finish"/> on <paramref name="args"/>: runs the rest of the invocation as <c>Invoke*</c>
    /// would (bridges, the blackhole, ...), or all of it for <see cref="ExitCodes.NotRun"/>, and returns the
    /// portal's int-kind result; an exception goes to <see cref="Raised"/>, as does the one
    /// <see cref="ExitCodes.Raised"/> says the call left there. Takes <paramref name="args"/> back.</summary>
    public virtual long AfterDirectInt(DeadFrame args, int code, ICompiledTrace ran) => throw NoDirectCalls();

    /// <summary><see cref="AfterDirectInt"/> for a float-kind result.</summary>
    public virtual double AfterDirectFloat(DeadFrame args, int code, ICompiledTrace ran) => throw NoDirectCalls();

    /// <summary><see cref="AfterDirectInt"/> for a reference result.</summary>
    public virtual object? AfterDirectRef(DeadFrame args, int code, ICompiledTrace ran) => throw NoDirectCalls();

    /// <summary><see cref="AfterDirectInt"/> for a portal that returns nothing.</summary>
    public virtual void AfterDirectVoid(DeadFrame args, int code, ICompiledTrace ran) => throw NoDirectCalls();

    /// <summary>Takes back the argument frame of a direct call that ran into <c>finish</c> (its result read).</summary>
    public virtual void Release(DeadFrame args) => throw NoDirectCalls();

    private NotSupportedException NoDirectCalls() =>
        new($"{Name} has no direct target: compiled code may only call it through Invoke*.");

    // ---- specialized entries (docs/engine.md, "Specialized entries") ----

    /// <summary>A descr for calls of the same target whose arguments have <paramref name="shape"/> (some virtual):
    /// the target's code compiled for that shape, taking the shape's leaves; null when there is none (the
    /// default). The optimizer asks when it meets the call with virtual arguments.</summary>
    internal virtual CallAssemblerDescr? Specialized(Optimizer.EntryShape shape) => null;

    /// <summary>For a call of a specialized entry that raised: the object the callee made for its virtual
    /// argument <paramref name="input"/> (and ran on), taken (null when it made none: the caller builds its own).</summary>
    public virtual object? TakeHandedBack(int input) => null;

    /// <summary>
    /// The exception the last <c>Invoke*Catching</c> call raised, until <see cref="TakeRaised"/>. Compiled code
    /// looks right after the call, so no try block surrounds it: RyuJIT keeps every value a handler could reach on
    /// the stack at each definition, and a recursive trace's guards reach nearly all of them. Calls nest (the
    /// target's code makes calls of its own through this very descr), but each takes what it raised before
    /// anything else runs.
    /// </summary>
    public Exception? Raised;

    /// <summary><see cref="Raised"/>, cleared.</summary>
    public Exception? TakeRaised()
    {
        var e = Raised;
        Raised = null;
        return e;
    }

    /// <summary><see cref="InvokeInt"/>, leaving an exception in <see cref="Raised"/> instead of throwing it.</summary>
    public long InvokeIntCatching(DeadFrame args)
    {
        try { return InvokeInt(args); }
        catch (Exception e) { Raised = e; return 0; }
    }

    /// <summary><see cref="InvokeFloat"/>, leaving an exception in <see cref="Raised"/> instead of throwing it.</summary>
    public double InvokeFloatCatching(DeadFrame args)
    {
        try { return InvokeFloat(args); }
        catch (Exception e) { Raised = e; return 0; }
    }

    /// <summary><see cref="InvokeRef"/>, leaving an exception in <see cref="Raised"/> instead of throwing it.</summary>
    public object? InvokeRefCatching(DeadFrame args)
    {
        try { return InvokeRef(args); }
        catch (Exception e) { Raised = e; return null; }
    }

    /// <summary><see cref="InvokeVoid"/>, leaving an exception in <see cref="Raised"/> instead of throwing it.</summary>
    public void InvokeVoidCatching(DeadFrame args)
    {
        try { InvokeVoid(args); }
        catch (Exception e) { Raised = e; }
    }
}
