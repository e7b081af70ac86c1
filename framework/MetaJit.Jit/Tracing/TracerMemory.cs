using MetaJit.Engine.Descriptors;
using MetaJit.Engine.JitCodes;
using MetaJit.Engine.Trace;

namespace MetaJit.Engine.Tracing;

// Fields, statics and arrays. Reads of immutable fields of constant objects fold to constants; arrays reached
// through an [ImmutableElements] field fold their items too; a read of a quasi-immutable field of a constant
// object records quasiimmut_field + guard_not_invalidated, folds, and makes the loop depend on (object, field). Implicit .NET checks (null, bounds) become
// explicit guards that resume at the instruction, so the blackhole raises the real exception on failure.
internal sealed partial class Tracer
{
    private void GetField(JitInsn insn)
    {
        var field = (FieldDescr)insn.Descr!;
        var obj = NonNull(insn.B);
        var box = BR(insn.B);
        if (_vinfo != null && VableGetField(insn, field, obj, box)) return;
        bool fold = box is Const && (field.IsImmutable || QuasiImmutableRead(obj, box, field));
        switch (field.Kind)
        {
            case ValueKind.Int:
            {
                long v = field.GetInt(obj);
                SetI(insn.A, v, fold ? C(v) : _heap.Field(box, field, v, 0, null) ?? ReadField(OpNum.GetfieldGcI, box, field, v, 0, null));
                break;
            }
            case ValueKind.Float:
            {
                double v = field.GetFloat(obj);
                SetF(insn.A, v, fold ? CF(v) : _heap.Field(box, field, 0, v, null) ?? ReadField(OpNum.GetfieldGcF, box, field, 0, v, null));
                break;
            }
            default:
            {
                var v = field.GetRef(obj);
                if (fold)
                {
                    if (field.HasImmutableElements && v != null) _immutableArrays.Add(v);
                    SetR(insn.A, v, CP(v));
                }
                else
                {
                    SetR(insn.A, v, _heap.Field(box, field, 0, 0, v) ?? ReadField(OpNum.GetfieldGcR, box, field, 0, 0, v));
                }
                break;
            }
        }
    }

    private static bool SameBits(double a, double b) => BitConverter.DoubleToInt64Bits(a) == BitConverter.DoubleToInt64Bits(b);

    /// <summary>Records a field read the heap cache did not know, and tells the cache.</summary>
    private Value ReadField(OpNum op, Value box, FieldDescr field, long i, double f, object? r)
    {
        var res = Record(op, new[] { box }, field);
        _heap.Holds(box, field, res, i, f, r);
        return res;
    }

    /// <summary>A read of a quasi-immutable field of the constant <paramref name="box"/>: records the marker and
    /// the guard (resuming at this read, which the blackhole then redoes) and watches (object, field).</summary>
    private bool QuasiImmutableRead(object obj, Value box, FieldDescr field)
    {
        if (!field.IsQuasiImmutable || !_engine.QuasiImmutables.Folds(field)) return false;
        Record(OpNum.QuasiimmutField, new[] { box }, field);
        Guard(OpNum.GuardNotInvalidated, Array.Empty<Value>());
        _engine.QuasiImmutables.Watch(obj, field, _dependency);
        return true;
    }

    private void SetField(JitInsn insn)
    {
        var field = (FieldDescr)insn.Descr!;
        var obj = NonNull(insn.B);
        var box = BR(insn.B);
        var frame = _top.Frame;
        if (_vinfo != null && VableSetField(insn, field, obj, box)) return;
        switch (field.Kind)
        {
            case ValueKind.Int: field.SetInt(obj, frame.I[insn.C]); Record(OpNum.SetfieldGc, new[] { box, BI(insn.C) }, field); break;
            case ValueKind.Float: field.SetFloat(obj, frame.F[insn.C]); Record(OpNum.SetfieldGc, new[] { box, BF(insn.C) }, field); break;
            default: field.SetRef(obj, frame.R[insn.C]); Record(OpNum.SetfieldGc, new[] { box, BR(insn.C) }, field); break;
        }
        // The written box is what a later read gives, unless the field is narrower than the register and kept
        // other bits (then the cache does not learn it).
        switch (field.Kind)
        {
            case ValueKind.Int:
                if (field.GetInt(obj) == frame.I[insn.C]) _heap.Holds(box, field, BI(insn.C), frame.I[insn.C], 0, null);
                break;
            case ValueKind.Float:
                if (SameBits(field.GetFloat(obj), frame.F[insn.C])) _heap.Holds(box, field, BF(insn.C), 0, frame.F[insn.C], null);
                break;
            default:
                _heap.Holds(box, field, BR(insn.C), 0, 0, frame.R[insn.C]);
                break;
        }
    }

    private void GetStatic(JitInsn insn)
    {
        var field = (FieldDescr)insn.Descr!;
        switch (field.Kind)
        {
            case ValueKind.Int:
            {
                long v = field.GetInt(null);
                SetI(insn.A, v, field.IsImmutable ? C(v) : Record(OpNum.GetstaticI, Array.Empty<Value>(), field));
                break;
            }
            case ValueKind.Float:
            {
                double v = field.GetFloat(null);
                SetF(insn.A, v, field.IsImmutable ? CF(v) : Record(OpNum.GetstaticF, Array.Empty<Value>(), field));
                break;
            }
            default:
            {
                var v = field.GetRef(null);
                if (field.IsImmutable)
                {
                    if (field.HasImmutableElements && v != null) _immutableArrays.Add(v);
                    SetR(insn.A, v, CP(v));
                }
                else
                {
                    SetR(insn.A, v, Record(OpNum.GetstaticR, Array.Empty<Value>(), field));
                }
                break;
            }
        }
    }

    private void SetStatic(JitInsn insn)
    {
        var field = (FieldDescr)insn.Descr!;
        var frame = _top.Frame;
        switch (field.Kind)
        {
            case ValueKind.Int: field.SetInt(null, frame.I[insn.C]); Record(OpNum.Setstatic, new[] { BI(insn.C) }, field); break;
            case ValueKind.Float: field.SetFloat(null, frame.F[insn.C]); Record(OpNum.Setstatic, new[] { BF(insn.C) }, field); break;
            default: field.SetRef(null, frame.R[insn.C]); Record(OpNum.Setstatic, new[] { BR(insn.C) }, field); break;
        }
    }

    private void NewArray(JitInsn insn)
    {
        var descr = (ArrayDescr)insn.Descr!;
        long length = _top.Frame.I[insn.B];
        var lenBox = BI(insn.B);
        object array;
        try
        {
            array = descr.New(length);
        }
        catch (OverflowException e)
        {
            if (lenBox is not Const) Guard(OpNum.GuardFalse, new Value[] { Record(OpNum.IntGe, new[] { lenBox, C(0) }) });
            throw RaisedImplicitly(e);
        }
        if (lenBox is not Const) Guard(OpNum.GuardTrue, new Value[] { Record(OpNum.IntGe, new[] { lenBox, C(0) }) });
        var res = Record(OpNum.NewArrayClear, new[] { lenBox }, descr);
        _nonNull.Add(res);
        Fresh(res, array);
        SetR(insn.A, array, res);
    }

    /// <summary>Guards that <paramref name="index"/> is within the array (one unsigned compare, as .NET does).</summary>
    private void CheckIndex(object array, Value arrayBox, long index, Value indexBox, ArrayDescr descr)
    {
        int length = ((Array)array).Length;
        bool inside = (ulong)index < (ulong)length;
        if (!(arrayBox is Const && indexBox is Const) && !(inside && _heap.InBounds(indexBox, arrayBox)))
        {
            Value lenBox = arrayBox is Const ? C(length) : _heap.Length(arrayBox) ?? Record(OpNum.ArraylenGc, new[] { arrayBox }, descr);
            Guard(inside ? OpNum.GuardTrue : OpNum.GuardFalse, new Value[] { Record(OpNum.UintLt, new[] { indexBox, lenBox }) });
            if (inside) _heap.CheckedInBounds(indexBox, arrayBox);
        }
        if (!inside) throw RaisedImplicitly(new IndexOutOfRangeException());
    }

    private void GetArrayItem(JitInsn insn)
    {
        var descr = (ArrayDescr)insn.Descr!;
        var array = NonNull(insn.B);
        var arrayBox = BR(insn.B);
        if (_vinfo != null && VableGetArrayItem(insn, descr, array, arrayBox)) return;
        long index = _top.Frame.I[insn.C];
        var indexBox = BI(insn.C);
        CheckIndex(array, arrayBox, index, indexBox, descr);
        bool fold = arrayBox is Const && indexBox is Const && _immutableArrays.Contains(array);
        switch (descr.Kind)
        {
            case ValueKind.Int:
            {
                long v = descr.GetInt(array, index);
                SetI(insn.A, v, fold ? C(v) : _heap.Item(arrayBox, indexBox, descr, v, 0, null) ?? ReadItem(OpNum.GetarrayitemGcI, arrayBox, indexBox, descr, v, 0, null));
                break;
            }
            case ValueKind.Float:
            {
                double v = descr.GetFloat(array, index);
                SetF(insn.A, v, fold ? CF(v) : _heap.Item(arrayBox, indexBox, descr, 0, v, null) ?? ReadItem(OpNum.GetarrayitemGcF, arrayBox, indexBox, descr, 0, v, null));
                break;
            }
            default:
            {
                var v = descr.GetRef(array, index);
                SetR(insn.A, v, fold ? CP(v) : _heap.Item(arrayBox, indexBox, descr, 0, 0, v) ?? ReadItem(OpNum.GetarrayitemGcR, arrayBox, indexBox, descr, 0, 0, v));
                break;
            }
        }
    }

    /// <summary>Records an item read the heap cache did not know, and tells the cache.</summary>
    private Value ReadItem(OpNum op, Value arrayBox, Value indexBox, ArrayDescr descr, long i, double f, object? r)
    {
        var res = Record(op, new[] { arrayBox, indexBox }, descr);
        _heap.HoldsItem(arrayBox, indexBox, descr, res, i, f, r);
        return res;
    }

    private void SetArrayItem(JitInsn insn)
    {
        var descr = (ArrayDescr)insn.Descr!;
        var array = NonNull(insn.B);
        var arrayBox = BR(insn.B);
        if (_vinfo != null && VableSetArrayItem(insn, descr, array, arrayBox)) return;
        long index = _top.Frame.I[insn.C];
        var indexBox = BI(insn.C);
        CheckIndex(array, arrayBox, index, indexBox, descr);
        var frame = _top.Frame;
        switch (descr.Kind)
        {
            case ValueKind.Int:
                descr.SetInt(array, index, frame.I[insn.D]);
                Record(OpNum.SetarrayitemGc, new[] { arrayBox, indexBox, BI(insn.D) }, descr);
                if (descr.GetInt(array, index) == frame.I[insn.D]) // not a narrower item that kept other bits
                    _heap.HoldsItem(arrayBox, indexBox, descr, BI(insn.D), frame.I[insn.D], 0, null);
                break;
            case ValueKind.Float:
                descr.SetFloat(array, index, frame.F[insn.D]);
                Record(OpNum.SetarrayitemGc, new[] { arrayBox, indexBox, BF(insn.D) }, descr);
                if (SameBits(descr.GetFloat(array, index), frame.F[insn.D]))
                    _heap.HoldsItem(arrayBox, indexBox, descr, BF(insn.D), 0, frame.F[insn.D], null);
                break;
            default:
            {
                var value = frame.R[insn.D];
                var valueBox = BR(insn.D);
                // Covariant arrays: the store checks the value's class; specialise on it.
                if (value != null && array.GetType().GetElementType() != value.GetType() && !array.GetType().GetElementType()!.IsSealed)
                    GuardExactClassOrNull(valueBox, value);
                descr.SetRef(array, index, value);
                Record(OpNum.SetarrayitemGc, new[] { arrayBox, indexBox, valueBox }, descr);
                _heap.HoldsItem(arrayBox, indexBox, descr, valueBox, 0, 0, value);
                break;
            }
        }
    }

    // ---------------------------------------------------------------- the virtualizable (TracerVirtualizable.cs)

    private bool VableGetField(JitInsn insn, FieldDescr field, object obj, Value box)
    {
        int fi = _vinfo!.FieldIndex(field), ai = _vinfo.ArrayFieldIndex(field);
        if (fi < 0 && ai < 0) return false;
        if (!IsStandardVable(obj, box))
        {
            GuardNotVable(box);
            return false;
        }
        if (ai >= 0)
        {
            SetR(insn.A, field.GetRef(obj), VableArrayBox(ai));
            return true;
        }
        switch (field.Kind)
        {
            case ValueKind.Int: SetI(insn.A, field.GetInt(obj), _vboxes[fi]); break;
            case ValueKind.Float: SetF(insn.A, field.GetFloat(obj), _vboxes[fi]); break;
            default: SetR(insn.A, field.GetRef(obj), _vboxes[fi]); break;
        }
        return true;
    }

    private bool VableSetField(JitInsn insn, FieldDescr field, object obj, Value box)
    {
        int fi = _vinfo!.FieldIndex(field), ai = _vinfo.ArrayFieldIndex(field);
        if (fi < 0 && ai < 0) return false;
        if (!IsStandardVable(obj, box))
        {
            GuardNotVable(box);
            return false;
        }
        if (ai >= 0) throw new TraceAbort("write to a virtualizable array field");
        var frame = _top.Frame;
        switch (field.Kind)
        {
            case ValueKind.Int: field.SetInt(obj, frame.I[insn.C]); _vboxes[fi] = BI(insn.C); break;
            case ValueKind.Float: field.SetFloat(obj, frame.F[insn.C]); _vboxes[fi] = BF(insn.C); break;
            default: field.SetRef(obj, frame.R[insn.C]); _vboxes[fi] = BR(insn.C); break;
        }
        return true;
    }

    /// <summary>The flat vable slot of an access to <paramref name="array"/> at the index in register C, or -1
    /// when the array is not the vable's (then guarded as not being it, if of its type).</summary>
    private int VableItemSlot(JitInsn insn, ArrayDescr descr, object array, Value arrayBox)
    {
        int j = StandardVableArray(array, arrayBox);
        if (j < 0)
        {
            GuardNotVableArray(array, arrayBox, descr);
            return -1;
        }
        long index = PromoteVableIndex(insn.C);
        if ((ulong)index >= (ulong)((Array)array).Length) throw new IndexOutOfRangeException("Index was outside the bounds of the array.");
        return SlotOfItem(j, index);
    }

    private bool VableGetArrayItem(JitInsn insn, ArrayDescr descr, object array, Value arrayBox)
    {
        int k = VableItemSlot(insn, descr, array, arrayBox);
        if (k < 0) return false;
        long index = _top.Frame.I[insn.C];
        switch (descr.Kind)
        {
            case ValueKind.Int: SetI(insn.A, descr.GetInt(array, index), _vboxes[k]); break;
            case ValueKind.Float: SetF(insn.A, descr.GetFloat(array, index), _vboxes[k]); break;
            default: SetR(insn.A, descr.GetRef(array, index), _vboxes[k]); break;
        }
        return true;
    }

    private bool VableSetArrayItem(JitInsn insn, ArrayDescr descr, object array, Value arrayBox)
    {
        int k = VableItemSlot(insn, descr, array, arrayBox);
        if (k < 0) return false;
        long index = _top.Frame.I[insn.C];
        var frame = _top.Frame;
        switch (descr.Kind)
        {
            case ValueKind.Int: descr.SetInt(array, index, frame.I[insn.D]); _vboxes[k] = BI(insn.D); break;
            case ValueKind.Float: descr.SetFloat(array, index, frame.F[insn.D]); _vboxes[k] = BF(insn.D); break;
            default: descr.SetRef(array, index, frame.R[insn.D]); _vboxes[k] = BR(insn.D); break;
        }
        return true;
    }
}
