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
/// not, the assumptions that failed are dropped and both parts are optimized again. After a few rounds
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
        for (int round = 0; round < MaxRounds; round++)
        {
            // The preamble: the body once, ending at the new label.
            var pre = new OptimizationRun(_options);
            for (int i = 0; i < ops.Length - 1; i++) pre.Send(ops[i]);
            var ends = jump.Args.Select(pre.Get).ToArray();
            if (states == null)
            {
                var seen = new HashSet<Value>(ReferenceEqualityComparer.Instance);
                states = ends.Select(v => VirtualState.Export(pre, v, seen)).ToArray();
            }
            var leaves = new List<Value>();
            var plainLeaf = new int[ends.Length];
            for (int k = 0; k < ends.Length; k++)
            {
                plainLeaf[k] = states[k].Constant == null && states[k].VirtualDescr == null ? leaves.Count : -1;
                states[k].Flatten(pre, ends[k], leaves);
            }
            var labelArgs = DistinctLabelArgs(pre, leaves, ops[0].Args, plainLeaf);
            pre.SendNew(new ResOperation(OpNum.Label, labelArgs.ToArray(), loopToken));

            // The body, against the state at the label.
            var body = new OptimizationRun(_options);
            var queue = new Queue<Value>(labelArgs);
            for (int k = 0; k < states.Length; k++) body.MakeEqual(ops[0].Args[k], states[k].Import(body, queue));
            for (int i = 1; i < ops.Length - 1; i++) body.Send(ops[i]);
            var bodyEnds = jump.Args.Select(body.Get).ToArray();
            bool agrees = true;
            var seenAtEnd = new HashSet<Value>(ReferenceEqualityComparer.Instance);
            for (int k = 0; k < states.Length; k++) agrees &= states[k].Check(body, bodyEnds[k], seenAtEnd);
            if (!agrees) continue;
            var jumpArgs = new List<Value>();
            for (int k = 0; k < states.Length; k++) states[k].Flatten(body, bodyEnds[k], jumpArgs);
            body.SendNew(new ResOperation(OpNum.Jump, jumpArgs.ToArray(), loopToken));
            var all = pre.Output.Concat(body.Output).ToList();
            return new TreeLoop(loop.InputArgs, DeadOps.Remove(all), loop.Name);
        }
        return null;
    }

    /// <summary>
    /// Label arguments must be distinct variables (a jump assigns them): constants and repeats get a same_as copy.
    /// So does an input argument of the trace that reaches the label anywhere but in its own place (as the plain
    /// value of its own jump position): the body makes every input argument equal to what stands for it at the
    /// label, so a label argument that is itself an input argument would be redirected too (a rotation
    /// <c>jump(i1, i2)</c> would read i2 for both; a virtual whose field is input p0 would point at itself).
    /// </summary>
    private static List<Value> DistinctLabelArgs(OptimizationRun run, List<Value> leaves, Value[] inputs, int[] plainLeaf)
    {
        var inputIndex = new Dictionary<Value, int>(ReferenceEqualityComparer.Instance);
        for (int j = 0; j < inputs.Length; j++) inputIndex.TryAdd(inputs[j], j);
        var result = new List<Value>();
        var seen = new HashSet<Value>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < leaves.Count; i++)
        {
            var v = leaves[i];
            bool misplacedInput = inputIndex.TryGetValue(v, out int j) && plainLeaf[j] != i;
            if (v is Const || misplacedInput || !seen.Add(v))
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
