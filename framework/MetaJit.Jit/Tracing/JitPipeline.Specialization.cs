using System.Diagnostics;
using MetaJit.Engine.Optimizer;
using MetaJit.Engine.Runtime;
using MetaJit.Engine.Trace;

namespace MetaJit.Engine.Tracing;

/// <summary>
/// Specialized entries (docs/engine.md): when the optimizer meets a call_assembler whose arguments are partly
/// virtual, it asks for the target compiled for that shape of arguments. The first time, the target's recorded
/// trace is optimized again with those arguments virtual from the start (<see cref="TraceOptimizer.OptimizeSpecializedEntry"/>)
/// and compiled, nested in the caller's optimization; later calls with the same shape share it. The code is a
/// loop of its own for the runner (bridges, trees), dies with the generic loop (same quasi-immutable reads), and
/// a call falls back to the generic target, the arguments built, whenever it cannot run.
/// </summary>
internal sealed partial class JitPipeline
{
    private readonly bool _specializeCalls = JitParams.Get("specialize_calls") == "on";
    private readonly int _maxSpecializedEntries = JitParams.GetInt("max_specialized_entries");

    /// <summary>Time spent in nested specializations while an outer optimization ran (not counted twice).</summary>
    private long _nestedTicks;

    /// <inheritdoc/>
    public SpecializedCallSite? Specialize(CallAssemblerSite site, EntryShape shape)
    {
        if (!_specializeCalls || site.Cell.CompiledLoop is not LoopEntry entry || !site.Accepts(entry)
            || entry.Recorded is not { } recorded || entry.Dependency is { IsDead: true }) return null;
        // Only a trace that runs to the portal's return: one that jumps to a loop (its own, or another) would
        // allocate the arguments at that jump, later and with more stores than the caller does.
        if (recorded.Operations.Length == 0 || recorded.Operations[^1].Num != OpNum.Finish) return null;
        if (entry.Specializations.TryGetValue(shape, out var known)) return known.Failed ? null : known;
        if (entry.Specializations.Count >= _maxSpecializedEntries) return null;
        var token = new TargetToken($"{entry.Token.Name}.s{entry.Specializations.Count}");
        var special = new SpecializedCallSite(this, site, shape, token, Stats) { Dependency = entry.Dependency };
        // Registered first: the entry's own calls of itself (recursion) call it too.
        entry.Specializations[shape] = special;
        long start = Stopwatch.GetTimestamp();
        try
        {
            _engine.Log($"specialized entry {token.Name} of {site.Name} for ({shape})");
            var optimized = Optimize(recorded, "specialized entry", t => TraceOptimizer.OptimizeSpecializedEntry(t, shape, token, OptimizerOptions.FromParams()));
            var compiled = Compile(optimized, "specialized entry");
            if (compiled == null || entry.Dependency is { IsDead: true })
            {
                special.Failed = true;
                return null;
            }
            special.Compiled = compiled;
            entry.Dependency?.AlsoCompiledAs(compiled);
            if (entry.Dependency != null) _dependencies[compiled] = entry.Dependency;
            _loopCells[compiled] = site.Cell;
            Stats.SpecializedEntriesCompiled++;
            return special;
        }
        finally
        {
            _nestedTicks += Stopwatch.GetTimestamp() - start;
        }
    }

    /// <inheritdoc/>
    public Runtime.PortalOutcome CallSpecialized(SpecializedCallSite site, Backend.DeadFrame args)
    {
        var portal = site.Portal;
        if (site.CanRun)
        {
            Stats.CountLoopEntry();
            var compiled = site.Compiled!;
            var (ni, nf, nr) = compiled.FrameSize;
            args.EnsureCapacity(ni, nf, nr);
            args.Exception = null;
            int code = compiled.Execute(args, site.Token.EntryIndex);
            if (code == Backend.ExitCodes.Finish)
            {
                var returned = Finished(portal, args);
                GiveBack(args);
                if (_backend.HasHotTrees) CompileHotTrees();
                return returned;
            }
            if (code != Backend.ExitCodes.NotRun) return AfterDirectCall(portal, args, code, compiled);
        }
        // The code cannot run: build the arguments as the caller would have, and call the generic target.
        var generic = site.Generic.TakeFrame();
        var made = site.Generalize(args, generic);
        GiveBack(args);
        Resume.EntryHandBack.Current?.Record(made);
        return CallAssembler(site.Generic, generic);
    }
}
