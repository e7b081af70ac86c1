using MetaJit.Engine.Trace;

namespace MetaJit.Engine.Backend;

/// <summary>
/// What the engine asks of a code generator (CIL today, x64 next): compile a loop, compile a bridge and attach
/// it to a guard. Both backends pass the same contract tests (tests/MetaJit.Jit.Tests/Backend/BackendContract.cs).
/// </summary>
/// <example><code>
/// IBackend backend = new CilBackend();
/// var loop = backend.CompileLoop(trace);
/// var outcome = CompiledLoopRunner.Run(loop, DeadFrame.For(loop, 0L));
/// </code></example>
public interface IBackend
{
    /// <summary>A short name for logs ("cil", "x64").</summary>
    string Name { get; }

    /// <summary>Compiles a loop (or any trace with its own inputs); its labels become entries other traces can jump to.</summary>
    ICompiledTrace CompileLoop(TreeLoop trace);

    /// <summary>
    /// Compiles <paramref name="bridge"/>, whose inputs are the fail args of guard <paramref name="guardIndex"/> of
    /// <paramref name="from"/> (same kinds, same order), and attaches it to that guard.
    /// </summary>
    ICompiledTrace CompileBridge(ICompiledTrace from, int guardIndex, TreeLoop bridge);

    /// <summary>
    /// Starts compiling a loop: its code is emitted now (the trace and its descrs are read on the engine's thread)
    /// and made machine code on another thread; <see cref="TakeFinishedTraces"/> hands it back for the engine to
    /// install. A backend that compiles fast may finish it at once.
    /// </summary>
    IPendingTrace StartLoop(TreeLoop trace);

    /// <summary><see cref="StartLoop"/> for a bridge of guard <paramref name="guardIndex"/> of <paramref name="from"/>,
    /// attached to it when installed.</summary>
    IPendingTrace StartBridge(ICompiledTrace from, int guardIndex, TreeLoop bridge);

    /// <summary>True while traces started are not handed back yet.</summary>
    bool HasTracesInFlight { get; }

    /// <summary>True when started traces are ready to install (cheap: asked at backward jumps of keys being compiled).</summary>
    bool HasFinishedTraces { get; }

    /// <summary>The started traces whose machine code is ready, in the order they finished; each is handed back once.</summary>
    IReadOnlyList<IPendingTrace> TakeFinishedTraces();

    /// <summary>Blocks until everything started in the background is ready (tests and tools).</summary>
    void WaitForBackgroundWork();

    /// <summary>
    /// Recompiles the loops whose bridges ran often enough since their code last changed together with those
    /// bridges (trace trees); the engine calls it between runs of compiled code. Returns the loops it recompiled
    /// (none for a backend without trees).
    /// </summary>
    IReadOnlyList<ICompiledTrace> CompileHotTrees();

    /// <summary>True when <see cref="CompileHotTrees"/> has loops to look at (cheap: asked after every run).</summary>
    bool HasHotTrees { get; }

    /// <summary>Of the compile time so far, the part spent making machine code from the backend's own output
    /// (for the CIL backend: RyuJIT compiling the DynamicMethods), so the summary can tell it from emitting.</summary>
    TimeSpan MachineCodeTime { get; }

    /// <summary>Of the compile time so far, the part spent on background threads (trees the CIL backend compiles
    /// while the old code runs), which the engine's thread did not wait for.</summary>
    TimeSpan BackgroundCompileTime { get; }
}
