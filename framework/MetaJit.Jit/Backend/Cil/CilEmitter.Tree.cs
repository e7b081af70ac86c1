using System.Reflection.Emit;
using MetaJit.Engine.Trace;

namespace MetaJit.Engine.Backend.Cil;

/// <summary>
/// What a tree method holds besides its loop: the bridges compiled into it (each entered from its guard's
/// stub), the exit code of every bridge guard (root guards keep their index), and the context whose
/// invalidation flag each member's <c>guard_not_invalidated</c> tests.
/// </summary>
internal sealed class TreePlan
{
    /// <summary>Bridges in emission order, each after the trace that holds its guard.</summary>
    public List<(ResOperation Guard, TreeLoop Bridge)> Order { get; } = new();
    /// <summary>Guard -> the bridge compiled in at it.</summary>
    public Dictionary<ResOperation, TreeLoop> Bridges { get; } = new(ReferenceEqualityComparer.Instance);
    /// <summary>Exit codes of the bridges' guards (the root's guards return their own index).</summary>
    public Dictionary<ResOperation, int> ExitCodes { get; } = new(ReferenceEqualityComparer.Instance);
    /// <summary>Each bridge's compiled trace, which its finish reports as the exit's owner.</summary>
    public Dictionary<TreeLoop, CilCompiledTrace> Owners { get; } = new(ReferenceEqualityComparer.Instance);
    /// <summary>Each member trace's own context (its invalidation flag).</summary>
    public Dictionary<TreeLoop, CilTraceContext> Contexts { get; } = new(ReferenceEqualityComparer.Instance);
    /// <summary>The root's labels, which the bridges' jumps reach with an IL branch.</summary>
    public Dictionary<TargetToken, ResOperation> RootLabels { get; } = new();
    /// <summary>The loop the tree is compiled for.</summary>
    public required CilCompiledTrace Root { get; init; }
    /// <summary>The tree's wrapper for call_assemblers that target its own labels (<see cref="DirectCallWrapper"/>);
    /// null when direct calls are off.</summary>
    public System.Reflection.Emit.DynamicMethod? DirectCall { get; init; }
    /// <summary>The tree's wrapper for frameless calls of its labels (<see cref="DirectCallWrapper.EmitFramelessBody"/>);
    /// null when they are off.</summary>
    public System.Reflection.Emit.DynamicMethod? FramelessCall { get; init; }
    /// <summary>The tree's frameless wrapper for calls of its labels whose portal returns a reference
    /// (<see cref="DirectCallWrapper.EmitFramelessRefBody"/>); null when frameless calls are off.</summary>
    public System.Reflection.Emit.DynamicMethod? FramelessRefCall { get; init; }
}

/// <summary>
/// Trace trees at the IL level (PyPy compiles a loop and its bridges into one piece of machine code; here one
/// DynamicMethod): after the root loop's body, each bridge is emitted out of line. Its guard branches to it,
/// the guard's fail args move into the bridge's input locals, and a jump back to a root label is a parallel
/// move and a branch, as inside the loop. A bridge starts after its guard's values are dead, so it may reuse
/// every value local except the ones the root still needs past its labels.
/// </summary>
internal sealed partial class CilEmitter
{
    private readonly TreePlan? _tree;

    /// <summary>True while a tree's bridges are emitted: their float constants come from the context.</summary>
    private bool _inTreeBridge;

    /// <summary>The float constants the tree's bridges load (<see cref="CilTraceContext.Floats"/>).</summary>
    private readonly List<double> _treeFloats = new();
    private static readonly System.Reflection.FieldInfo ContextFloatsField = typeof(CilTraceContext).GetField(nameof(CilTraceContext.Floats))!;

    /// <summary>The float constants a tree's bridges load, for its context.</summary>
    public double[] TreeFloats => _treeFloats.ToArray();

    /// <summary>
    /// A float constant in a tree's bridge, loaded from the context instead of being an IL literal. RyuJIT
    /// CSEs equal float constants across the whole method: one the loop and a bridge both use becomes a register
    /// live across the bridge's calls, which it spills, and the spill and reload land in the loop's hottest
    /// block (Lox loops.lox: the inner loop 1.1 -> 2.4 ns an iteration once its tree was compiled). A load is
    /// not a constant, so the loop keeps its own.
    /// </summary>
    private void LoadTreeFloat(double value)
    {
        int k = _treeFloats.FindIndex(f => BitConverter.DoubleToInt64Bits(f) == BitConverter.DoubleToInt64Bits(value));
        if (k < 0) { k = _treeFloats.Count; _treeFloats.Add(value); }
        E(OpCodes.Ldarg_0); E(OpCodes.Ldfld, ContextFloatsField); E(OpCodes.Ldc_I4, k); E(OpCodes.Ldelem_R8);
    }

    private int ExitCode(ResOperation guard) =>
        _tree != null && _tree.ExitCodes.TryGetValue(guard, out int code) ? code : guard.GuardIndex;

    private ResOperation? TreeLabel(TargetToken token) =>
        _tree != null && _tree.RootLabels.TryGetValue(token, out var label) ? label : null;

    private static readonly System.Reflection.FieldInfo ExitOwnerField = typeof(DeadFrame).GetField(nameof(DeadFrame.ExitOwner))!;

    /// <summary>A finish in a bridge of the tree names the bridge as the owner of the exit.</summary>
    private void StoreExitOwner()
    {
        if (_tree == null || !_tree.Owners.TryGetValue(_trace, out var owner)) return;
        E(OpCodes.Ldarg_1); LoadRef(owner); E(OpCodes.Stfld, ExitOwnerField);
    }

    /// <summary>Pushes the context whose flag the current trace's <c>guard_not_invalidated</c> tests.</summary>
    private void LoadInvalidationContext()
    {
        if (_tree == null) { E(OpCodes.Ldarg_0); return; }
        LoadRef(_tree.Contexts[_trace]);
        E(OpCodes.Castclass, typeof(CilTraceContext));
    }

    private void EmitTreeBridges()
    {
        var (rootTrace, rootOps, rootPiece, rootLastUse) = (_trace, _ops, _piece, _lastUse);
        var pinned = LiveAcrossRootLabels();
        _inTreeBridge = true;
        foreach (var (guard, bridge) in _tree!.Order)
        {
            _trace = bridge;
            _ops = bridge.Operations;
            _piece = new TracePiece(0, _ops.Length, bridge.InputArgs, []);
            _lastUse = LiveRanges.LastUses(_ops, 0, _ops.Length);
            for (int kind = 0; kind < 3; kind++)
            {
                _free[kind].Clear();
                foreach (var local in _valueLocals[kind]) if (!pinned.Contains(local)) _free[kind].Push(local);
            }
            ForgetCasts(null);
            Mark(StubOf(guard));
            if (_listing != null) Note($"// bridge {bridge.Name} at guard {guard.GuardIndex}");
            // A bridge runs without a pending exception (the runner clears it before running a bridge).
            if (guard.Num is OpNum.GuardNoException or OpNum.GuardException && _exception != null)
            {
                E(OpCodes.Ldnull); E(OpCodes.Stloc, _exception);
            }
            var moves = new List<(Value Input, Value Source)>();
            for (int i = 0; i < bridge.InputArgs.Length; i++)
                if (_lastUse.ContainsKey(bridge.InputArgs[i])) moves.Add((bridge.InputArgs[i], guard.FailArgs![i]));
            foreach (var (_, source) in moves) Load(source);
            for (int i = moves.Count - 1; i >= 0; i--) E(OpCodes.Stloc, Local(moves[i].Input));
            for (int p = 0; p < _ops.Length; p++)
            {
                var op = _ops[p];
                if (!_handled.Contains(op)) EmitOp(op, p);
                FreeDead(op, p);
            }
            EndWithoutFinalOp();
        }
        _inTreeBridge = false;
        (_trace, _ops, _piece, _lastUse) = (rootTrace, rootOps, rootPiece, rootLastUse);
    }

    /// <summary>
    /// Locals of root values that are used after a label without being its args: a bridge jumping to that
    /// label must not overwrite them. (Traces the optimizer makes carry everything in the label's args; this
    /// keeps hand-written or future traces right.)
    /// </summary>
    private HashSet<LocalBuilder> LiveAcrossRootLabels()
    {
        var pinned = new HashSet<LocalBuilder>();
        for (int p = _piece.Start; p < _piece.End; p++)
        {
            if (_ops[p].Num != OpNum.Label) continue;
            var covered = new HashSet<Value>(_ops[p].Args, ReferenceEqualityComparer.Instance);
            for (int q = p + 1; q < _piece.End; q++)
            {
                foreach (var v in _ops[q].Args.Concat(_ops[q].FailArgs ?? []))
                    if (v is not Const && !covered.Contains(v) && _locals.TryGetValue(v, out var local)) pinned.Add(local);
                covered.Add(_ops[q]);
            }
        }
        return pinned;
    }
}
