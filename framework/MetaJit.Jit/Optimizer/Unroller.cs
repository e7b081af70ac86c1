using MetaJit.Engine.Trace;

namespace MetaJit.Engine.Optimizer;

/// <summary>
/// Loop peeling (RPython's unroll.py, simplified). The loop <c>label(in, descr=start) body jump(args, descr=start)</c>
/// becomes
/// <code>
/// label(in, descr=start)   preamble: the body once, optimized
/// label(x..., descr=start.loop)   body: optimized assuming the state at the label
/// jump(y..., descr=start.loop)
/// </code>
/// The state at the label is one <see cref="VirtualState"/> per jump argument: virtuals travel as their fields
/// (no allocation crosses the back edge), constants are not carried at all, and classes, non-nullness and
/// integer ranges known at the end of the preamble let the body drop guards the preamble already checked
/// (loop-invariant guards are thus hoisted). The state must also hold at the end of the body; when it does
/// not, the assumptions that failed are dropped and both parts are optimized again. What the preamble
/// computed about the label's values (fields read, array lengths, pure ops) travels as extra label arguments
/// (<see cref="LoopInvariants"/>), so loop-invariant reads and computations are hoisted into the preamble. After a few rounds
/// without agreement the loop is optimized without peeling (its jump goes to the start label). The start
/// label stays the entry: bridges and the interpreter enter there.
/// </summary>
internal sealed class Unroller(TreeLoop loop, OptimizerOptions options)
{
    private const int MaxRounds = 6;
    private readonly OptimizerOptions _options = new(options.Passes & ~OptimizerPasses.Unroll);

    public TreeLoop? TryUnroll()
    {
        var ops = loop.Operations;
        if (ops.Length < 2 || ops[0].Num != OpNum.Label || ops[^1].Num != OpNum.Jump || ops[^1].Descr != ops[0].Descr) return null;
        var start = (TargetToken)ops[0].Descr!;
        var jump = ops[^1];
        var loopToken = new TargetToken(start.Name + ".loop");
        VirtualState[]? states = null;
        var refused = new HashSet<string>();
        for (int round = 0; round < MaxRounds; round++)
        {
            // The preamble: the body once, ending at the new label.
            var pre = new OptimizationRun(_options);
            pre.SetInput(ops);
            for (int i = 0; i < ops.Length - 1; i++) pre.Send(ops[i]);
            var ends = jump.Args.Select(pre.Get).ToArray();
            if (states == null)
            {
                var seen = VirtualState.SharedVirtuals(pre, ends);
                states = ends.Select(v => VirtualState.Export(pre, v, seen)).ToArray();
            }
            var leaves = new List<Value>();
            var own = new HashSet<int>();
            for (int k = 0; k < ends.Length; k++)
            {
                int at = leaves.Count;
                states[k].Flatten(pre, ends[k], leaves);
                if (states[k].VirtualDescr == null && leaves.Count == at + 1 && ReferenceEquals(leaves[at], ops[0].Args[k])) own.Add(at);
            }
            var invariants = LoopInvariants.Collect(pre, leaves, refused);
            var labelArgs = DistinctLabelArgs(pre, leaves, ops[0].Args, own);
            pre.SendNew(new ResOperation(OpNum.Label, labelArgs.ToArray(), loopToken));

            // The body, against the state at the label.
            var body = new OptimizationRun(_options);
            body.SetInput(ops);
            var queue = new Queue<Value>(labelArgs);
            for (int k = 0; k < states.Length; k++) body.MakeEqual(ops[0].Args[k], states[k].Import(body, queue));
            invariants.Seed(body, labelArgs);
            for (int i = 1; i < ops.Length - 1; i++) body.Send(ops[i]);
            var bodyEnds = jump.Args.Select(body.Get).ToArray();
            bool agrees = true;
            var seenAtEnd = VirtualState.SharedVirtuals(body, bodyEnds);
            for (int k = 0; k < states.Length; k++) agrees &= states[k].Check(body, bodyEnds[k], seenAtEnd);
            if (!agrees) continue;
            var jumpArgs = new List<Value>();
            for (int k = 0; k < states.Length; k++) states[k].Flatten(body, bodyEnds[k], jumpArgs);
            if (!invariants.KnownFactsHold(body, jumpArgs, refused)) continue;
            var unused = invariants.AppendJumpArgs(body, labelArgs, jumpArgs, refused);
            if (unused == null) continue;
            if (unused.Count > 0)
            {
                var label = pre.Output.Last(o => o.Num == OpNum.Label && o.Descr == loopToken);
                label.Args = label.Args.Where((_, i) => !unused.Contains(i)).ToArray();
                jumpArgs = jumpArgs.Where((_, i) => !unused.Contains(i)).ToList();
            }
            body.SendNew(new ResOperation(OpNum.Jump, jumpArgs.ToArray(), loopToken));
            var all = pre.Output.Concat(body.Output).ToList();
            return new TreeLoop(loop.InputArgs, DeadOps.Remove(all), loop.Name);
        }
        return null;
    }

    /// <summary>Label arguments must be distinct variables (a jump assigns them): constants and repeats get a
    /// same_as copy, and so do the loop's own inputs, which the body rebinds to the state at the label (an input
    /// that also carries a field of a virtual would otherwise stand for two things).</summary>
    private static List<Value> DistinctLabelArgs(OptimizationRun run, List<Value> leaves, Value[] inputs, HashSet<int> own)
    {
        var result = new List<Value>();
        var seen = new HashSet<Value>(ReferenceEqualityComparer.Instance);
        var input = new HashSet<Value>(inputs, ReferenceEqualityComparer.Instance);
        for (int i = 0; i < leaves.Count; i++)
        {
            var v = leaves[i];
            if (v is Const || !seen.Add(v) || (input.Contains(v) && !own.Contains(i)))
            {
                var copy = new ResOperation(OpInfo.Of(OpNum.SameAsI).Num + (int)v.Kind, v);
                run.EmitRaw(copy);
                seen.Add(copy);
                result.Add(copy);
            }
            else result.Add(v);
        }
        return result;
    }
}
