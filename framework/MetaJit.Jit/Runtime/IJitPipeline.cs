using MetaJit.Engine.Execution;

namespace MetaJit.Engine.Runtime;

/// <summary>
/// What happens at a hot key in JIT mode: trace (and compile) or run the compiled loop, leaving through
/// resume and the blackhole. The tracer and backend implement it; keeping it an interface lets the warm-up
/// logic and the hooks stay independent of them.
/// </summary>
internal interface IJitPipeline
{
    /// <summary>Runs the portal from the merge-point state in <paramref name="frame"/> for the key of <paramref name="cell"/>.</summary>
    PortalOutcome Enter(PortalRuntime portal, JitCell cell, JitFrame frame);

    /// <summary>Runs a whole portal invocation from the merge-point state in <paramref name="frame"/> until it returns.</summary>
    PortalOutcome RunUntilReturn(PortalRuntime portal, JitFrame frame);

    /// <summary>A call_assembler: runs <paramref name="site"/>'s target with the inputs in <paramref name="args"/>.</summary>
    PortalOutcome CallAssembler(CallAssemblerSite site, Backend.DeadFrame args);

    /// <summary>The rest of a call_assembler whose compiled code <paramref name="ran"/> was called directly and
    /// returned <paramref name="code"/> (not a finish) on <paramref name="args"/>.</summary>
    PortalOutcome AfterDirectCall(CallAssemblerSite site, Backend.DeadFrame args, int code, Backend.ICompiledTrace ran);

    /// <summary>The dead frames compiled code runs on, a call_assembler's arguments among them.</summary>
    Backend.DeadFramePool Frames { get; }

    /// <summary>True when loops or bridges compiled in the background are ready to install (cheap).</summary>
    bool HasFinishedTraces { get; }

    /// <summary>True while loops or bridges are being compiled in the background, not installed yet (cheap).</summary>
    bool HasTracesInFlight { get; }
}
