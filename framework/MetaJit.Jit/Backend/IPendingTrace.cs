using MetaJit.Engine.Trace;

namespace MetaJit.Engine.Backend;

/// <summary>
/// A loop or bridge a backend started compiling in the background (<see cref="IBackend.StartLoop"/>,
/// <see cref="IBackend.StartBridge"/>): its code was emitted on the engine's thread, its machine code is made on
/// another, and the engine installs it once <see cref="IBackend.TakeFinishedTraces"/> hands it back.
/// </summary>
public interface IPendingTrace
{
    /// <summary>The trace (optimized) being compiled.</summary>
    TreeLoop Trace { get; }

    /// <summary>What the engine needs to install it (its cell, its guard's resume data, ...).</summary>
    object? Tag { get; set; }

    /// <summary>Makes the compiled trace: a loop's labels become entries, a bridge is attached to its guard. On the
    /// engine's thread; rethrows what compiling threw. Installing twice returns the same trace.</summary>
    ICompiledTrace Install();

    /// <summary>Time spent emitting the code (engine's thread).</summary>
    TimeSpan EmitTime { get; }

    /// <summary>Time spent making the machine code (another thread).</summary>
    TimeSpan MachineCodeTime { get; }
}
