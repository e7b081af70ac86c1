using MetaJit.Engine.Trace;

namespace MetaJit.Engine.Backend.Cil;

/// <summary>
/// One DynamicMethod's share of a trace: ops [<see cref="Start"/>, <see cref="End"/>), entered with
/// <see cref="Inputs"/> (the trace inputs for the first piece, the values live across the cut for the others)
/// and, unless it ends the trace, leaving <see cref="LiveOut"/> in the frame for the next piece.
/// </summary>
internal sealed class TracePiece(int start, int end, IReadOnlyList<Value> inputs, IReadOnlyList<Value> liveOut)
{
    public int Start { get; } = start;
    public int End { get; } = end;
    public IReadOnlyList<Value> Inputs { get; } = inputs;
    public IReadOnlyList<Value> LiveOut { get; } = liveOut;
}

/// <summary>
/// Cuts long traces into pieces so each DynamicMethod stays under RyuJIT's limits for optimizing a method
/// (about 2,000 basic blocks, 2,000 locals, 8,000 local references, 20,000 IL instructions; past them it
/// compiles with MinOpts, 10-20x slower code). The budget is counted per op: arguments and results are local
/// references, guards add blocks and their fail-arg moves. A cut never separates a call from its exception
/// guard or an _ovf op from its overflow guard.
/// </summary>
internal static class TraceSplitter
{
    /// <summary>Cut when a piece exceeds this many ops (the design's "~1,000 ops").</summary>
    public const int MaxOps = 1000;
    // RyuJIT's limit is 8,000; the estimate counts int and float constants, which are IL literals, so it runs high.
    // 5,000 left tak's loop and first bridge (24 over) without a tree; at 6,000 no benchmark method is MinOpts.
    private const int MaxLocalRefs = 6000;
    private const int MaxBlocks = 1200;

    /// <summary>The budget a trace uses: ops, estimated local references, basic blocks.</summary>
    public static (int Ops, int Refs, int Blocks) Cost(TreeLoop trace)
    {
        int refs = 0, blocks = 0;
        foreach (var op in trace.Operations)
        {
            refs += op.Args.Length + 1 + (op.FailArgs?.Length * 2 ?? 0);
            blocks += op.IsGuard ? 2 : op.Info.IsCall ? 1 : 0;
        }
        return (trace.Operations.Length, refs, blocks);
    }

    /// <summary>True when one DynamicMethod of this cost stays under RyuJIT's limits for optimizing.</summary>
    public static bool Fits((int Ops, int Refs, int Blocks) cost, int maxOps = MaxOps) =>
        cost.Ops <= maxOps && cost.Refs <= MaxLocalRefs && cost.Blocks <= MaxBlocks;

    public static List<TracePiece> Split(TreeLoop trace, int maxOps = MaxOps)
    {
        var ops = trace.Operations;
        var cuts = new List<int> { 0 };
        int nOps = 0, refs = 0, blocks = 0;
        for (int p = 0; p < ops.Length; p++)
        {
            var op = ops[p];
            int opRefs = op.Args.Length + 1 + (op.FailArgs?.Length * 2 ?? 0);
            int opBlocks = op.IsGuard ? 2 : op.Info.IsCall ? 1 : 0;
            bool mayCut = p > cuts[^1] && !(op.Num is OpNum.GuardNoException or OpNum.GuardException or OpNum.GuardNoOverflow or OpNum.GuardOverflow);
            if (mayCut && (nOps + 1 > maxOps || refs + opRefs > MaxLocalRefs || blocks + opBlocks > MaxBlocks))
            {
                cuts.Add(p);
                nOps = refs = blocks = 0;
            }
            nOps++;
            refs += opRefs;
            blocks += opBlocks;
        }
        cuts.Add(ops.Length);

        var pieces = new List<TracePiece>();
        IReadOnlyList<Value> inputs = trace.InputArgs;
        for (int k = 0; k + 1 < cuts.Count; k++)
        {
            int start = cuts[k], end = cuts[k + 1];
            var liveOut = end == ops.Length ? [] : LiveAcross(ops, end);
            pieces.Add(new TracePiece(start, end, inputs, liveOut));
            inputs = liveOut;
        }
        return pieces;
    }

    /// <summary>Values defined before <paramref name="cut"/> and used at or after it, in order of first use.</summary>
    private static List<Value> LiveAcross(ResOperation[] ops, int cut)
    {
        var definedAfter = new HashSet<Value>(ReferenceEqualityComparer.Instance);
        var seen = new HashSet<Value>(ReferenceEqualityComparer.Instance);
        var live = new List<Value>();
        for (int p = cut; p < ops.Length; p++)
        {
            foreach (var v in ops[p].Args) Use(v);
            if (ops[p].FailArgs != null) foreach (var v in ops[p].FailArgs!) Use(v);
            definedAfter.Add(ops[p]);
        }
        return live;

        void Use(Value v)
        {
            if (v is Const || definedAfter.Contains(v) || !seen.Add(v)) return;
            live.Add(v);
        }
    }
}
