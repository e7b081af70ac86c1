using MetaJit.Engine.Descriptors;
using MetaJit.Engine.Trace;

namespace MetaJit.Engine.Optimizer;

/// <summary>What a virtual (never allocated) object or array holds: its fields (or items) and their values.</summary>
internal sealed class VirtualInfo(Descr descr, int length)
{
    /// <summary>The <see cref="TypeDescr"/> of an object or the <see cref="ArrayDescr"/> of an array.</summary>
    public Descr Descr { get; } = descr;

    /// <summary>-1 for objects; the length of an array.</summary>
    public int Length { get; } = length;

    /// <summary>For objects: the fields set so far, in order of first write.</summary>
    public List<Descr> Fields { get; } = new();

    /// <summary>The value of each field (objects) or item (arrays).</summary>
    public List<Value> Values { get; } = new();

    /// <summary>The allocation op; emitted when the virtual is forced.</summary>
    public required ResOperation Allocation { get; init; }

    public bool IsArray => Length >= 0;

    public Value? FieldValue(Descr field)
    {
        int i = Fields.IndexOf(field);
        return i < 0 ? null : Values[i];
    }

    public void SetField(Descr field, Value value)
    {
        int i = Fields.IndexOf(field);
        if (i < 0) { Fields.Add(field); Values.Add(value); }
        else Values[i] = value;
    }
}

/// <summary>
/// Allocation removal (RPython's virtualize.py). <c>new_with_vtable</c>, and <c>new_array</c>/<c>new_array_clear</c>
/// of a small constant length, make a virtual: no allocation is emitted; field writes and reads (items at
/// constant indices, the length) go to the <see cref="VirtualInfo"/>. Any other use of a virtual (stored into
/// a real object, passed to a call, jumped with, an item at an unknown index...) forces it: the allocation and
/// its field writes are emitted just before that use. Guards do not force: ResumeFinalizer describes the
/// virtual in the guard's resume data. A virtual is distinct from every other object, so ptr_eq with it folds.
/// </summary>
internal sealed partial class VirtualizePass : OptimizationPass
{
    /// <summary>Arrays longer than this are allocated as usual.</summary>
    public const int MaxVirtualArrayLength = 64;

    private readonly Dictionary<Value, VirtualInfo> _virtuals = new(ReferenceEqualityComparer.Instance);

    public bool IsVirtual(Value v) => _virtuals.ContainsKey(v);

    public VirtualInfo? InfoOf(Value v) => _virtuals.GetValueOrDefault(Run.Get(v));

    /// <summary>Makes <paramref name="allocation"/> a virtual with the given fields (for unroll and bridges).</summary>
    public VirtualInfo AddVirtual(ResOperation allocation, int length)
    {
        var info = new VirtualInfo(allocation.Descr!, length) { Allocation = allocation };
        _virtuals[allocation] = info;
        if (allocation.Descr is TypeDescr td) Run.SetKnownClass(allocation, td.Type);
        else Run.SetKnownClass(allocation, ((ArrayDescr)allocation.Descr!).ArrayType);
        if (length >= 0)
            for (int i = 0; i < length; i++) info.Values.Add(OptimizationRun.DefaultOf(((ArrayDescr)info.Descr).Kind));
        return info;
    }

    public override void Propagate(ResOperation op)
    {
        switch (op.Num)
        {
            case OpNum.NewWithVtable:
                AddVirtual(op, -1);
                return;
            case OpNum.NewArray:
            case OpNum.NewArrayClear:
                if (op.Args[0] is ConstInt { IntValue: >= 0 and <= MaxVirtualArrayLength } len)
                {
                    AddVirtual(op, (int)len.IntValue);
                    return;
                }
                break;
            case OpNum.SetfieldGc when InfoOf(op.Args[0]) is { IsArray: false } info:
                info.SetField(op.Descr!, op.Args[1]);
                return;
            case OpNum.GetfieldGcI or OpNum.GetfieldGcF or OpNum.GetfieldGcR when InfoOf(op.Args[0]) is { IsArray: false } info:
                Run.MakeEqual(op, info.FieldValue(op.Descr!) ?? OptimizationRun.DefaultOf(op.Kind));
                return;
            case OpNum.SameAsR when IsVirtual(Get(op.Args[0])):
                Run.MakeEqual(op, op.Args[0]);
                return;
            case OpNum.ArraylenGc when InfoOf(op.Args[0]) is { IsArray: true } info:
                Run.MakeEqual(op, new ConstInt(info.Length));
                return;
            case OpNum.GetarrayitemGcI or OpNum.GetarrayitemGcF or OpNum.GetarrayitemGcR
                when InfoOf(op.Args[0]) is { IsArray: true } info && ConstIndex(op.Args[1], info) is int gi:
                Run.MakeEqual(op, info.Values[gi]);
                return;
            case OpNum.SetarrayitemGc when InfoOf(op.Args[0]) is { IsArray: true } info && ConstIndex(op.Args[1], info) is int si:
                info.Values[si] = op.Args[2];
                return;
            case OpNum.PtrEq or OpNum.PtrNe when IsVirtual(Get(op.Args[0])) || IsVirtual(Get(op.Args[1])):
            {
                bool same = ReferenceEquals(Get(op.Args[0]), Get(op.Args[1]));
                Run.MakeEqual(op, new ConstInt(same == (op.Num == OpNum.PtrEq) ? 1 : 0));
                return;
            }
            case OpNum.GuardNonnull or OpNum.GuardClass or OpNum.GuardNonnullClass when IsVirtual(Get(op.Args[0])):
                // Known from the allocation (rewrite removes these when it runs): a virtual is never null.
                if (op.Num == OpNum.GuardNonnull || Run.KnownClass(op.Args[0]) == (op.Args[1] as ConstPtr)?.Object as Type) return;
                break;
        }
        if (op.IsGuard)
        {
            // Guards keep virtuals in their fail args (resume data rebuilds them); only their arguments force.
            foreach (var a in op.Args) Force(a);
            EmitNext(op);
            return;
        }
        if (op.Descr is CallAssemblerDescr callee && CallSpecialized(op, callee)) return;
        if (op.Descr is CallAssemblerDescr { VableArgIndex: >= 0 } target) ForceWithoutVableSlots(op.Args[target.VableArgIndex], target.Vable!);
        foreach (var a in op.Args) Force(a);
        EmitNext(op);
    }

    /// <summary>
    /// A virtual frame passed as a call_assembler's virtualizable: allocated with its other fields, and with
    /// its virtualizable arrays allocated but not filled, its virtualizable fields not written: the target takes
    /// those values from the call's arguments and writes them all back itself (CallAssemblerDescr.VableArgIndex).
    /// Only when nothing else virtual refers to the frame or those arrays (forced later, it would expect them
    /// filled); otherwise an ordinary force.
    /// </summary>
    private void ForceWithoutVableSlots(Value frame, VirtualizableInfo vable)
    {
        frame = Get(frame);
        if (InfoOf(frame) is not { IsArray: false } info) return;
        var arrays = new HashSet<Value>(ReferenceEqualityComparer.Instance);
        foreach (var f in vable.ArrayFields)
            if (info.FieldValue(f) is { } a && IsVirtual(Get(a))) arrays.Add(Get(a));
        foreach (var (key, other) in _virtuals)
        {
            if (ReferenceEquals(key, frame)) continue;
            foreach (var value in other.Values)
            {
                var g = Get(value);
                if (ReferenceEquals(g, frame) || arrays.Contains(g)) return; // the ordinary force follows
            }
        }
        _virtuals.Remove(frame);
        EmitNext(info.Allocation);
        for (int i = 0; i < info.Values.Count; i++)
        {
            var field = info.Fields[i];
            if (vable.Fields.Contains(field)) continue;
            var value = Get(info.Values[i]);
            if (arrays.Contains(value) && _virtuals.Remove(value, out var array)) EmitNext(array.Allocation);
            else
            {
                Force(value);
                value = Get(value);
            }
            EmitNext(new ResOperation(OpNum.SetfieldGc, [info.Allocation, value], field));
        }
    }

    private static int? ConstIndex(Value index, VirtualInfo info) =>
        index is ConstInt { IntValue: var i } && i >= 0 && i < info.Length ? (int)i : null;

    /// <summary>If <paramref name="v"/> is virtual, emits its allocation and field writes (recursively) now.</summary>
    public void Force(Value v)
    {
        v = Get(v);
        if (!_virtuals.Remove(v, out var info)) return;
        EmitNext(info.Allocation);
        for (int i = 0; i < info.Values.Count; i++)
        {
            var value = Get(info.Values[i]);
            Force(value);
            value = Get(value);
            if (info.IsArray)
            {
                if (value is Const c && c.Equals(OptimizationRun.DefaultOf(c.Kind))) continue; // already zero
                EmitNext(new ResOperation(OpNum.SetarrayitemGc, [info.Allocation, new ConstInt(i), value], info.Descr));
            }
            else EmitNext(new ResOperation(OpNum.SetfieldGc, [info.Allocation, value], info.Fields[i]));
        }
    }
}
