using MetaJit.Engine.Descriptors;
using MetaJit.Engine.Trace;

namespace MetaJit.Engine.Optimizer;

/// <summary>
/// What the unrolled loop assumes about one value at its label (RPython's VirtualState, one node): a constant,
/// or a virtual of a given shape whose fields are further states, or a plain value with known facts (class,
/// non-null, integer range). The assumptions start as what holds at the end of the preamble and are only
/// weakened: when the end of the body does not satisfy one, it is dropped and the loop optimized again.
/// </summary>
internal sealed class VirtualState
{
    public Const? Constant;
    public Type? Class;
    public bool NonNull;
    public IntBound Bound = IntBound.Full;

    /// <summary>For a virtual: its type or array descr, its fields (empty for arrays), its length (-1 for objects).</summary>
    public Descr? VirtualDescr;
    public Descr[] Fields = [];
    public int Length = -1;
    public VirtualState[] Children = [];

    private const int MaxDepth = 3;

    /// <summary>
    /// Virtuals reachable more than once from <paramref name="ends"/> (two jump arguments, or two fields, holding
    /// the same object). They cannot travel as fields — each copy would become a distinct object in the body —
    /// so they are forced at the label: pass the result as the <c>seen</c> set of <see cref="Export"/>.
    /// </summary>
    public static HashSet<Value> SharedVirtuals(OptimizationRun run, IEnumerable<Value> ends)
    {
        var count = new Dictionary<Value, int>(ReferenceEqualityComparer.Instance);
        var work = new Stack<Value>(ends.Select(run.Get));
        while (work.Count > 0)
        {
            var v = run.Get(work.Pop());
            if (!run.IsVirtual(v)) continue;
            count[v] = count.GetValueOrDefault(v) + 1;
            if (count[v] > 1) continue;
            foreach (var x in run.Virtualize!.InfoOf(v)!.Values) if (x != null) work.Push(x);
        }
        return new HashSet<Value>(count.Where(kv => kv.Value > 1).Select(kv => kv.Key), ReferenceEqualityComparer.Instance);
    }

    /// <summary>The state of <paramref name="v"/> at the end of <paramref name="run"/>.</summary>
    public static VirtualState Export(OptimizationRun run, Value v, HashSet<Value> seen, int depth = 0)
    {
        v = run.Get(v);
        var s = new VirtualState();
        if (v is Const c)
        {
            s.Constant = c;
            return s;
        }
        s.Class = run.KnownClass(v);
        s.NonNull = run.IsNonNull(v);
        if (v.Kind == ValueKind.Int) s.Bound = run.BoundOf(v);
        if (run.IsVirtual(v) && depth < MaxDepth && seen.Add(v))
        {
            var info = run.Virtualize!.InfoOf(v)!;
            s.VirtualDescr = info.Descr;
            s.Fields = info.Fields.ToArray();
            s.Length = info.Length;
            s.Children = info.Values.Select(x => Export(run, x, seen, depth + 1)).ToArray();
        }
        return s;
    }

    /// <summary>True when <paramref name="v"/> (a jump argument at the end of the body) satisfies this state;
    /// otherwise the unsatisfied assumptions are dropped (so every failure is found in one check).</summary>
    public bool Check(OptimizationRun run, Value v, HashSet<Value> seen)
    {
        v = run.Get(v);
        if (Constant != null)
        {
            if (v is Const && v.Equals(Constant)) return true;
            Constant = null;
            return false;
        }
        if (VirtualDescr != null)
        {
            var info = run.IsVirtual(v) ? run.Virtualize!.InfoOf(v) : null;
            if (info == null || info.Descr != VirtualDescr || info.Length != Length || !seen.Add(v) || info.Fields.Any(f => !Fields.Contains(f)))
            {
                VirtualDescr = null;
                Children = [];
                return false;
            }
            bool ok = true;
            for (int j = 0; j < Children.Length; j++)
                ok &= Children[j].Check(run, info.IsArray ? info.Values[j] : FieldOf(info, Fields[j]), seen);
            return ok;
        }
        bool good = true;
        if (Class != null && run.KnownClass(v) != Class) { Class = null; good = false; }
        if (NonNull && !run.IsNonNull(v)) { NonNull = false; good = false; }
        if (v.Kind == ValueKind.Int && !Bound.Contains(run.BoundOf(v))) { Bound = Bound.Union(run.BoundOf(v)); good = false; }
        return good;
    }

    /// <summary>The values the label carries for this state: nothing for a constant, the fields of a virtual
    /// (recursively), else the value itself, forced if it is virtual.</summary>
    public void Flatten(OptimizationRun run, Value v, List<Value> into)
    {
        v = run.Get(v);
        if (Constant != null) return;
        if (VirtualDescr != null)
        {
            var info = run.Virtualize!.InfoOf(v)!;
            for (int j = 0; j < Children.Length; j++)
                Children[j].Flatten(run, info.IsArray ? info.Values[j] : FieldOf(info, Fields[j]), into);
            return;
        }
        run.Virtualize?.Force(v);
        into.Add(run.Get(v));
    }

    private static Value FieldOf(VirtualInfo info, Descr field) =>
        info.FieldValue(field) ?? OptimizationRun.DefaultOf(((FieldDescr)field).Kind);

    /// <summary>The value standing for this state in the body: the constant, a new virtual, or the next label argument (with its facts).</summary>
    public Value Import(OptimizationRun run, Queue<Value> labelArgs)
    {
        if (Constant != null) return Constant;
        if (VirtualDescr != null)
        {
            var alloc = Length >= 0
                ? new ResOperation(OpNum.NewArrayClear, [new ConstInt(Length)], VirtualDescr)
                : new ResOperation(OpNum.NewWithVtable, [], VirtualDescr);
            var info = run.Virtualize!.AddVirtual(alloc, Length);
            for (int j = 0; j < Children.Length; j++)
            {
                var child = Children[j].Import(run, labelArgs);
                if (info.IsArray) info.Values[j] = child;
                else info.SetField(Fields[j], child);
            }
            return alloc;
        }
        var x = labelArgs.Dequeue();
        if (Class != null) run.SetKnownClass(x, Class);
        if (NonNull) run.SetNonNull(x);
        if (x.Kind == ValueKind.Int && !Bound.IsFull) run.SetBound(x, Bound);
        return run.Get(x);
    }
}
