using MetaJit.Engine.Descriptors;
using MetaJit.Engine.Resume;
using MetaJit.Engine.Trace;

namespace MetaJit.Engine.Optimizer;

/// <summary>
/// The heap cache carried from a guard into its bridges (RPython's bridgeopt does the same for fields). At the
/// output end, <see cref="Collect"/> records what <see cref="HeapPass"/> knows at the guard about fail args: a
/// field's value, an array's length, an item, when the object is a fail arg and the value (and index) a fail arg
/// or a constant; and a field of a constant object. The cache already counts the held-back stores (a lazy store is
/// the current value), which the bridge redoes before <see cref="Seed"/> fills its own cache. Left out: the virtualizable (its fields travel as
/// pending writes and the bridge's tracer reads the rest from the object) and anything a non-lazy pending write
/// (the virtualizable's registers) may change when leaving. At most <see cref="MaxFacts"/> per guard.
/// </summary>
internal static class BridgeHeapFacts
{
    /// <summary>Keeps exits small: each fact costs a few ints in the guard's resume data.</summary>
    public const int MaxFacts = 16;

    /// <summary>
    /// The facts about <paramref name="failArgs"/> (final, virtuals already placeholders) that hold when leaving
    /// through the guard. <paramref name="writes"/> and <paramref name="vableSlot"/> are the guard's, remapped to
    /// <paramref name="failArgs"/>; a constant value is added to <paramref name="consts"/> when missing.
    /// </summary>
    public static HeapFact[] Collect(Value[] failArgs, PendingWrite[] writes, int vableSlot, List<Const> consts, OptimizationRun run)
    {
        if (run.Heap is not { } heap) return [];
        var slots = new Dictionary<Value, int>(ReferenceEqualityComparer.Instance);
        for (int i = failArgs.Length - 1; i >= 0; i--)
            if (failArgs[i] is not Const && !run.IsVirtual(failArgs[i])) slots[failArgs[i]] = i; // the first one wins
        if (vableSlot >= 0 && vableSlot < failArgs.Length) slots.Remove(failArgs[vableSlot]);
        if (slots.Count == 0) return [];
        // The virtualizable's registers are written when leaving: whatever the cache says about those places
        // is the object's stale memory.
        var heldFields = new HashSet<Descr>();
        var heldArrays = new List<ArrayDescr>();
        foreach (var w in writes)
        {
            if (w.Lazy) continue; // a held-back store of the heap pass: the cache already has its value
            if (w.Index < 0) heldFields.Add(w.Target);
            else if (w.Field.Field.FieldType.GetElementType() is { } element) heldArrays.Add(Descrs.Array(element));
        }

        var facts = new List<HeapFact>();
        bool ObjectSlot(Value obj, out int slot) => slots.TryGetValue(obj, out slot);
        bool ValueSlot(Value v, out int slot)
        {
            v = run.Get(v);
            if (v is Const c)
            {
                slot = ConstSlot(c, consts);
                return true;
            }
            return slots.TryGetValue(v, out slot);
        }

        foreach (var (obj, field, value) in heap.CachedFields())
        {
            if (facts.Count >= MaxFacts) return facts.ToArray();
            if (field is not FieldDescr { IsStatic: false } || heldFields.Contains(field)) continue;
            if (ObjectSlot(obj, out int o) && ValueSlot(value, out int v)) facts.Add(new HeapFact(HeapFactKind.Field, o, field, v));
        }
        // Fields of constant objects (an interpreter's global cell, a class's method table) after those of fail
        // args: the bridge's tracer reads them through the same constant.
        foreach (var (obj, field, value) in heap.CachedFields())
        {
            if (facts.Count >= MaxFacts) return facts.ToArray();
            if (field is not FieldDescr { IsStatic: false } || heldFields.Contains(field)) continue;
            if (run.Get(obj) is ConstPtr { Object: not null } c && ValueSlot(value, out int v))
                facts.Add(new HeapFact(HeapFactKind.Field, ConstSlot(c, consts), field, v));
        }
        foreach (var (array, length) in heap.CachedLengths())
        {
            if (facts.Count >= MaxFacts) return facts.ToArray();
            if (ObjectSlot(array, out int o) && ValueSlot(length, out int v)) facts.Add(new HeapFact(HeapFactKind.Length, o, null, v));
        }
        foreach (var (descr, array, index, item) in heap.CachedItems())
        {
            if (facts.Count >= MaxFacts) return facts.ToArray();
            if (heldArrays.Any(h => ArrayAliasing.MayAlias(h, descr))) continue;
            if (ObjectSlot(array, out int o) && ValueSlot(index, out int i) && ValueSlot(item, out int v))
                facts.Add(new HeapFact(HeapFactKind.Item, o, descr, v, i));
        }
        return facts.ToArray();
    }

    /// <summary>
    /// Starts the bridge's heap cache with the guard's facts; <paramref name="inputs"/> are the bridge's inputs (the
    /// guard's fail args). Call after the lazy writes are redone: redoing one forgets the field on other objects.
    /// </summary>
    public static void Seed(OptimizationRun run, InputArg[] inputs, ResumeData data)
    {
        if (run.Heap is not { } heap || data.HeapFacts.Length == 0) return;
        bool Valid(int slot) => slot == ResumeData.NoSlot || (slot < 0 ? -slot - 1 < data.Consts.Length : slot < inputs.Length);
        Value At(int slot) => slot < 0 ? data.Consts[-slot - 1] : run.Get(inputs[slot]);
        foreach (var f in data.HeapFacts)
        {
            if (!Valid(f.ObjectSlot) || !Valid(f.ValueSlot) || !Valid(f.IndexSlot)) continue;
            // Not the guard's inputs: trust nothing.
            bool isObject = f.ObjectSlot >= 0
                ? inputs[f.ObjectSlot].Kind == ValueKind.Ref
                : data.Consts[-f.ObjectSlot - 1] is ConstPtr { Object: not null };
            if (!isObject) continue;
            switch (f.Kind)
            {
                case HeapFactKind.Field: heap.Remember(At(f.ObjectSlot), f.Target!, At(f.ValueSlot)); break;
                case HeapFactKind.Length: heap.RememberLength(At(f.ObjectSlot), At(f.ValueSlot)); break;
                case HeapFactKind.Item: heap.RememberItem((ArrayDescr)f.Target!, At(f.ObjectSlot), At(f.IndexSlot), At(f.ValueSlot)); break;
            }
        }
    }

    /// <summary>The slot of constant <paramref name="c"/> among <paramref name="consts"/>, adding it when missing.</summary>
    private static int ConstSlot(Const c, List<Const> consts)
    {
        int k = consts.FindIndex(x => ReferenceEquals(x, c) || (c is not ConstPtr && x.GetType() == c.GetType() && x.Equals(c)));
        if (k < 0)
        {
            consts.Add(c);
            k = consts.Count - 1;
        }
        return -k - 1;
    }
}
