using MetaJit.Engine.Descriptors;
using MetaJit.Engine.Trace;

namespace MetaJit.Engine.Optimizer;

// Array items in the heap pass (RPython's heap.py keeps setarrayitems lazy per (array, constant index)). A
// location is (descr, array, index); the index may be a constant or any value (the same SSA value is the same
// index). Two locations surely differ when their indices do (different constants, disjoint known ranges, or
// one is the other plus a constant) or their arrays are different constant objects; descriptors alias per
// ArrayAliasing. A store is held back like a setfield: a second store to the same location replaces it, a read
// of the same location is its value, and any access that may touch it emits it first. Held-back stores never
// overlap one another (a store that may overlap one emits the older first), so any subset of them can be
// emitted in any order.
internal sealed partial class HeapPass
{
    /// <summary>Every cached (descr, array, index, item) (for bridges).</summary>
    public IEnumerable<(ArrayDescr Descr, Value Array, Value Index, Value Item)> CachedItems() =>
        _items.SelectMany(kv => kv.Value.Select(e => (kv.Key, Get(e.Array), Get(e.Index), Get(e.Item))));

    /// <summary>Seeds the cache (for bridges): <paramref name="array"/>[<paramref name="index"/>] is <paramref name="item"/>.</summary>
    public void RememberItem(ArrayDescr descr, Value array, Value index, Value item) => Items(descr).Add((array, index, item));

    /// <summary>The cached item <paramref name="array"/>[<paramref name="index"/>] (for unroll), or null.</summary>
    public Value? CachedItem(ArrayDescr descr, Value array, Value index)
    {
        if (!_items.TryGetValue(descr, out var list)) return null;
        foreach (var (a, i, v) in list)
            if (Same(Get(a), Get(array)) && SameIndex(Get(i), Get(index))) return Get(v);
        return null;
    }

    private void ReadItem(ResOperation op)
    {
        var descr = (ArrayDescr)op.Descr!;
        var (array, index) = (op.Args[0], op.Args[1]);
        var list = Items(descr);
        foreach (var (a, i, v) in list)
            if (Same(Get(a), array) && SameIndex(Get(i), index)) { Run.MakeEqual(op, v); return; }
        FlushLazy(w => w.Num == OpNum.SetarrayitemGc && MayOverlap(w, descr, array, index, null));
        EmitNext(op);
        list.Add((array, index, op));
    }

    private void WriteItem(ResOperation op)
    {
        var descr = (ArrayDescr)op.Descr!;
        var (array, index, item) = (op.Args[0], op.Args[1], op.Args[2]);
        var list = Items(descr);
        foreach (var (a, i, v) in list)
            if (Same(Get(a), array) && SameIndex(Get(i), index) && Same(Get(v), item)) return; // writes what is there
        int same = _lazy.FindIndex(w => w.Num == OpNum.SetarrayitemGc && w.Descr == descr && Same(Get(w.Args[0]), array) && SameIndex(Get(w.Args[1]), index));
        if (same >= 0) _lazy.RemoveAt(same); // overwritten before anything could see it
        FlushLazy(w => w.Num == OpNum.SetarrayitemGc && MayOverlap(w, descr, array, index, item));
        foreach (var (d, other) in _items)
            if (StoreMayReach(descr, item, d))
                other.RemoveAll(e => !Differ(Get(e.Array), Get(e.Index), array, index));
        list.Add((array, index, item));
        // A constant index out of range raises: do the store where it was (the tracer checks every other index
        // with a guard before the access, so a held-back store cannot raise).
        if (index is ConstInt { IntValue: < 0 or > int.MaxValue }) EmitNext(op);
        else _lazy.Add(op);
    }

    private List<(Value Array, Value Index, Value Item)> Items(ArrayDescr d)
    {
        if (!_items.TryGetValue(d, out var list)) _items[d] = list = new();
        return list;
    }

    /// <summary>True unless the held-back store <paramref name="w"/> surely misses (descr, array, index), accessed by
    /// a read or by a store of <paramref name="stored"/>.</summary>
    private bool MayOverlap(ResOperation w, ArrayDescr descr, Value array, Value index, Value? stored)
    {
        var wDescr = (ArrayDescr)w.Descr!;
        return StoreMayReach(wDescr, Get(w.Args[2]), descr)
            && (stored == null || StoreMayReach(descr, stored, wDescr))
            && !Differ(Get(w.Args[0]), Get(w.Args[1]), array, index);
    }

    /// <summary>
    /// Whether a store of <paramref name="stored"/> through <paramref name="store"/> may land in an array that
    /// <paramref name="access"/> also reaches. Beyond <see cref="ArrayAliasing"/>: a reference store only succeeds
    /// into an array whose element type holds the value, so with the value's class known (the tracer guards it for
    /// covariant stores), an <c>object[]</c> store of a boxed double cannot reach an <c>Upvalue[]</c>.
    /// </summary>
    private bool StoreMayReach(ArrayDescr store, Value stored, ArrayDescr access)
    {
        if (!ArrayAliasing.MayAlias(store, access)) return false;
        if (store == access || store.Kind != ValueKind.Ref) return true;
        var cls = Run.KnownClass(stored);
        return cls == null || access.ElementType.IsAssignableFrom(cls);
    }

    /// <summary>True when (a1, i1) and (a2, i2) are surely different items.</summary>
    private bool Differ(Value a1, Value i1, Value a2, Value i2)
    {
        if (!MayBeSame(a1, a2)) return true;
        if (i1 is ConstInt k1 && i2 is ConstInt k2) return k1.IntValue != k2.IntValue;
        if (ReferenceEquals(i1, i2)) return false;
        var (r1, o1) = RootOf(i1);
        var (r2, o2) = RootOf(i2);
        if (ReferenceEquals(r1, r2)) return o1 != o2; // i + 1 is never i, even wrapping around
        var (b1, b2) = (Run.BoundOf(i1), Run.BoundOf(i2));
        return b1.Hi < b2.Lo || b2.Hi < b1.Lo;
    }

    /// <summary>True when the two indices are surely equal: the same value, or the same root plus the same offset.</summary>
    private bool SameIndex(Value i1, Value i2)
    {
        if (Same(i1, i2)) return true;
        if (i1 is Const || i2 is Const) return false;
        var (r1, o1) = RootOf(i1);
        var (r2, o2) = RootOf(i2);
        return ReferenceEquals(r1, r2) && o1 == o2;
    }

    /// <summary>
    /// <paramref name="index"/> as root + offset, following additions and subtractions of constants (a Brainfuck
    /// head moving by <c>&gt;</c> and <c>&lt;</c>). Exact in wrapping 64-bit arithmetic, so equal roots with different
    /// offsets are different values.
    /// </summary>
    private (Value Root, long Offset) RootOf(Value index)
    {
        long offset = 0;
        for (int depth = 0; depth < 16 && index is ResOperation { Num: OpNum.IntAdd or OpNum.IntSub or OpNum.IntAddOvf or OpNum.IntSubOvf } op; depth++)
        {
            var (a, b) = (Get(op.Args[0]), Get(op.Args[1]));
            bool sub = op.Num is OpNum.IntSub or OpNum.IntSubOvf;
            if (b is ConstInt c) offset = unchecked(sub ? offset - c.IntValue : offset + c.IntValue);
            else if (a is ConstInt c2 && !sub) { offset = unchecked(offset + c2.IntValue); b = a; a = Get(op.Args[1]); }
            else break;
            index = a;
        }
        return (index, offset);
    }
}
