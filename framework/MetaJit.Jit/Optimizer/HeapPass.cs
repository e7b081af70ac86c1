using MetaJit.Engine.Descriptors;
using MetaJit.Engine.Resume;
using MetaJit.Engine.Trace;

namespace MetaJit.Engine.Optimizer;

/// <summary>
/// The heap cache (RPython's heap.py). Remembers, per (object, field), the value last read or written, so a
/// later getfield of the same object and field is the value; per (array, index) likewise for items, and the
/// length of each array. Stores are lazy: a setfield or setarrayitem is held back and only emitted when
/// something could observe it (a read or store of a place that may be the same, a call that may read or write it,
/// a label, the end of the trace); a second store to the same place replaces the first. A guard does not flush
/// them: they are recorded in its resume data as pending writes (done when leaving through it, and redone at the
/// start of a bridge from it). Array items are in HeapPass.Items.cs. A write to a field invalidates what is known
/// of that field on every other object (they may be the same object); a call invalidates the fields and arrays
/// its <see cref="EffectInfo"/> may write. Immutable fields survive calls.
/// Quasi-immutable reads (RPython's heap.py too): <c>quasiimmut_field</c> markers are dropped, and a
/// <c>guard_not_invalidated</c> is kept only when nothing was checked since the last label or the last call that
/// may invalidate (<see cref="EffectInfo.CanInvalidate"/>): without such a call, nothing can have changed.
/// </summary>
internal sealed partial class HeapPass : OptimizationPass
{
    private readonly Dictionary<Descr, Dictionary<Value, Value>> _fields = new();
    private readonly Dictionary<ArrayDescr, List<(Value Array, Value Index, Value Item)>> _items = new();
    private readonly Dictionary<Value, Value> _lengths = new(SameValue.Instance);
    private readonly List<ResOperation> _lazy = new();
    private readonly Dictionary<Value, int> _seenAt = new(ReferenceEqualityComparer.Instance); // -1: before this run
    private int _clock;
    private bool _notInvalidatedChecked;

    /// <summary>The cached value of <paramref name="field"/> on <paramref name="obj"/> (for unroll), or null.</summary>
    public Value? CachedField(Value obj, Descr field) =>
        _fields.TryGetValue(field, out var m) && m.TryGetValue(Get(obj), out var v) ? Get(v) : null;

    /// <summary>Every cached (object, field, value) triple (for unroll).</summary>
    public IEnumerable<(Value Obj, Descr Field, Value Value)> CachedFields() =>
        _fields.SelectMany(kv => kv.Value.Select(e => (Get(e.Key), kv.Key, Get(e.Value))));

    /// <summary>Seeds the cache (for unroll): <paramref name="obj"/>.<paramref name="field"/> is <paramref name="value"/>.</summary>
    public void Remember(Value obj, Descr field, Value value) => FieldMap(field)[obj] = value;

    /// <summary>The arguments of the writes held back so far (for unroll: they reach the output only at the jump).</summary>
    public IEnumerable<Value> HeldBackArgs() => _lazy.SelectMany(w => w.Args).Select(Get);

    /// <summary>Every cached (array, length) pair (for unroll).</summary>
    public IEnumerable<(Value Array, Value Length)> CachedLengths() => _lengths.Select(e => (Get(e.Key), Get(e.Value)));

    /// <summary>Seeds the cache (for unroll): <paramref name="array"/>'s length is <paramref name="length"/>.</summary>
    public void RememberLength(Value array, Value length) => _lengths[array] = length;

    /// <summary>The cached length of <paramref name="array"/> (for unroll), or null.</summary>
    public Value? CachedLength(Value array) => _lengths.TryGetValue(Get(array), out var v) ? Get(v) : null;

    /// <summary>
    /// Tells the pass that <paramref name="values"/> existed before anything this run allocates (the loop body's
    /// label arguments), so a store into one of its allocations cannot reach them.
    /// </summary>
    public void MarkPredating(IEnumerable<Value> values)
    {
        foreach (var v in values) _seenAt[v] = -1;
    }

    /// <summary>See <see cref="OptimizerOptions.KeepItemsThroughGuards"/>.</summary>
    public bool KeepItemsThroughGuards { get; init; }

    private static bool IsFresh(Value v) => v is ResOperation { Num: OpNum.NewWithVtable or OpNum.NewArray or OpNum.NewArrayClear };

    /// <summary>
    /// True when <paramref name="v"/> was defined before <paramref name="allocation"/>, an allocation this run made:
    /// then it cannot be that new object (an input, a loop body's label argument, a read made earlier).
    /// </summary>
    private bool DefinedBefore(Value v, Value allocation) =>
        IsFresh(allocation) && _seenAt.TryGetValue(allocation, out int made) && made >= 0
        && (v is InputArg || (_seenAt.TryGetValue(v, out int defined) && defined < made));

    private static bool BothFresh(Value a, Value b) => IsFresh(a) && IsFresh(b);

    /// <summary>The value of immutable field <paramref name="descr"/> of constant object <paramref name="obj"/>, or null.</summary>
    private static Const? ImmutableOfConstant(Value obj, Descr? descr)
    {
        if (obj is not ConstPtr { Object: { } o } || descr is not FieldDescr { IsImmutable: true, IsStatic: false } f) return null;
        if (!f.Field.DeclaringType!.IsInstanceOfType(o)) return null;
        return f.Kind switch
        {
            ValueKind.Int => new ConstInt(f.GetInt(o)),
            ValueKind.Float => new ConstFloat(f.GetFloat(o)),
            _ => f.GetRef(o) is { } r ? new ConstPtr(r) : ConstPtr.Null,
        };
    }

    private Dictionary<Value, Value> FieldMap(Descr d)
    {
        if (!_fields.TryGetValue(d, out var m)) _fields[d] = m = new Dictionary<Value, Value>(SameValue.Instance);
        return m;
    }

    public override void Propagate(ResOperation op)
    {
        if (op.Kind != ValueKind.Void) _seenAt[op] = _clock++;
        switch (op.Num)
        {
            case OpNum.GetfieldGcI or OpNum.GetfieldGcF or OpNum.GetfieldGcR:
            {
                var obj = op.Args[0];
                if (ImmutableOfConstant(Get(obj), op.Descr) is { } folded)
                {
                    // The object became a constant only here (a guard_value, a forwarded read): the tracer could
                    // not fold the read of an immutable field of it, so fold it now.
                    Run.MakeEqual(op, folded);
                    return;
                }
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
                int i = _lazy.FindIndex(l => l.Descr == op.Descr && Same(Get(l.Args[0]), obj));
                if (_lazy.Any(l => l.Descr == op.Descr && !Same(Get(l.Args[0]), obj) && MayBeSame(Get(l.Args[0]), obj))) FlushLazy(op.Descr!);
                else if (i >= 0) _lazy.RemoveAt(i);
                foreach (var other in map.Keys.Where(k => MayBeSame(k, obj)).ToList()) map.Remove(other);
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
                ReadItem(op);
                return;
            case OpNum.SetarrayitemGc:
                WriteItem(op);
                return;
            case OpNum.Label:
                FlushAll();
                EmitNext(op);
                Clear();
                _notInvalidatedChecked = false; // a bridge that may have invalidated can jump here: check once per iteration
                return;
            case OpNum.QuasiimmutField:
                return; // the dependency was registered by the tracer; the marker has no effect
            case OpNum.GuardNotInvalidated:
                if (_notInvalidatedChecked) return;
                _notInvalidatedChecked = true;
                FlushAll();
                EmitNext(op);
                return;
            case OpNum.DebugMergePoint:
                EmitNext(op);
                return;
        }
        if (op.Num is OpNum.GuardNoException or OpNum.GuardException or OpNum.GuardNoOverflow or OpNum.GuardOverflow)
        {
            // Must stay right after its op, so nothing can be flushed here: what the op let through stays
            // held back, and leaving through the guard does it.
            if (_lazy.Count > 0) KeepLazyThrough(op, op.ResumeData as ResumeData ?? new ResumeData([], [], false));
            EmitNext(op);
            return;
        }
        if (op.IsGuard && _lazy.Count > 0 && op.ResumeData is ResumeData data)
        {
            // Held-back item stores are done before an ordinary guard; only field stores ride through it.
            // Measured on mandel.b (its tape stores): keeping items made every guard's exit carry array, index
            // and value, and compiling took 4.8-5.6 s instead of 3.0-3.6 s, the run 13-16 s instead of 9-11 s.
            if (!KeepItemsThroughGuards) FlushLazy(w => w.Num == OpNum.SetarrayitemGc);
            if (_lazy.Count == 0)
            {
                EmitNext(op);
                return;
            }
            KeepLazyThrough(op, data);
            EmitNext(op);
            return;
        }
        if (op.Info.IsCall)
        {
            FlushForCall(op);
            EmitNext(op);
            Invalidate(op);
            if (MayInvalidateCompiledCode(op)) _notInvalidatedChecked = false;
            return;
        }
        if (op.IsGuard || op.Info.IsFinal)
        {
            FlushAll();
            EmitNext(op);
            return;
        }
        EmitNext(op);
    }

    /// <summary>At the end of the input (a trace that stops without jump or finish): nothing may stay held back.</summary>
    public void Finish() => FlushAll();

    private static bool Same(Value a, Value b) => SameValue.Same(a, b);

    /// <summary>
    /// False when <paramref name="a"/> and <paramref name="b"/> are surely different objects: two allocations of this
    /// trace, two constants of different objects, a constant and an allocation (which is new), or an allocation of
    /// this run and a value defined before it (an input, a read made earlier). Anything else may
    /// be the other (a value read from the heap may be an allocation that escaped and came back).
    /// </summary>
    private bool MayBeSame(Value a, Value b)
    {
        if (Same(a, b)) return true;
        if (BothFresh(a, b)) return false;
        if (DefinedBefore(a, b) || DefinedBefore(b, a)) return false;
        if (a is ConstPtr { Object: not null } && (b is ConstPtr || IsFresh(b))) return false;
        if (b is ConstPtr { Object: not null } && (a is ConstPtr || IsFresh(a))) return false;
        return true;
    }

    /// <summary>Emits the held-back writes of <paramref name="field"/>, in order.</summary>
    private void FlushLazy(Descr field) => FlushLazy(w => w.Descr == field);

    /// <summary>Emits every held-back write, in order.</summary>
    private void FlushAll() => FlushLazy(_ => true);

    /// <summary>Emits the held-back writes <paramref name="observed"/> selects, in order; the others stay held back
    /// (held-back writes never overlap one another, so their order among themselves does not matter).</summary>
    private void FlushLazy(Func<ResOperation, bool> observed)
    {
        for (int i = 0; i < _lazy.Count; i++)
        {
            var w = _lazy[i];
            if (!observed(w)) continue;
            _lazy.RemoveAt(i--);
            w.Args = w.Args.Select(Get).ToArray();
            EmitNext(w);
        }
    }

    /// <summary>
    /// Before a call: emits the held-back writes it may observe. A call that may force, or read the heap
    /// (<see cref="EffectInfo.ReadsHeap"/>) and is not elidable, sees them all; otherwise it sees those it may
    /// overwrite (a later store of ours would undo its write) and those into the objects and arrays it is given
    /// (it may read its arguments).
    /// The rest stay held back past the call (and its exception guard records them).
    /// </summary>
    private void FlushForCall(ResOperation call)
    {
        if (_lazy.Count == 0) return;
        var effect = (call.Descr as CallDescr)?.Effect ?? EffectInfo.Anything;
        // An elidable call's result depends on its arguments only (their contents included), so of the heap it
        // may read what its arguments reach, which the filter below keeps: RPython's read sets, from the contract.
        if (call.Num is >= OpNum.CallMayForceI and <= OpNum.CallAssemblerN || (effect.ReadsHeap && !effect.IsElidable))
        {
            FlushAll();
            return;
        }
        FlushLazy(w =>
        {
            bool writes = w.Descr is ArrayDescr a ? ArrayAliasing.MayWrite(effect, a) : effect.MayWrite((FieldDescr)w.Descr!);
            return writes || call.Args.Any(arg => MayBe(Get(arg), Get(w.Args[0]), w.Descr!));
        });
    }

    /// <summary>False when <paramref name="arg"/> is provably not <paramref name="target"/>, an object with field
    /// <paramref name="descr"/> or an array of type <paramref name="descr"/>.</summary>
    private bool MayBe(Value arg, Value target, Descr descr)
    {
        if (arg.Kind != ValueKind.Ref || arg is ConstPtr { Object: null }) return false;
        if (Same(arg, target)) return true;
        if (arg is ConstPtr && target is ConstPtr) return false;
        var cls = Run.KnownClass(arg);
        if (cls == null) return true;
        var type = descr is ArrayDescr a ? a.ArrayType : (descr as FieldDescr)?.Field.DeclaringType;
        return type == null || type.IsAssignableFrom(cls);
    }

    /// <summary>
    /// Keeps the held-back writes held back past <paramref name="guard"/> (RPython's pending setfields): they
    /// go into its resume data, so leaving through the guard performs them (and a bridge from it starts with
    /// them), and the loop goes on without storing.
    /// </summary>
    private void KeepLazyThrough(ResOperation guard, ResumeData data)
    {
        var failArgs = (guard.FailArgs ?? []).ToList();
        var slots = new Dictionary<Value, int>(ReferenceEqualityComparer.Instance);
        for (int i = failArgs.Count - 1; i >= 0; i--) slots[failArgs[i]] = i; // the first one wins
        var consts = data.Consts.ToList();
        int SlotOf(Value v)
        {
            v = Get(v);
            if (v is Const c)
            {
                // A constant stays one (a bridge redoing the write sees it), in the guard's constants.
                int k = consts.FindIndex(x => ReferenceEquals(x, c) || (c is not ConstPtr && x.GetType() == c.GetType() && x.Equals(c)));
                if (k < 0) { consts.Add(c); k = consts.Count - 1; }
                return -k - 1;
            }
            if (slots.TryGetValue(v, out int i)) return i;
            failArgs.Add(v);
            return slots[v] = failArgs.Count - 1;
        }
        // The kept-back writes come first: a virtualizable's held fields are its state at the guard and win.
        var writes = new List<PendingWrite>();
        foreach (var w in _lazy)
            writes.Add(w.Descr is ArrayDescr array
                ? PendingWrite.ArrayItem(SlotOf(w.Args[0]), array, SlotOf(w.Args[1]), SlotOf(w.Args[2]))
                : new PendingWrite(SlotOf(w.Args[0]), (FieldDescr)w.Descr!, -1, SlotOf(w.Args[1]), Lazy: true));
        writes.AddRange(data.Writes);
        guard.FailArgs = failArgs.ToArray();
        guard.ResumeData = data.WithWrites(writes.ToArray(), consts.Count == data.Consts.Length ? null : consts.ToArray());
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
            if (forcing || ArrayAliasing.MayWrite(effect, d)) list.Clear();
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
