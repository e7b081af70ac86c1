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

    /// <summary>The rest of a call_assembler of <paramref name="portal"/> whose compiled code <paramref name="ran"/> was
    /// called directly and returned <paramref name="code"/> (not a finish) on <paramref name="args"/>.</summary>
    PortalOutcome AfterDirectCall(PortalRuntime portal, Backend.DeadFrame args, int code, Backend.ICompiledTrace ran);

    /// <summary>The descr of <paramref name="site"/>'s target compiled for arguments of <paramref name="shape"/>
    /// (compiled now if need be), or null.</summary>
    SpecializedCallSite? Specialize(CallAssemblerSite site, Optimizer.EntryShape shape);

    /// <summary>A call of a specialized entry: runs <paramref name="site"/>'s code with the leaves in
    /// <paramref name="args"/>, or the generic target with the arguments rebuilt when that code cannot run.</summary>
    PortalOutcome CallSpecialized(SpecializedCallSite site, Backend.DeadFrame args);

    /// <summary>The dead frames compiled code runs on, a call_assembler's arguments among them.</summary>
    Backend.DeadFramePool Frames { get; }

    /// <summary>True when loops or bridges compiled in the background are ready to install (cheap).</summary>
    bool HasFinishedTraces { get; }

    /// <summary>True while loops or bridges are being compiled in the background, not installed yet (cheap).</summary>
    bool HasTracesInFlight { get; }
}
