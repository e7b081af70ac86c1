using MetaJit.Engine.Descriptors;
using MetaJit.Engine.Resume;
using MetaJit.Engine.Trace;

namespace MetaJit.Engine.Optimizer;

/// <summary>
/// The heap cache (RPython's heap.py). Remembers, per (object, field), the value last read or written, so a
/// later getfield of the same object and field is the value; per (array, index) likewise for items, and the
/// length of each array. Writes are lazy: a setfield is held back and only emitted when something could
/// observe it (a read of that field on an object that may alias, a call, a guard, the end of the trace); a
/// second write to the same object and field replaces the first. A guard does not flush them: they are
/// recorded in its resume data as pending writes (done when leaving through it). A write to a field invalidates what is known
/// of that field on every other object (they may be the same object); a call invalidates the fields and arrays
/// its <see cref="EffectInfo"/> may write. Immutable fields survive calls.
/// Quasi-immutable reads (RPython's heap.py too): <c>quasiimmut_field</c> markers are dropped, and a
/// <c>guard_not_invalidated</c> is kept only when nothing was checked since the last label or the last call that
/// may invalidate (<see cref="EffectInfo.CanInvalidate"/>): without such a call, nothing can have changed.
/// </summary>
internal sealed class HeapPass : OptimizationPass
{
    private readonly Dictionary<Descr, Dictionary<Value, Value>> _fields = new();
    private readonly Dictionary<ArrayDescr, List<(Value Array, Value Index, Value Item)>> _items = new();
    private readonly Dictionary<Value, Value> _lengths = new(ReferenceEqualityComparer.Instance);
    private readonly List<ResOperation> _lazy = new();
    private bool _notInvalidatedChecked;

    /// <summary>The cached value of <paramref name="field"/> on <paramref name="obj"/> (for unroll), or null.</summary>
    public Value? CachedField(Value obj, Descr field) =>
        _fields.TryGetValue(field, out var m) && m.TryGetValue(Get(obj), out var v) ? Get(v) : null;

    /// <summary>Every cached (object, field, value) triple (for unroll).</summary>
    public IEnumerable<(Value Obj, Descr Field, Value Value)> CachedFields() =>
        _fields.SelectMany(kv => kv.Value.Select(e => (Get(e.Key), kv.Key, Get(e.Value))));

    /// <summary>Seeds the cache (for unroll): <paramref name="obj"/>.<paramref name="field"/> is <paramref name="value"/>.</summary>
    public void Remember(Value obj, Descr field, Value value) => FieldMap(field)[obj] = value;

    /// <summary>Every cached (array, length) pair (for unroll).</summary>
    public IEnumerable<(Value Array, Value Length)> CachedLengths() => _lengths.Select(e => (Get(e.Key), Get(e.Value)));

    /// <summary>Seeds the cache (for unroll): <paramref name="array"/>'s length is <paramref name="length"/>.</summary>
    public void RememberLength(Value array, Value length) => _lengths[array] = length;

    private Dictionary<Value, Value> FieldMap(Descr d)
    {
        if (!_fields.TryGetValue(d, out var m)) _fields[d] = m = new Dictionary<Value, Value>(ReferenceEqualityComparer.Instance);
        return m;
    }

    public override void Propagate(ResOperation op)
    {
        switch (op.Num)
        {
            case OpNum.GetfieldGcI or OpNum.GetfieldGcF or OpNum.GetfieldGcR:
            {
                var obj = op.Args[0];
                var map = FieldMap(op.Descr!);
                if (map.TryGetValue(obj, out var known))
                {
                    Run.MakeEqual(op, known);
                    return;
                }
                FlushLazy(op.Descr!);
                EmitNext(op);
                map[obj] = op;
                return;
            }
            case OpNum.SetfieldGc:
            {
                var (obj, value) = (op.Args[0], op.Args[1]);
                var map = FieldMap(op.Descr!);
                if (map.TryGetValue(obj, out var known) && Same(known, value)) return; // writes what is there
                int i = _lazy.FindIndex(l => l.Descr == op.Descr && ReferenceEquals(l.Args[0], obj));
                if (_lazy.Any(l => l.Descr == op.Descr && !ReferenceEquals(l.Args[0], obj))) FlushLazy(op.Descr!);
                else if (i >= 0) _lazy.RemoveAt(i);
                map.Clear(); // other objects may be this one
                map[obj] = value;
                _lazy.Add(op);
                return;
            }
            case OpNum.GetstaticI or OpNum.GetstaticF or OpNum.GetstaticR:
            {
                var map = FieldMap(op.Descr!);
                if (map.TryGetValue(ConstPtr.Null, out var known)) { Run.MakeEqual(op, known); return; }
                EmitNext(op);
                map[ConstPtr.Null] = op;
                return;
            }
            case OpNum.Setstatic:
                EmitNext(op);
                FieldMap(op.Descr!)[ConstPtr.Null] = op.Args[0];
                return;
            case OpNum.ArraylenGc:
                if (_lengths.TryGetValue(op.Args[0], out var len)) { Run.MakeEqual(op, len); return; }
                EmitNext(op);
                _lengths[op.Args[0]] = op;
                return;
            case OpNum.NewArray or OpNum.NewArrayClear:
                EmitNext(op);
                _lengths[op] = op.Args[0];
                return;
            case OpNum.GetarrayitemGcI or OpNum.GetarrayitemGcF or OpNum.GetarrayitemGcR:
            {
                var list = Items((ArrayDescr)op.Descr!);
                foreach (var (a, i, v) in list)
                    if (ReferenceEquals(a, op.Args[0]) && Same(i, op.Args[1])) { Run.MakeEqual(op, v); return; }
                EmitNext(op);
                list.Add((op.Args[0], op.Args[1], op));
                return;
            }
            case OpNum.SetarrayitemGc:
            {
                var list = Items((ArrayDescr)op.Descr!);
                var (arr, idx, item) = (op.Args[0], op.Args[1], op.Args[2]);
                foreach (var (a, i, v) in list)
                    if (ReferenceEquals(a, arr) && Same(i, idx) && Same(v, item)) return;
                EmitNext(op);
                // Entries of other arrays may alias; entries of this array at a different constant index survive.
                list.RemoveAll(e => !(ReferenceEquals(e.Array, arr) && e.Index is ConstInt ci && idx is ConstInt cj && ci.IntValue != cj.IntValue));
                list.Add((arr, idx, item));
                return;
            }
            case OpNum.Label:
                FlushLazy(null);
                EmitNext(op);
                Clear();
                _notInvalidatedChecked = false; // a bridge that may have invalidated can jump here: check once per iteration
                return;
            case OpNum.QuasiimmutField:
                return; // the dependency was registered by the tracer; the marker has no effect
            case OpNum.GuardNotInvalidated:
                if (_notInvalidatedChecked) return;
                _notInvalidatedChecked = true;
                FlushLazy(null);
                EmitNext(op);
                return;
            case OpNum.DebugMergePoint:
                EmitNext(op);
                return;
        }
        if (op.Num is OpNum.GuardNoException or OpNum.GuardException or OpNum.GuardNoOverflow or OpNum.GuardOverflow)
        {
            EmitNext(op); // must stay right after its op; the op already flushed
            return;
        }
        if (op.IsGuard && _lazy.Count > 0 && op.ResumeData is ResumeData data)
        {
            KeepLazyThrough(op, data);
            EmitNext(op);
            return;
        }
        if (op.IsGuard || op.Info.IsCall || op.Info.IsFinal)
        {
            FlushLazy(null);
            EmitNext(op);
            if (op.Info.IsCall)
            {
                Invalidate(op);
                if (MayInvalidateCompiledCode(op)) _notInvalidatedChecked = false;
            }
            return;
        }
        EmitNext(op);
    }

    private List<(Value Array, Value Index, Value Item)> Items(ArrayDescr d)
    {
        if (!_items.TryGetValue(d, out var list)) _items[d] = list = new();
        return list;
    }

    private static bool Same(Value a, Value b) => a is Const ? a.Equals(b) : ReferenceEquals(a, b);

    /// <summary>Emits held-back writes (of <paramref name="field"/> only, or all when null), in order.</summary>
    private void FlushLazy(Descr? field)
    {
        for (int i = 0; i < _lazy.Count; i++)
        {
            var w = _lazy[i];
            if (field != null && w.Descr != field) continue;
            _lazy.RemoveAt(i--);
            w.Args = w.Args.Select(Get).ToArray();
            EmitNext(w);
        }
    }

    /// <summary>
    /// Keeps the held-back writes held back past <paramref name="guard"/> (RPython's pending setfields): they
    /// go into its resume data, so leaving through the guard performs them (and a bridge from it starts with
    /// them), and the loop goes on without storing.
    /// </summary>
    private void KeepLazyThrough(ResOperation guard, ResumeData data)
    {
        var failArgs = (guard.FailArgs ?? []).ToList();
        int SlotOf(Value v)
        {
            int i = v is Const ? -1 : failArgs.FindIndex(f => ReferenceEquals(f, v));
            if (i >= 0) return i;
            failArgs.Add(v);
            return failArgs.Count - 1;
        }
        var writes = data.Writes.ToList();
        foreach (var w in _lazy)
            writes.Add(new PendingWrite(SlotOf(Get(w.Args[0])), (FieldDescr)w.Descr!, -1, SlotOf(Get(w.Args[1])), Lazy: true));
        guard.FailArgs = failArgs.ToArray();
        guard.ResumeData = data.WithWrites(writes.ToArray());
    }

    private void Invalidate(ResOperation call)
    {
        var effect = (call.Descr as CallDescr)?.Effect ?? EffectInfo.Anything;
        if (call.Num is >= OpNum.CallPureI and <= OpNum.CallPureN || effect.IsElidable) return;
        bool forcing = call.Num is >= OpNum.CallMayForceI and <= OpNum.CallAssemblerN;
        foreach (var (d, map) in _fields)
        {
            if (d is FieldDescr f && (f.IsImmutable || (!forcing && !effect.MayWrite(f)))) continue;
            map.Clear();
        }
        foreach (var (d, list) in _items)
            if (forcing || effect.MayWrite(d)) list.Clear();
    }

    private static bool MayInvalidateCompiledCode(ResOperation call)
    {
        if (call.Num is >= OpNum.CallMayForceI and <= OpNum.CallAssemblerN) return true;
        if (call.Num is >= OpNum.CallPureI and <= OpNum.CallPureN) return false;
        var effect = (call.Descr as CallDescr)?.Effect ?? EffectInfo.Anything;
        return effect.CanInvalidate && !effect.IsElidable;
    }

    private void Clear()
    {
        _fields.Clear();
        _items.Clear();
        _lengths.Clear();
    }
}
