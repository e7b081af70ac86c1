using MetaJit.Engine.Trace;

namespace MetaJit.Engine.Optimizer;

/// <summary>
/// The last step: removes ops without side effects (pure ops, heap reads, allocations) whose result no
/// remaining op or fail arg uses — typically what fed a guard that was proven and dropped.
/// </summary>
internal static class DeadOps
{
    public static List<ResOperation> Remove(IReadOnlyList<ResOperation> ops)
    {
        var used = new HashSet<Value>(ReferenceEqualityComparer.Instance);
        var keep = new bool[ops.Count];
        for (int i = ops.Count - 1; i >= 0; i--)
        {
            var op = ops[i];
            bool removable = op.Info.HasNoSideEffect && op.Kind != Descriptors.ValueKind.Void && !used.Contains(op);
            if (removable) continue;
            keep[i] = true;
            foreach (var a in op.Args) used.Add(a);
            if (op.FailArgs != null) foreach (var a in op.FailArgs) used.Add(a);
        }
        var result = new List<ResOperation>(ops.Count);
        for (int i = 0; i < ops.Count; i++) if (keep[i]) result.Add(ops[i]);
        return result;
    }
}
