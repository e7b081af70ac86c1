using MetaJit.Engine.Descriptors;
using MetaJit.Engine.Trace;

namespace MetaJit.Engine.Tracing;

/// <summary>
/// What the tracer already knows about the heap while it records (RPython's heapcache): the box last read from or
/// written to each (object box, field) and each (array box, constant index), each array box's length, and the
/// (index, array) pairs already checked in bounds. The tracer then records a read, a length or a bounds check once
/// instead of at every access of the interpreter (a stack machine reads its frame's stack pointer and slot array at
/// every push and pop, and reads back the slot it just pushed). The optimizer would remove most repeats too; not
/// recording them saves tracing and optimizing time.
/// <para>
/// A write to a field forgets that field for every other object box (they may alias), and an item write the same
/// index (or, at a variable index, every item) of every other array box of its kind; a call that may write the heap
/// forgets what it may write (everything for a call that may write anything, and for call_assembler); array writes
/// leave fields alone; lengths never change; a box a guard proved constant reads back as the constant. Each cached
/// read keeps the value it read, and a hit whose object now holds another value is not used (and is counted in
/// <see cref="StaleHits"/>, which the tests expect to stay zero: it would mean a write the cache did not see).
/// </para>
/// </summary>
internal sealed class TraceHeapCache
{
    private sealed record Known(Value Box, long Int, double Float, object? Ref);

    private readonly Dictionary<FieldDescr, Dictionary<Value, Known>> _fields = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<Value, Value> _lengths = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<Value, List<Value>> _inBounds = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<Value, long> _highestConstantInBounds = new(ReferenceEqualityComparer.Instance);
    // Items at constant indexes (a frame's slots read back after a push), per index and array box, one table per
    // item kind (int, float, ref): not per array descr, since a covariant array may be accessed through several.
    private readonly Dictionary<long, Dictionary<Value, Known>>[] _items = [new(), new(), new()];

    private Dictionary<long, Dictionary<Value, Known>> Items(ArrayDescr descr) => _items[descr.Kind switch
    {
        ValueKind.Int => 0,
        ValueKind.Float => 1,
        _ => 2,
    }];

    /// <summary>Cache hits whose object held another value than the one cached (never used; a bug if not zero).</summary>
    public static long StaleHits;

    /// <summary>The box holding <paramref name="obj"/>.<paramref name="field"/>, if known and still what the
    /// object holds (<paramref name="i"/>, <paramref name="f"/>, <paramref name="r"/>: the value just read for real).</summary>
    public Value? Field(Value obj, FieldDescr field, long i, double f, object? r)
    {
        if (!_fields.TryGetValue(field, out var boxes) || !boxes.TryGetValue(obj, out var known)) return null;
        if (Same(known, field.Kind, i, f, r)) return known.Box;
        Interlocked.Increment(ref StaleHits);
        boxes.Remove(obj);
        return null;
    }

    /// <summary>The box holding item <paramref name="index"/> of <paramref name="array"/>, if known for a constant
    /// index and still what the array holds (<paramref name="i"/>, <paramref name="f"/>, <paramref name="r"/>: the
    /// item just read for real).</summary>
    public Value? Item(Value array, Value index, ArrayDescr descr, long i, double f, object? r)
    {
        if (index is not ConstInt c || !Items(descr).TryGetValue(c.IntValue, out var boxes) || !boxes.TryGetValue(array, out var known))
            return null;
        if (Same(known, descr.Kind, i, f, r)) return known.Box;
        Interlocked.Increment(ref StaleHits);
        boxes.Remove(array);
        return null;
    }

    /// <summary>A read or write of item <paramref name="index"/> of <paramref name="array"/>, just recorded, left
    /// it holding <paramref name="box"/> (value <paramref name="i"/>, <paramref name="f"/> or <paramref name="r"/>);
    /// remembered for constant indexes only.</summary>
    public void HoldsItem(Value array, Value index, ArrayDescr descr, Value box, long i, double f, object? r)
    {
        if (index is not ConstInt c) return;
        var byIndex = Items(descr);
        if (!byIndex.TryGetValue(c.IntValue, out var boxes)) byIndex[c.IntValue] = boxes = new Dictionary<Value, Known>(ReferenceEqualityComparer.Instance);
        boxes[array] = new Known(box, i, f, r);
    }

    /// <summary>The box of <paramref name="array"/>'s length, if recorded.</summary>
    public Value? Length(Value array) => _lengths.GetValueOrDefault(array);

    /// <summary>Whether <paramref name="index"/> was already checked to be within <paramref name="array"/>.
    /// A constant index is, when a constant at least as high was (the length never changes).</summary>
    public bool InBounds(Value index, Value array)
    {
        if (index is ConstInt c)
            return c.IntValue >= 0 && _highestConstantInBounds.TryGetValue(array, out var highest) && c.IntValue <= highest;
        return _inBounds.TryGetValue(array, out var indexes) && indexes.Exists(i => ReferenceEquals(i, index));
    }

    /// <summary>A guard now checks that <paramref name="index"/> is within <paramref name="array"/>.</summary>
    public void CheckedInBounds(Value index, Value array)
    {
        if (index is ConstInt c)
        {
            if (c.IntValue > _highestConstantInBounds.GetValueOrDefault(array, -1)) _highestConstantInBounds[array] = c.IntValue;
            return;
        }
        if (!_inBounds.TryGetValue(array, out var indexes)) _inBounds[array] = indexes = new List<Value>();
        indexes.Add(index);
    }

    /// <summary>Forgets what an op just recorded may have changed: a field write, that field of every object box
    /// (any may be the written object); an item write, likewise for items; a call, the fields and items it may
    /// write.</summary>
    public void Recorded(ResOperation op)
    {
        if (op.Num == OpNum.SetfieldGc) _fields.Remove((FieldDescr)op.Descr!);
        else if (op.Num == OpNum.SetarrayitemGc) ForgetItems(op);
        else if (op.Num == OpNum.ArraylenGc) _lengths.TryAdd(op.Args[0], op);
        else if (op.Info.IsCall) ForgetWrittenBy(op);
    }

    /// <summary>A field read or write just recorded left <paramref name="obj"/>'s <paramref name="field"/> holding
    /// <paramref name="box"/>, whose value is <paramref name="i"/>, <paramref name="f"/> or <paramref name="r"/>
    /// (by the field's kind).</summary>
    public void Holds(Value obj, FieldDescr field, Value box, long i, double f, object? r)
    {
        if (!_fields.TryGetValue(field, out var boxes)) _fields[field] = boxes = new Dictionary<Value, Known>(ReferenceEqualityComparer.Instance);
        boxes[obj] = new Known(box, i, f, r);
    }

    /// <summary>From now on <paramref name="old"/> is <paramref name="now"/> (a guard proved it): cached reads give
    /// <paramref name="now"/> (a constant, typically, which the tracer then folds with).</summary>
    public void Replace(Value old, Value now)
    {
        foreach (var boxes in _fields.Values) ReplaceIn(boxes, old, now);
        foreach (var byIndex in _items)
            foreach (var boxes in byIndex.Values) ReplaceIn(boxes, old, now);
    }

    private static void ReplaceIn(Dictionary<Value, Known> boxes, Value old, Value now)
    {
        List<Value>? keys = null;
        foreach (var (key, known) in boxes)
            if (ReferenceEquals(known.Box, old)) (keys ??= new List<Value>()).Add(key);
        if (keys == null) return;
        foreach (var key in keys) boxes[key] = boxes[key] with { Box = now };
    }

    /// <summary>Forgets everything (the tracer cut recorded ops off: what they established no longer holds).</summary>
    public void Clear()
    {
        _fields.Clear();
        _lengths.Clear();
        _inBounds.Clear();
        _highestConstantInBounds.Clear();
        foreach (var items in _items) items.Clear();
    }

    private static bool Same(Known known, ValueKind kind, long i, double f, object? r) => kind switch
    {
        ValueKind.Int => known.Int == i,
        ValueKind.Float => BitConverter.DoubleToInt64Bits(known.Float) == BitConverter.DoubleToInt64Bits(f),
        _ => ReferenceEquals(known.Ref, r),
    };

    private void ForgetWrittenBy(ResOperation call)
    {
        if (call.Descr is not CallDescr { Effect: var effect } || effect.WritesAnything)
        {
            _fields.Clear();
            foreach (var items in _items) items.Clear();
            return;
        }
        foreach (var field in effect.WrittenFields) _fields.Remove(field);
        foreach (var array in effect.WrittenArrays) Items(array).Clear();
    }

    // An item write: at a constant index, that index of every other array box of its kind (any may be the same
    // array); at another index, every item of its kind.
    private void ForgetItems(ResOperation write)
    {
        var items = Items((ArrayDescr)write.Descr!);
        if (write.Args[1] is ConstInt c) items.Remove(c.IntValue);
        else items.Clear();
    }
}
