using MetaJit.Engine.Trace;

namespace MetaJit.Engine.Backend.Cil;

/// <summary>
/// The last use of each value of a piece, for reusing IL locals: a value's local is free after the op of its
/// last use. Loops (a label and a jump back to it in the same piece) extend every value live into the label
/// (the label's args and anything defined before it and used inside) to the jump, since the body runs again.
/// </summary>
internal static class LiveRanges
{
    /// <summary>Position (op index) of the last use of each non-constant value in ops [start, end).</summary>
    public static Dictionary<Value, int> LastUses(ResOperation[] ops, int start, int end)
    {
        var last = new Dictionary<Value, int>(ReferenceEqualityComparer.Instance);
        var defined = new Dictionary<Value, int>(ReferenceEqualityComparer.Instance);
        var labels = new Dictionary<TargetToken, int>();
        for (int p = start; p < end; p++)
        {
            var op = ops[p];
            foreach (var v in op.Args) if (v is not Const) last[v] = p;
            if (op.FailArgs != null) foreach (var v in op.FailArgs) if (v is not Const) last[v] = p;
            defined[op] = p;
            if (op.Num == OpNum.Label) labels[(TargetToken)op.Descr!] = p;
        }
        for (int p = start; p < end; p++)
        {
            var op = ops[p];
            if (op.Num != OpNum.Jump || !labels.TryGetValue((TargetToken)op.Descr!, out int label) || label > p) continue;
            foreach (var v in ops[label].Args) if (v is not Const) last[v] = Math.Max(last[v], p);
            foreach (var (v, use) in last.ToList())
                if (use >= label && use <= p && (!defined.TryGetValue(v, out int def) || def < label))
                    last[v] = p;
        }
        return last;
    }
}
