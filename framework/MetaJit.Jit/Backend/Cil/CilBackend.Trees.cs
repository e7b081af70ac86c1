using System.Diagnostics;
using MetaJit.Engine.Trace;

namespace MetaJit.Engine.Backend.Cil;

/// <summary>
/// Trace trees: when the bridges of a loop have run <see cref="TreeEagerness"/> times per op of the tree since
/// the loop's code or its set of bridges last changed (so the bridges have stopped changing), and bridges were
/// attached since the last tree, the loop is recompiled with its bridges in one DynamicMethod. The bridges go in hottest first (by runs), a bridge only after the bridge or loop that
/// holds its guard, while the method stays within <see cref="TraceSplitter"/>'s budget. The old code stays
/// valid (frames inside it finish there), the bridges keep their objects, guard indexes and resume data.
/// Heat is counted where the runner takes a bridge (<see cref="CilCompiledTrace.GetBridge"/>), the
/// transition a tree removes; RyuJIT's time is what a tree costs, so it must be paid back by many of them.
/// With <see cref="BackgroundTrees"/>, that time is spent on a thread pool thread: the tree's IL is emitted on the
/// engine's thread (it reads the traces), RyuJIT compiles it in the background while the old code keeps running,
/// and the next <see cref="CompileHotTrees"/> after it is done installs it (<see cref="TreeJob"/>).
/// </summary>
public sealed partial class CilBackend
{
    private readonly List<CilCompiledTrace> _hotTrees = new();
    private readonly BackgroundQueue<TreeJob> _backgroundTrees = new();

    /// <summary>
    /// Bridge runs per op of a loop's tree before the loop is recompiled with its bridges (JIT parameter
    /// <c>tree_eagerness</c>); 0 turns trees off.
    /// </summary>
    public int TreeEagerness { get; init; } = JitParams.GetInt("tree_eagerness");

    /// <summary>Whether compiled code calls a call_assembler's target directly when the target has compiled code of
    /// this backend (a tree its own method, through <see cref="DirectCallWrapper"/>; parameter <c>direct_calls</c>).</summary>
    public bool DirectCalls { get; init; } = JitParams.Get("direct_calls") == "on";

    /// <summary>Whether direct calls of a tree's labels pass their arguments in the call site's argument frame, get the
    /// result in the tree's context and take a frame only to leave through an exit (parameter <c>frameless_calls</c>;
    /// CilEmitter.FramelessCalls.cs).</summary>
    public bool FramelessCalls { get; init; } = JitParams.Get("frameless_calls") == "on";

    /// <summary>Whether a frameless call of a tree whose finish makes a new object of a one-field class gets the field's
    /// value instead (parameter <c>unboxed_results</c>; CilEmitter.UnboxedResults.cs).</summary>
    public bool UnboxedResults { get; init; } = JitParams.Get("unboxed_results") == "on";

    /// <summary>Whether <see cref="CompileHotTrees"/> has RyuJIT compile trees on a background thread (JIT
    /// parameter <c>background_compile</c> <c>trees</c> or <c>all</c>); <see cref="CompileTree"/> always compiles at once.</summary>
    public bool BackgroundTrees { get; init; } = JitParams.Get("background_compile") != "off";

    /// <summary>Trees being compiled in the background, not yet installed.</summary>
    public int TreesInFlight => _backgroundTrees.InFlight;

    /// <summary>Loops compiled as trees (each recompilation counts).</summary>
    public int TreesCompiled { get; private set; }

    /// <summary>Ops compiled into trees (loop and bridges, again at each recompilation).</summary>
    public long TreeOpsCompiled { get; private set; }

    /// <summary>The part of <see cref="CompileTime"/> spent compiling trees.</summary>
    public TimeSpan TreeCompileTime { get; private set; }

    internal void TreeIsHot(CilCompiledTrace root) => _hotTrees.Add(root);

    /// <summary>Bridge runs before a loop's tree is looked at: the loop alone must be paid back.</summary>
    internal int HeatToConsider(CilCompiledTrace root) => (int)Math.Min(int.MaxValue, (long)TreeEagerness * root.Trace.Operations.Length);

    /// <inheritdoc/>
    public bool HasHotTrees => _hotTrees.Count > 0 || _backgroundTrees.Ready;

    /// <inheritdoc/>
    public IReadOnlyList<ICompiledTrace> CompileHotTrees()
    {
        if (_hotTrees.Count == 0 && !_backgroundTrees.Ready) return [];
        var compiled = new List<ICompiledTrace>();
        InstallFinishedTrees(compiled);
        var roots = _hotTrees.ToArray();
        _hotTrees.Clear();
        foreach (var root in roots)
        {
            if (root.TreePending) continue; // armed again when its tree is installed
            int ops = 0;
            var plan = root.HasNewBridges ? PlanTree(root, out ops) : null;
            if (plan == null)
            {
                root.ArmTree(root.Heat * 2, resetHeat: false); // bridges left out (too long) still run: look again later
                continue;
            }
            long needed = (long)TreeEagerness * ops;
            if (root.Heat < needed)
            {
                root.ArmTree((int)Math.Min(needed, int.MaxValue), resetHeat: false);
                continue;
            }
            var job = EmitTree(root, plan, ops);
            if (BackgroundTrees)
            {
                StartInBackground(job);
                continue;
            }
            job.CompileMachineCode();
            Install(job, arm: true);
            compiled.Add(root);
        }
        return compiled;
    }

    /// <summary>Blocks until every tree started in the background is compiled (for tests and tools); the next
    /// <see cref="CompileHotTrees"/> installs them.</summary>
    public void WaitForBackgroundTrees() => _backgroundTrees.WaitForAll();

    private void StartInBackground(TreeJob job)
    {
        job.Root.TreePending = true;
        _backgroundTrees.Start(job);
    }

    /// <summary>Installs the trees the background finished (on the engine's thread, between runs of compiled code).</summary>
    private void InstallFinishedTrees(List<ICompiledTrace> installed)
    {
        foreach (var job in _backgroundTrees.TakeDone())
        {
            job.Root.TreePending = false;
            // A dead loop's tree would never be entered; a tree compiled at once since (CompileTree) is newer.
            if (job.Root.Context.Invalidated || job.Root.TreeCompilations != job.Generation)
            {
                job.Root.ArmTree(HeatToConsider(job.Root));
                continue;
            }
            Install(job, arm: true);
            installed.Add(job.Root);
        }
    }

    /// <summary>
    /// Recompiles <paramref name="loop"/> (a loop compiled by this backend) with the bridges attached to it
    /// so far, whatever their heat. False when there is nothing to put in: no bridges, or the loop or every
    /// bridge too long for one method.
    /// </summary>
    public bool CompileTree(ICompiledTrace loop)
    {
        if (loop is not CilCompiledTrace root || !ReferenceEquals(root.Loop, root))
            throw new ArgumentException("A tree is compiled from a loop compiled by this CIL backend, not from a bridge.", nameof(loop));
        var plan = PlanTree(root, out int ops);
        if (plan == null) return false;
        var job = EmitTree(root, plan, ops);
        job.CompileMachineCode();
        Install(job, arm: false);
        return true;
    }

    /// <summary>Emits the IL of <paramref name="root"/>'s tree (and of its direct-call wrapper): the part that reads
    /// the traces, done on the engine's thread.</summary>
    private TreeJob EmitTree(CilCompiledTrace root, TreePlan plan, int ops)
    {
        var clock = Stopwatch.StartNew();
        var trace = root.Trace;
        var constants = new List<object?>();
        var piece = new TracePiece(0, trace.Operations.Length, trace.InputArgs, []);
        var emitter = new CilEmitter(trace, piece, constants, TrustTypes, $"{trace.Name}#tree", KeepIL, plan)
        {
            DirectCalls = DirectCalls, FramelessCalls = FramelessCalls, UnboxedResults = UnboxedResults,
        };
        emitter.Emit();
        if (plan.DirectCall != null)
        {
            var (ni, nf, nr) = root.FrameSize;
            var (ti, tf, tr) = emitter.FrameSize;
            DirectCallWrapper.EmitBody(plan.DirectCall, emitter.Method, (Math.Max(ni, ti), Math.Max(nf, tf), Math.Max(nr, tr)));
        }
        var context = new CilTraceContext(constants.ToArray(), emitter.TreeFloats) { Owner = root };
        if (plan.FramelessCall != null && emitter.HasFramelessEntries)
        {
            var frameSize = (Math.Max(root.FrameSize.Ints, emitter.FrameSize.I), Math.Max(root.FrameSize.Floats, emitter.FrameSize.F),
                Math.Max(root.FrameSize.Refs, emitter.FrameSize.R));
            DirectCallWrapper.EmitFramelessBody(plan.FramelessCall, emitter.Method);
            DirectCallWrapper.EmitFramelessRefBody(plan.FramelessRefCall!, emitter.Method);
            emitter.PrepareFrameless(context, frameSize);
        }
        return new TreeJob(root, emitter, context, plan.Order.Count, ops, root.BridgesAttached, root.TreeCompilations, clock.Elapsed,
            emitter.HasFramelessEntries ? plan.FramelessCall : null);
    }

    /// <summary>Runs <paramref name="job"/>'s tree from now on and counts it (engine thread); <paramref name="arm"/>:
    /// look at the loop again once its bridges have run as much as the new tree's size asks.</summary>
    private void Install(TreeJob job, bool arm)
    {
        job.Failure?.Throw();
        var root = job.Root;
        root.InstallTree(job.Code!, job.Emitter.FrameSize, job.Bridges, job.BridgesAttached, KeepIL ? [job.Emitter.Listing] : [],
            job.FramelessContext);
        if (arm) root.ArmTree(HeatToConsider(root));
        MachineCodeTime += job.MachineCodeTime;
        if (job.InBackground) BackgroundCompileTime += job.MachineCodeTime;
        CompileTime += job.EmitTime + job.MachineCodeTime;
        TreeCompileTime += job.EmitTime + job.MachineCodeTime;
        TreesCompiled++;
        TreeOpsCompiled += job.Ops;
    }

    /// <summary>Which bridges go into <paramref name="root"/>'s tree; null when none can.</summary>
    private TreePlan? PlanTree(CilCompiledTrace root, out int ops)
    {
        ops = 0;
        if (root.PieceCount != 1) return null;
        var cost = TraceSplitter.Cost(root.Trace);
        var plan = new TreePlan
        {
            Root = root,
            DirectCall = DirectCalls ? DirectCallWrapper.Declare($"{root.Trace.Name}#tree") : null,
            FramelessCall = DirectCalls && FramelessCalls ? DirectCallWrapper.DeclareFrameless($"{root.Trace.Name}#tree") : null,
            FramelessRefCall = DirectCalls && FramelessCalls ? DirectCallWrapper.DeclareFramelessRef($"{root.Trace.Name}#tree") : null,
        };
        var frontier = new PriorityQueue<(ResOperation Guard, CilCompiledTrace Bridge), long>();
        AddBridges(root);
        while (frontier.TryDequeue(out var next, out _))
        {
            var (guard, bridge) = next;
            if (bridge.PieceCount != 1 || bridge.Trace.Labels.Any()) continue; // bridges with labels keep their own code
            var bridgeCost = TraceSplitter.Cost(bridge.Trace);
            var sum = (cost.Ops + bridgeCost.Ops, cost.Refs + bridgeCost.Refs, cost.Blocks + bridgeCost.Blocks);
            if (!TraceSplitter.Fits(sum, MaxOpsPerMethod)) continue;
            cost = sum;
            plan.Order.Add((guard, bridge.Trace));
            plan.Bridges[guard] = bridge.Trace;
            plan.Contexts[bridge.Trace] = bridge.Context;
            plan.Owners[bridge.Trace] = bridge;
            foreach (var g in bridge.Trace.Guards) plan.ExitCodes[g] = root.TreeExitCode(bridge, g);
            AddBridges(bridge);
        }
        if (plan.Order.Count == 0) return null;
        plan.Contexts[root.Trace] = root.Context;
        foreach (var label in root.Trace.Labels) plan.RootLabels[(TargetToken)label.Descr!] = label;
        ops = cost.Ops;
        return plan;

        void AddBridges(CilCompiledTrace owner)
        {
            for (int g = 0; g < owner.Trace.Guards.Count; g++)
                if (owner.BridgeAt(g) is CilCompiledTrace bridge)
                    frontier.Enqueue((owner.Trace.Guards[g], bridge), -bridge.Runs);
        }
    }
}
