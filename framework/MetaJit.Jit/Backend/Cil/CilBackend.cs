using System.Diagnostics;
using MetaJit.Engine.Trace;

namespace MetaJit.Engine.Backend.Cil;

/// <summary>
/// The CIL backend: a trace becomes DynamicMethods that RyuJIT compiles fully optimized.
/// In: a <see cref="TreeLoop"/> (loop or bridge). Out: a <see cref="CilCompiledTrace"/>.
/// Steps: <see cref="TraceSplitter"/> cuts traces longer than ~1,000 ops into chained pieces;
/// <see cref="LiveRanges"/> finds where values die so <see cref="CilEmitter"/> can reuse IL locals by type;
/// CilEmitter.cs emits entries, labels (IL loops), jumps and finish; CilEmitter.Ops.cs the arithmetic,
/// memory ops and calls; CilEmitter.Guards.cs the guards and their shared exit blocks.
/// Trace trees: a loop whose bridges run often is recompiled with them in one method (<see cref="CompileTree"/>,
/// CilEmitter.Tree.cs, CilBackend.Trees.cs), so a guard with a bridge is a branch, not a trip through the runner.
/// docs/backend-cil.md describes the code shape and the measured numbers.
/// </summary>
/// <example><code>
/// var backend = new CilBackend();
/// var loop = backend.CompileLoop(TraceParser.Parse(text, ns));
/// var outcome = CompiledLoopRunner.Run(loop, DeadFrame.For(loop, 0L));
/// </code></example>
public sealed partial class CilBackend : IBackend
{
    /// <summary>A backend; <paramref name="maxOpsPerMethod"/> bounds the ops of one DynamicMethod.</summary>
    public CilBackend(int maxOpsPerMethod = TraceSplitter.MaxOps) => MaxOpsPerMethod = maxOpsPerMethod;

    /// <inheritdoc/>
    public string Name => "cil";

    /// <summary>Traces are cut into DynamicMethods of at most this many ops.</summary>
    public int MaxOpsPerMethod { get; }

    /// <summary>
    /// When true, references are used as the type an op expects without a <c>castclass</c> (as
    /// <c>Unsafe.As</c>): faster, but a wrong trace corrupts memory instead of throwing. Off by default.
    /// </summary>
    public bool TrustTypes { get; init; }

    /// <summary>Traces compiled so far.</summary>
    public int CompiledTraces { get; private set; }

    /// <summary>Ops compiled so far.</summary>
    public long CompiledOps { get; private set; }

    /// <summary>Total time spent compiling (IL emission and RyuJIT).</summary>
    public TimeSpan CompileTime { get; private set; }

    /// <summary>The part of <see cref="CompileTime"/> spent by RyuJIT (the rest is splitting and emitting IL).</summary>
    public TimeSpan MachineCodeTime { get; private set; }

    /// <summary>Keep each compiled trace's IL as text (<see cref="CilCompiledTrace.IL"/>); off by default as it costs compile time.</summary>
    public bool KeepIL { get; init; }

    /// <summary>The part of <see cref="CompileTime"/> RyuJIT spent on background threads, for the traces and trees
    /// installed so far.</summary>
    public TimeSpan BackgroundCompileTime { get; private set; }

    private readonly BackgroundQueue<TraceJob> _backgroundTraces = new();

    /// <inheritdoc/>
    public ICompiledTrace CompileLoop(TreeLoop trace)
    {
        var job = Emit(trace, null, null, -1);
        job.CompileMachineCode();
        return job.Install();
    }

    /// <inheritdoc/>
    public ICompiledTrace CompileBridge(ICompiledTrace from, int guardIndex, TreeLoop bridge)
    {
        var job = EmitBridge(from, guardIndex, bridge);
        job.CompileMachineCode();
        return job.Install();
    }

    /// <inheritdoc/>
    public IPendingTrace StartLoop(TreeLoop trace)
    {
        var job = Emit(trace, null, null, -1);
        _backgroundTraces.Start(job);
        return job;
    }

    /// <inheritdoc/>
    public IPendingTrace StartBridge(ICompiledTrace from, int guardIndex, TreeLoop bridge)
    {
        var job = EmitBridge(from, guardIndex, bridge);
        _backgroundTraces.Start(job);
        return job;
    }

    /// <inheritdoc/>
    public bool HasTracesInFlight => _backgroundTraces.InFlight > 0;

    /// <inheritdoc/>
    public bool HasFinishedTraces => _backgroundTraces.Ready;

    /// <inheritdoc/>
    public IReadOnlyList<IPendingTrace> TakeFinishedTraces() => _backgroundTraces.TakeDone();

    /// <inheritdoc/>
    public void WaitForBackgroundWork()
    {
        _backgroundTraces.WaitForAll();
        WaitForBackgroundTrees();
    }

    private TraceJob EmitBridge(ICompiledTrace from, int guardIndex, TreeLoop bridge)
    {
        if (from is not CilCompiledTrace owner) throw new ArgumentException("The trace was not compiled by the CIL backend.", nameof(from));
        var guard = from.Trace.Guards[guardIndex];
        var fail = guard.FailArgs!;
        if (fail.Length != bridge.InputArgs.Length || fail.Where((v, i) => v.Kind != bridge.InputArgs[i].Kind).Any())
            throw new ArgumentException($"The bridge's inputs ({string.Join(", ", bridge.InputArgs.Select(a => a.Kind))}) must have the kinds of guard {guardIndex}'s fail args ({string.Join(", ", fail.Select(a => a.Kind))}).", nameof(bridge));
        return Emit(bridge, (CilCompiledTrace)from.Loop, owner, guardIndex);
    }

    /// <summary>Splits and emits a trace (on the engine's thread: it reads the traces and their descrs).</summary>
    private TraceJob Emit(TreeLoop trace, CilCompiledTrace? loop, CilCompiledTrace? owner, int guardIndex)
    {
        var clock = Stopwatch.StartNew();
        var pieces = TraceSplitter.Split(trace, MaxOpsPerMethod);
        var constants = new List<object?>();
        var labelEntries = new List<(int, int)>();
        var il = new List<string>();
        (int I, int F, int R) size = (1, 1, 1);
        var emitters = new List<CilEmitter>();
        for (int k = 0; k < pieces.Count; k++)
        {
            var emitter = new CilEmitter(trace, pieces[k], constants, TrustTypes, $"{trace.Name}#{k}", KeepIL) { DirectCalls = DirectCalls, FramelessCalls = FramelessCalls, UnboxedResults = UnboxedResults };
            emitter.Emit();
            emitters.Add(emitter);
            for (int j = 0; j < emitter.LabelCount; j++) labelEntries.Add((k, j + 1));
            size = (Math.Max(size.I, emitter.FrameSize.I), Math.Max(size.F, emitter.FrameSize.F), Math.Max(size.R, emitter.FrameSize.R));
            il.Add(emitter.Listing);
        }
        var context = new CilTraceContext(constants.ToArray());
        return new TraceJob(this, trace, loop, owner, guardIndex, emitters, context, labelEntries.ToArray(), size, il, clock.Elapsed);
    }

    /// <summary>Counts a trace <see cref="TraceJob.Install"/> made; a loop starts waiting for its tree.</summary>
    internal void Installed(TraceJob job, CilCompiledTrace compiled, bool inBackground)
    {
        if (job.Owner == null && TreeEagerness > 0) compiled.ArmTree(HeatToConsider(compiled));
        MachineCodeTime += job.MachineCodeTime;
        if (inBackground) BackgroundCompileTime += job.MachineCodeTime;
        CompiledTraces++;
        CompiledOps += job.Trace.Operations.Length;
        CompileTime += job.EmitTime + job.MachineCodeTime;
    }
}
