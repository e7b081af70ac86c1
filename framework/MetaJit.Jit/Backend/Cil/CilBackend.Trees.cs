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
/// </summary>
public sealed partial class CilBackend
{
    private readonly List<CilCompiledTrace> _hotTrees = new();

    /// <summary>
    /// Bridge runs per op of a loop's tree before the loop is recompiled with its bridges (JIT parameter
    /// <c>tree_eagerness</c>); 0 turns trees off.
    /// </summary>
    public int TreeEagerness { get; init; } = JitParams.GetInt("tree_eagerness");

    /// <summary>Whether compiled code calls a call_assembler's target directly when the target has compiled code of
    /// this backend (a tree its own method, through <see cref="DirectCallWrapper"/>; parameter <c>direct_calls</c>).</summary>
    public bool DirectCalls { get; init; } = JitParams.Get("direct_calls") == "on";

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
    public bool HasHotTrees => _hotTrees.Count > 0;

    /// <inheritdoc/>
    public IReadOnlyList<ICompiledTrace> CompileHotTrees()
    {
        if (_hotTrees.Count == 0) return [];
        var roots = _hotTrees.ToArray();
        _hotTrees.Clear();
        var compiled = new List<ICompiledTrace>();
        foreach (var root in roots)
        {
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
            EmitTree(root, plan, ops);
            compiled.Add(root);
            root.ArmTree(HeatToConsider(root));
        }
        return compiled;
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
        EmitTree(root, plan, ops);
        return true;
    }

    private void EmitTree(CilCompiledTrace root, TreePlan plan, int ops)
    {
        var clock = Stopwatch.StartNew();
        var trace = root.Trace;
        var constants = new List<object?>();
        var piece = new TracePiece(0, trace.Operations.Length, trace.InputArgs, []);
        var emitter = new CilEmitter(trace, piece, constants, TrustTypes, $"{trace.Name}#tree", KeepIL, plan) { DirectCalls = DirectCalls };
        emitter.Emit();
        if (plan.DirectCall != null)
        {
            var (ni, nf, nr) = root.FrameSize;
            var (ti, tf, tr) = emitter.FrameSize;
            DirectCallWrapper.EmitBody(plan.DirectCall, emitter.Method, (Math.Max(ni, ti), Math.Max(nf, tf), Math.Max(nr, tr)));
        }
        var jitStart = clock.Elapsed;
        var code = emitter.CreateDelegate(new CilTraceContext(constants.ToArray(), emitter.TreeFloats) { Owner = root });
        code(null!, -1); // compile now
        root.InstallTree(code, emitter.FrameSize, plan.Order.Count, KeepIL ? [emitter.Listing] : []);
        MachineCodeTime += clock.Elapsed - jitStart;
        CompileTime += clock.Elapsed;
        TreeCompileTime += clock.Elapsed;
        TreesCompiled++;
        TreeOpsCompiled += ops;
    }

    /// <summary>Which bridges go into <paramref name="root"/>'s tree; null when none can.</summary>
    private TreePlan? PlanTree(CilCompiledTrace root, out int ops)
    {
        ops = 0;
        if (root.PieceCount != 1) return null;
        var cost = TraceSplitter.Cost(root.Trace);
        var plan = new TreePlan { Root = root, DirectCall = DirectCalls ? DirectCallWrapper.Declare($"{root.Trace.Name}#tree") : null };
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
