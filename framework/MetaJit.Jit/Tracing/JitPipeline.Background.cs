using MetaJit.Engine.Backend;
using MetaJit.Engine.Resume;
using MetaJit.Engine.Runtime;

namespace MetaJit.Engine.Tracing;

/// <summary>
/// Compiling loops and bridges in the background (JIT parameter <c>background_compile=all</c>): once a trace is
/// optimized, the backend emits its code on the engine's thread and makes the machine code on another
/// (<see cref="IBackend.StartLoop"/>); meanwhile the program goes on as if the trace had aborted quietly, its key
/// interpreted (the cell stays in <see cref="JitCellState.Tracing"/>, so it is not traced again) or its guard
/// failing into the blackhole. The engine installs what is ready between two runs of compiled code and at
/// backward jumps of keys being compiled (<see cref="PortalRuntime"/>), so the statistics count a loop or bridge
/// once it is installed. No trace starts while one is compiling (a guard at its eagerness waits for its next
/// failure), and no key counts jumps meanwhile: a trace recorded, or a key made hot, while the code of another
/// is missing takes another shape than with that code running (inner loops it would inline get hot on their
/// own, ...).
/// </summary>
internal sealed partial class JitPipeline
{
    // Read first by every question below: without `all` (the default) they cost the runner's hot path nothing.
    private readonly bool _backgroundTraces = JitParams.Get("background_compile") == "all";

    /// <summary>True when loops or bridges compiled in the background are ready to install.</summary>
    public bool HasFinishedTraces => _backgroundTraces && _backend.HasFinishedTraces;

    /// <summary>True while loops or bridges are compiling in the background.</summary>
    public bool HasTracesInFlight => _backgroundTraces && _backend.HasTracesInFlight;

    /// <summary>Starts compiling a trace, tagged with what installing it needs; false (logged, counted as an
    /// abort) when the backend refuses it.</summary>
    private bool Start(Func<IPendingTrace> start, object tag)
    {
        try
        {
            start().Tag = tag;
            _engine.QuietEpoch++; // keys counting quietly stop: nothing counts until it is installed (PortalRuntime)
            return true;
        }
        catch (NotSupportedException e)
        {
            Stats.Abort("backend: " + e.Message);
            _engine.Log("backend refused the trace: " + e.Message);
            return false;
        }
    }

    /// <summary>Installs the loops and bridges whose machine code is ready, in the order they were finished.</summary>
    private void InstallFinishedTraces()
    {
        if (!HasFinishedTraces) return;
        foreach (var pending in _backend.TakeFinishedTraces())
        {
            var compiled = pending.Install();
            var time = pending.EmitTime + pending.MachineCodeTime;
            Stats.CompilingTime += time;
            Stats.BackgroundCompilingTime += pending.MachineCodeTime;
            Stats.MachineCodeTime = _backend.MachineCodeTime;
            Stats.OpsCompiled += pending.Trace.Operations.Length;
            switch (pending.Tag)
            {
                case PendingLoop loop:
                    LogCode(compiled, "loop");
                    LoopCompiled(loop, compiled);
                    break;
                case ResumeData data:
                    LogCode(compiled, "bridge");
                    BridgeCompiled();
                    break;
            }
        }
    }

    /// <summary>A bridge was attached.</summary>
    private void BridgeCompiled()
    {
        Stats.BridgesCompiled++;
        _engine.Decay();
    }
}
