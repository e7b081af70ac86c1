using MetaJit.Engine.Descriptors;
using MetaJit.Engine.JitCodes;
using MetaJit.Engine.Resume;
using MetaJit.Engine.Trace;

namespace MetaJit.Engine.Tracing;

// The virtualizable (RPython's standard virtualizable). The portal's vable red at the start of the trace is
// "the" vable: its listed fields and array items are extra input args (after the reds) and extra label/jump
// args, and reads and writes of them through its box are box moves here, not heap ops. The real object is
// stale while compiled code runs, so: every guard records the fields whose box memory does not hold as
// pending writes (resume performs them); residual calls that may read it get the dirty fields written back
// first, and calls that may write it are followed by re-reads (only reference slots are stored and nothing is
// read again when the frame is private at the call: VablePrivateAtCall). Accesses through another box whose
// object IS the vable guard ptr_eq and become standard; accesses to vable fields through a box that is not the
// vable guard that it is not (unless the trace allocated it), so ordinary heap ops on it stay sound.
internal sealed partial class Tracer
{
    private readonly VirtualizableInfo? _vinfo;
    private object? _vable;
    private Value? _vableBox;
    private int[] _vableLengths = [];
    /// <summary>Flat: the scalar fields, then each array's items.</summary>
    private Value[] _vboxes = [];
    /// <summary>For each flat slot, the box the real object holds (null: unknown, e.g. at the loop header).</summary>
    private Value?[] _vmem = [];
    private Value?[] _varrayBoxes = [];
    private readonly HashSet<Value> _fresh = new(ReferenceEqualityComparer.Instance);
    /// <summary>The objects the <see cref="_fresh"/> boxes stood for, and those resume built for a bridge's
    /// virtuals: a box read back from the heap (a slot of an inlined call's frame) that holds one stands for an
    /// object the optimizer may keep virtual too.</summary>
    private readonly HashSet<object> _freshObjects = new(ReferenceEqualityComparer.Instance);
    /// <summary>A bridge's inputs that were virtual at its guard (the optimizer keeps them virtual).</summary>
    private readonly HashSet<Value> _virtualAtStart = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<Value> _notVable = new(ReferenceEqualityComparer.Instance);

    /// <summary>The lengths of the vable's arrays this trace is specialised on (empty without vable).</summary>
    public int[] VableLengths => _vableLengths;

    private int SlotOfItem(int array, long index)
    {
        int at = _vinfo!.Fields.Length;
        for (int j = 0; j < array; j++) at += _vableLengths[j];
        return at + (int)index;
    }

    private (FieldDescr Field, int Index) FlatSlot(int k)
    {
        var info = _vinfo!;
        if (k < info.Fields.Length) return (info.Fields[k], -1);
        k -= info.Fields.Length;
        for (int j = 0; ; j++)
        {
            if (k < _vableLengths[j]) return (info.ArrayFields[j], k);
            k -= _vableLengths[j];
        }
    }

    private ArrayDescr ArrayDescrOf(int j) => _vinfo!.ArrayDescrs[j];

    /// <summary>At a loop's start: the vable's slots become input args after the reds. False when the red is null.</summary>
    private bool StartVable(object? vable, Value box, List<InputArg> inputs)
    {
        if (vable == null) return false;
        var info = _vinfo!;
        _vable = vable;
        _vableBox = box;
        _nonNull.Add(box);
        _vableLengths = info.Lengths(vable);
        var kinds = info.SlotKinds(_vableLengths);
        _vboxes = new Value[kinds.Length];
        _vmem = new Value?[kinds.Length]; // unknown: on later iterations memory holds older values
        _varrayBoxes = new Value?[info.ArrayFields.Length];
        for (int k = 0; k < kinds.Length; k++)
        {
            var input = new InputArg(kinds[k]);
            inputs.Add(input);
            _vboxes[k] = input;
        }
        return true;
    }

    /// <summary>At a bridge's start: the vable and its field values as the guard had them (pending writes);
    /// fields the guard did not hold back are read from the object, which is current there.</summary>
    private bool StartVableFromGuard(ResumeData data, object? vable, IReadOnlyList<InputArg> inputs)
    {
        if (vable == null || data.VableSlot == ResumeData.NoSlot) return false;
        var info = _vinfo!;
        Value SlotBox(int s) => s < 0 ? data.Consts[-s - 1] : inputs[s];
        _vable = vable;
        _vableBox = SlotBox(data.VableSlot);
        _nonNull.Add(_vableBox);
        _vableLengths = info.Lengths(vable);
        var kinds = info.SlotKinds(_vableLengths);
        _vboxes = new Value[kinds.Length];
        _vmem = new Value?[kinds.Length];
        _varrayBoxes = new Value?[info.ArrayFields.Length];
        var held = new Value?[kinds.Length];
        foreach (var w in data.Writes)
        {
            if (w.ObjectSlot != data.VableSlot || w.Lazy) continue; // the heap pass's writes are not vable slots
            int k = w.Index < 0 ? info.FieldIndex(w.Field) : SlotOfItem(info.ArrayFieldIndex(w.Field), w.Index);
            held[k] = SlotBox(w.ValueSlot);
        }
        for (int k = 0; k < kinds.Length; k++)
        {
            if (held[k] != null) _vboxes[k] = held[k]!;
            else _vboxes[k] = _vmem[k] = ReadVableSlot(k);
        }
        return true;
    }

    /// <summary>The box of <c>vable.ArrayFields[j]</c> (recorded once; the field is readonly).</summary>
    private Value VableArrayBox(int j)
    {
        if (_varrayBoxes[j] is { } box) return box;
        box = Record(OpNum.GetfieldGcR, new[] { _vableBox! }, _vinfo!.ArrayFields[j]);
        _nonNull.Add(box);
        return _varrayBoxes[j] = box;
    }

    private int VableArrayOf(Value box)
    {
        for (int j = 0; j < _varrayBoxes.Length; j++) if (ReferenceEquals(_varrayBoxes[j], box)) return j;
        return -1;
    }

    /// <summary>A heap read of flat slot <paramref name="k"/> of the vable (memory is current when called).</summary>
    private Value ReadVableSlot(int k)
    {
        var (field, index) = FlatSlot(k);
        if (index < 0)
            return Record(field.Kind switch { ValueKind.Int => OpNum.GetfieldGcI, ValueKind.Float => OpNum.GetfieldGcF, _ => OpNum.GetfieldGcR },
                new[] { _vableBox! }, field);
        int j = _vinfo!.ArrayFieldIndex(field);
        var descr = ArrayDescrOf(j);
        return Record(descr.Kind switch { ValueKind.Int => OpNum.GetarrayitemGcI, ValueKind.Float => OpNum.GetarrayitemGcF, _ => OpNum.GetarrayitemGcR },
            new Value[] { VableArrayBox(j), C(index) }, descr);
    }

    /// <summary>Writes back the slots whose box the object does not hold (before the vable escapes).</summary>
    private void WriteBackVable()
    {
        for (int k = 0; k < _vboxes.Length; k++)
            if (!ReferenceEquals(_vmem[k], _vboxes[k])) WriteVableSlot(k, _vboxes[k]);
    }

    /// <summary>
    /// Before a call the vable is private at (<see cref="VablePrivateAtCall"/>): nothing will read the object, yet
    /// each reference slot whose box the object does not hold is stored, with the box when the trace did not
    /// allocate it (a store with its barrier, no allocation), with null when it did or the box was virtual at a
    /// bridge's guard (writing a virtual box would allocate it; the slot stays pending and resume writes it).
    /// A loop input that unrolling keeps virtual is not known here: stored, and allocated, as before frames could
    /// be private. Scalar slots hold no references: left alone. Without these stores Lox binary trees ran 15-40%
    /// slower at depth 16, its collections taking that much longer (perf), though every compiled piece of it was
    /// faster; null stores alone did not help. A value stored need not be kept for the guards after the call, so
    /// the deep recursion of big tree methods the collector walks keeps fewer references live (perf-notes.md,
    /// session 16).
    /// </summary>
    private void RefreshVableRefs()
    {
        for (int k = 0; k < _vboxes.Length; k++)
        {
            var box = _vboxes[k];
            if (box.Kind != ValueKind.Ref || ReferenceEquals(_vmem[k], box)) continue;
            if (!_fresh.Contains(box) && !_virtualAtStart.Contains(box) && !HoldsFreshObject(k)) WriteVableSlot(k, box);
            else if (!ReferenceEquals(_vmem[k], ConstPtr.Null)) WriteVableSlot(k, ConstPtr.Null);
        }
    }

    /// <summary>Records that <paramref name="box"/>, just recorded as an allocation, stands for <paramref name="obj"/>.</summary>
    private void Fresh(Value box, object? obj)
    {
        _fresh.Add(box);
        if (obj != null) _freshObjects.Add(obj);
    }

    /// <summary>Whether the real vable's flat slot <paramref name="k"/> (a reference) holds an object this trace
    /// allocated, whatever box stands for it now.</summary>
    private bool HoldsFreshObject(int k) => ActualSlot(k) is { } value && _freshObjects.Contains(value);

    /// <summary>What the real vable's reference slot <paramref name="k"/> holds now.</summary>
    private object? ActualSlot(int k)
    {
        var (field, index) = FlatSlot(k);
        return index < 0 ? field.GetRef(_vable) : ArrayDescrOf(_vinfo!.ArrayFieldIndex(field)).GetRef(field.GetRef(_vable), index);
    }

    private void WriteVableSlot(int k, Value box)
    {
        var (field, index) = FlatSlot(k);
        if (index < 0) Record(OpNum.SetfieldGc, new[] { _vableBox!, box }, field);
        else
        {
            int j = _vinfo!.ArrayFieldIndex(field);
            Record(OpNum.SetarrayitemGc, new Value[] { VableArrayBox(j), C(index), box }, ArrayDescrOf(j));
        }
        _vmem[k] = box;
    }

    /// <summary>After a call that may have written the vable: its slots are what the object holds now.</summary>
    private void ReReadVable()
    {
        for (int k = 0; k < _vboxes.Length; k++) _vboxes[k] = _vmem[k] = ReadVableSlot(k);
    }

    /// <summary>
    /// True when a call about to be recorded with <paramref name="args"/> cannot reach the vable's fields: its
    /// class names a <see cref="VirtualizableInfo.PrivateWhileNull"/> field, that field is null now (kept so for
    /// the compiled code by a guard, unless the trace already knows it), and the call is not handed the vable or
    /// one of its arrays (checked on the boxes and on the objects, <paramref name="objects"/>, they hold now). The
    /// call then needs no write-back before it (but <see cref="RefreshVableRefs"/>) and no re-read after it.
    /// </summary>
    private bool VablePrivateAtCall(Value[] args, IEnumerable<object?> objects)
    {
        if (_vinfo?.PrivateWhileNull is not { } privacy || _vable == null || _vableBox == null) return false;
        foreach (var a in args)
            if (ReferenceEquals(a, _vableBox) || VableArrayOf(a) >= 0) return false;
        foreach (var o in objects)
        {
            if (o == null) continue;
            if (ReferenceEquals(o, _vable)) return false;
            foreach (var array in _vinfo.ArrayFields)
                if (ReferenceEquals(o, array.GetRef(_vable))) return false;
        }
        if (privacy.GetRef(_vable) != null) return false;
        var box = _heap.Field(_vableBox, privacy, 0, 0, null) ?? ReadField(OpNum.GetfieldGcR, _vableBox, privacy, 0, 0, null);
        if (box is Const) return true;
        Guard(OpNum.GuardIsnull, new[] { box });
        _heap.Holds(_vableBox, privacy, ConstPtr.Null, 0, 0, null);
        return true;
    }

    /// <summary>
    /// After a call the vable was private at (<see cref="VablePrivateAtCall"/>): the call could not reach the
    /// object, so the field that keeps it private is still null, and the trace need not read and check it again
    /// before its next call (Lox: one load and one guard_isnull fewer per call).
    /// </summary>
    private void StaysPrivateAfterCall()
    {
        if (_vinfo?.PrivateWhileNull is { } privacy && _vableBox != null && _vable != null && privacy.GetRef(_vable) == null)
            _heap.Holds(_vableBox, privacy, ConstPtr.Null, 0, 0, null);
    }

    private bool MayReadVable(EffectInfo effect, Value[] args)
    {
        if (_vableBox == null) return false;
        foreach (var a in args)
            if (ReferenceEquals(a, _vableBox) || VableArrayOf(a) >= 0) return true;
        return !effect.IsElidable && !effect.IsLoopInvariant && effect.ReadsHeap;
    }

    private bool MayWriteVable(EffectInfo effect)
    {
        if (_vableBox == null || effect.IsElidable || effect.IsLoopInvariant) return false;
        foreach (var f in _vinfo!.Fields) if (effect.MayWrite(f)) return true;
        foreach (var a in _vinfo.ArrayDescrs) if (effect.MayWrite(a)) return true;
        return false;
    }

    /// <summary>Fail args and pending writes for a guard: the vable and every slot whose box memory does not hold.</summary>
    private (PendingWrite[] Writes, int VableSlot) VableResume(List<Value> failArgs, List<Const> consts)
    {
        if (_vableBox == null) return ([], ResumeData.NoSlot);
        int vableSlot = SlotFor(_vableBox, failArgs, consts);
        var writes = new List<PendingWrite>();
        for (int k = 0; k < _vboxes.Length; k++)
        {
            if (ReferenceEquals(_vmem[k], _vboxes[k])) continue;
            var (field, index) = FlatSlot(k);
            writes.Add(new PendingWrite(vableSlot, field, index, SlotFor(_vboxes[k], failArgs, consts)));
        }
        return (writes.ToArray(), vableSlot);
    }

    /// <summary>Makes an access through <paramref name="box"/> (whose object is <paramref name="obj"/>) a
    /// standard one when obj is the vable; false otherwise.</summary>
    private bool IsStandardVable(object obj, Value box)
    {
        if (_vable == null || !ReferenceEquals(obj, _vable)) return false;
        if (!ReferenceEquals(box, _vableBox))
        {
            Guard(OpNum.GuardTrue, new Value[] { Record(OpNum.PtrEq, new[] { box, _vableBox! }) });
            ReplaceBox(box, _vableBox!);
        }
        return true;
    }

    /// <summary>Guards that <paramref name="box"/> (whose object is not the vable now) is not the vable in other
    /// runs either, so a heap op on one of the vable's fields through it cannot read stale memory.</summary>
    private void GuardNotVable(Value box)
    {
        if (_vableBox == null || _fresh.Contains(box) || !_notVable.Add(box)) return;
        Guard(OpNum.GuardFalse, new Value[] { Record(OpNum.PtrEq, new[] { box, _vableBox }) });
    }

    /// <summary>The index of the vable array <paramref name="array"/> is, or -1; an access through another box
    /// whose object is that array guards ptr_eq with the standard array box first.</summary>
    private int StandardVableArray(object array, Value box)
    {
        if (_vable == null) return -1;
        for (int j = 0; j < _vinfo!.ArrayFields.Length; j++)
        {
            if (!ReferenceEquals(_vinfo.ArrayFields[j].GetRef(_vable), array)) continue;
            if (array.GetType() != ArrayDescrOf(j).ArrayType) throw new TraceAbort("virtualizable array of a derived element type");
            var std = VableArrayBox(j);
            if (!ReferenceEquals(box, std))
            {
                Guard(OpNum.GuardTrue, new Value[] { Record(OpNum.PtrEq, new[] { box, std }) });
                ReplaceBox(box, std);
            }
            return j;
        }
        return -1;
    }

    /// <summary>An access to an array of a vable array's type that is not the vable's array now: guard that it
    /// is not in other runs either (unless the trace allocated it).</summary>
    private void GuardNotVableArray(object array, Value box, ArrayDescr descr)
    {
        // Arrays the trace allocated, and constant [ImmutableElements] arrays (never written, so never a
        // vable's), cannot be the vable's array.
        if (_vable == null || _fresh.Contains(box) || (box is Const && _immutableArrays.Contains(array))) return;
        for (int j = 0; j < _vinfo!.ArrayDescrs.Length; j++)
        {
            if (!ReferenceEquals(_vinfo.ArrayDescrs[j], descr) || !_notVable.Add(box)) continue;
            Guard(OpNum.GuardFalse, new Value[] { Record(OpNum.PtrEq, new[] { box, VableArrayBox(j) }) });
        }
    }

    /// <summary>The index of a vable array access as a constant: the index, or better the value it is computed
    /// from by adding constants (typically the stack pointer, a vable field), is promoted with guard_value, and
    /// that value is a constant everywhere in the tracer from then on.</summary>
    private long PromoteVableIndex(int reg)
    {
        long v = _top.Frame.I[reg];
        var box = BI(reg);
        if (box is Const) return v;
        Value root = box;
        while (root is ResOperation op && op.Args.Length == 2
               && (op.Num is OpNum.IntAdd or OpNum.IntSub or OpNum.IntSignext) && op.Args[1] is Const
               && op.Args[0] is not Const)
            root = op.Args[0];
        long? rootValue = ReferenceEquals(root, box) ? v : ConcreteInt(root);
        if (rootValue == null) (root, rootValue) = (box, v);
        Guard(OpNum.GuardValue, new[] { root, C(rootValue.Value) });
        ReplaceBox(root, C(rootValue.Value));
        SetBox(_top, Reg.I(reg), C(v));
        return v;
    }

    /// <summary>The real value of an int box, when a vable slot or a register of some frame holds it.</summary>
    private long? ConcreteInt(Value box)
    {
        for (int k = 0; k < _vboxes.Length; k++)
        {
            if (!ReferenceEquals(_vboxes[k], box)) continue;
            var (field, index) = FlatSlot(k);
            if (index < 0) return field.GetInt(_vable);
            return ArrayDescrOf(_vinfo!.ArrayFieldIndex(field)).GetInt(field.GetRef(_vable), index);
        }
        for (var f = _top; f != null; f = f.Parent)
            for (int i = 0; i < f.BI.Length; i++)
                if (ReferenceEquals(f.BI[i], box)) return f.Frame.I[i];
        return null;
    }

    /// <summary>From now on <paramref name="old"/> is <paramref name="now"/> (after a guard proved it) in every
    /// register and vable slot.</summary>
    private void ReplaceBox(Value old, Value now)
    {
        for (var f = _top; f != null; f = f.Parent)
        {
            var regs = old.Kind switch { ValueKind.Int => f.BI, ValueKind.Float => f.BF, _ => f.BR };
            for (int i = 0; i < regs.Length; i++) if (ReferenceEquals(regs[i], old)) regs[i] = now;
        }
        for (int k = 0; k < _vboxes.Length; k++)
        {
            if (ReferenceEquals(_vboxes[k], old)) _vboxes[k] = now;
            if (ReferenceEquals(_vmem[k], old)) _vmem[k] = now;
        }
        _heap.Replace(old, now);
    }

    /// <summary>The jump args that carry the vable slots at a closing merge point whose vable red is
    /// <paramref name="obj"/> (box <paramref name="box"/>); null to abort (lengths differ from the target's).</summary>
    private Value[] VableJumpArgs(object? obj, Value box, int[] targetLengths)
    {
        if (obj == null) throw new TraceAbort("virtualizable red is null at the merge point");
        if (ReferenceEquals(obj, _vable))
        {
            if (!_vableLengths.AsSpan().SequenceEqual(targetLengths))
                throw new TraceAbort("virtualizable arrays differ in length from the target loop's");
            if (!ReferenceEquals(box, _vableBox))
                Guard(OpNum.GuardTrue, new Value[] { Record(OpNum.PtrEq, new[] { box, _vableBox! }) });
            return (Value[])_vboxes.Clone();
        }
        // Another object continues (an interpreter that switched frames): the old vable is written back and
        // the new one's fields are read from it (folded by the optimizer when the trace allocated it).
        var info = _vinfo!;
        var lengths = info.Lengths(obj);
        if (!lengths.AsSpan().SequenceEqual(targetLengths))
            throw new TraceAbort("virtualizable arrays at the merge point differ in length from the target loop's");
        WriteBackVable();
        GuardNotVable(box);
        var args = new List<Value>();
        foreach (var f in info.Fields)
            args.Add(Record(f.Kind switch { ValueKind.Int => OpNum.GetfieldGcI, ValueKind.Float => OpNum.GetfieldGcF, _ => OpNum.GetfieldGcR }, new[] { box }, f));
        for (int j = 0; j < info.ArrayFields.Length; j++)
        {
            var descr = info.ArrayDescrs[j];
            var arr = Record(OpNum.GetfieldGcR, new[] { box }, info.ArrayFields[j]);
            Guard(OpNum.GuardValue, new Value[] { Record(OpNum.ArraylenGc, new[] { arr }, descr), C(lengths[j]) });
            for (int i = 0; i < lengths[j]; i++)
                args.Add(Record(descr.Kind switch { ValueKind.Int => OpNum.GetarrayitemGcI, ValueKind.Float => OpNum.GetarrayitemGcF, _ => OpNum.GetarrayitemGcR },
                    new Value[] { arr, C(i) }, descr));
        }
        return args.ToArray();
    }
}
