using System.Reflection;
using System.Reflection.Emit;
using MetaJit.Engine.Descriptors;
using MetaJit.Engine.Trace;

namespace MetaJit.Engine.Backend.Cil;

/// <summary>
/// Unboxed results of frameless calls. An interpreter's function returns its value boxed (Lox: a new LoxNumber per
/// return), and its caller's trace at once checks the class and reads the one field: the optimizer removes such a
/// pair inside a trace, but not across a call_assembler, so every compiled call allocated a box its caller dropped.
/// Here the two ends agree at run time instead:
/// <list type="bullet">
/// <item>A tree's finish whose value is a new object of a class with one immutable field
/// (<see cref="ResultBox"/>), made right before it (<c>new_with_vtable</c>, <c>setfield_gc</c>, <c>finish</c>), stores,
/// when entered without a frame, the field's value in the context's result of its kind and the class's number in
/// <see cref="CilTraceContext.ResultBox"/>; the object is made only on the path with a frame.</item>
/// <item>A frameless call whose result is tested for that class by the next guard (<c>guard_class</c> or
/// <c>guard_nonnull_class</c>, after a <c>guard_no_exception</c> at most) asks its helper for it: the result local
/// then holds <see cref="ResultBox.Unboxed"/>, the guard passes, and the value goes into a local of its own, which
/// the result's <c>getfield_gc</c>s read. A boxed result of the class (a finish that returned an argument, the
/// interpreter's result after an exit) fills that local from its field at the guard.</item>
/// <item>Where the result's object is needed, it is made from the value: at the guard when the trace uses it on
/// (passes it to a call, stores it, returns it), else at the exits whose fail args hold it, once
/// (<see cref="MaterializeIfUnboxed"/>). The marker never leaves compiled code.</item>
/// </list>
/// Any other reader of a frameless result (<see cref="FramelessCall.RefAfter"/>) makes the object itself.
/// </summary>
internal sealed partial class CilEmitter
{
    private static readonly FieldInfo ResultBoxField = typeof(CilTraceContext).GetField(nameof(CilTraceContext.ResultBox))!;
    private static readonly FieldInfo UnboxedMarkerField = typeof(ResultBox).GetField(nameof(ResultBox.Unboxed))!;
    private static readonly MethodInfo OtherRefUnboxing = typeof(FramelessCall).GetMethod(nameof(FramelessCall.RefUnboxing))!;

    /// <summary>Unboxed results are on for this backend (<see cref="CilBackend.UnboxedResults"/>).</summary>
    public bool UnboxedResults { get; init; }

    /// <summary>A finish's value made right before it, whose object only the path with a frame makes.</summary>
    private sealed record FinishBox(ResultBox Box, Value FieldValue);
    private readonly Dictionary<Value, FinishBox> _finishBoxes = new(ReferenceEqualityComparer.Instance);

    /// <summary>A call result that may come back unboxed: its class, the guard testing it, the local holding its field's
    /// value (in register form) from that guard on, and whether its object is made only where used
    /// (<see cref="MaterializeIfUnboxed"/>) rather than at the guard.</summary>
    private sealed record UnboxedResult(ResultBox Box, ResOperation Guard, LocalBuilder Value, bool Lazy, bool ReadsField);
    private readonly Dictionary<Value, UnboxedResult> _unboxedResults = new(ReferenceEqualityComparer.Instance);

    /// <summary>
    /// At a <c>new_with_vtable</c> (position <paramref name="p"/>) in a tree with frameless entries: whether it and the
    /// next op, a <c>setfield_gc</c> of the class's one field, only make the value of the finish that follows (only
    /// <c>debug_merge_point</c>s between); then both are left to the finish (<see cref="EmitFramelessFinish"/>).
    /// </summary>
    private bool DeferFinishBox(ResOperation op, int p)
    {
        if (!_frameless || !UnboxedResults || ResultBox.Of(((TypeDescr)op.Descr!).Type) is not { } box) return false;
        int end = _piece.End;
        if (p + 1 >= end || _ops[p + 1] is not { Num: OpNum.SetfieldGc } set
            || !ReferenceEquals(set.Args[0], op) || set.Descr != box.Field || ReferenceEquals(set.Args[1], op))
            return false;
        int q = p + 2;
        while (q < end && _ops[q].Num == OpNum.DebugMergePoint) q++;
        if (q >= end || _ops[q].Num != OpNum.Finish) return false;
        var args = _ops[q].Args;
        // The field's value takes the result slot of its kind: no other value of the finish may need it.
        if (args.Count(a => ReferenceEquals(a, op)) != 1 || args.Any(a => !ReferenceEquals(a, op) && a.Kind == box.Field.Kind))
            return false;
        _handled.Add(set);
        _finishBoxes[op] = new FinishBox(box, set.Args[1]);
        return true;
    }

    /// <summary>A finish entered without a frame: a deferred value's field goes into the result of its kind (through the
    /// field's type, as a store and a read of the field would take it: an int field drops high bits, a float one
    /// rounds), its class's number into <see cref="CilTraceContext.ResultBox"/>.</summary>
    private void StoreFinishBox(FinishBox finishBox)
    {
        var fieldType = finishBox.Box.Field.Field.FieldType;
        E(OpCodes.Ldarg_0); Load(finishBox.FieldValue);
        FromRegister(fieldType); Accessors.EmitToRegister(_il, fieldType); Note("; through the field's type");
        E(OpCodes.Stfld, ResultField(finishBox.Box.Field.Kind));
        E(OpCodes.Ldarg_0); E(OpCodes.Ldc_I4, finishBox.Box.Id); E(OpCodes.Stfld, ResultBoxField);
    }

    /// <summary>A finish with a frame: the deferred objects are made now.</summary>
    private void MakeFinishBoxes(IReadOnlyList<Value> args)
    {
        foreach (var v in args)
            if (_finishBoxes.TryGetValue(v, out var finishBox))
            {
                // The object stays on the stack while the field's value is loaded: the value's local may be the one
                // the object gets (it died at the setfield).
                EmitNew(finishBox.Box.Type.Type);
                E(OpCodes.Dup); Load(finishBox.FieldValue); FromRegister(finishBox.Box.Field.Field.FieldType);
                E(OpCodes.Stfld, finishBox.Box.Field.Field);
                E(OpCodes.Stloc, Local(v));
            }
    }

    private static FieldInfo ResultField(ValueKind kind) =>
        kind switch { ValueKind.Int => ResultIntField, ValueKind.Float => ResultFloatField, _ => ResultRefField };

    /// <summary>The class a frameless call's reference result is tested for by the guard right after it (past a
    /// <c>guard_no_exception</c> that does not keep the result), when that class is a <see cref="ResultBox"/>; with the
    /// guard and its position.</summary>
    private (ResultBox Box, ResOperation Guard, int GuardAt)? ExpectedBox(ResOperation call)
    {
        if (!UnboxedResults || call.Kind != ValueKind.Ref) return null;
        int p = _piece.Start;
        while (p < _piece.End && !ReferenceEquals(_ops[p], call)) p++;
        int q = NextReal(p + 1);
        if (q < _piece.End && _ops[q].Num == OpNum.GuardNoException)
        {
            if (_ops[q].FailArgs?.Any(a => ReferenceEquals(a, call)) == true) return null;
            q = NextReal(q + 1);
        }
        if (q >= _piece.End || _ops[q] is not { Num: OpNum.GuardClass or OpNum.GuardNonnullClass } guard
            || !ReferenceEquals(guard.Args[0], call))
            return null;
        var type = (guard.Args[1] as ConstPtr)?.Object switch { Type t => t, TypeDescr td => td.Type, _ => null };
        return type != null && ResultBox.Of(type) is { } box ? (box, guard, q) : null;
    }

    private int NextReal(int q)
    {
        while (q < _piece.End && _ops[q].Num == OpNum.DebugMergePoint) q++;
        return q;
    }

    /// <summary>The helper call of a frameless call whose result may come back unboxed (the arguments are in place).</summary>
    private void EmitUnboxingCall(ResOperation call, (ResultBox Box, ResOperation Guard, int GuardAt) expected, CallAssemblerDescr descr,
        (CilCompiledTrace? Target, int Entry) direct)
    {
        var (box, guard, guardAt) = expected;
        if (direct.Target == null)
        {
            EmitOwnRefCall(descr, direct.Entry, box.Id);
        }
        else
        {
            LoadRef(direct.Target); E(OpCodes.Ldc_I4, direct.Entry); LoadRef(descr); E(OpCodes.Ldc_I4, box.Id); E(OpCodes.Ldarg_0);
            E(OpCodes.Call, OtherRefUnboxing);
        }
        var (lazy, readsField) = Uses(call, guardAt, box);
        _unboxedResults[call] = new UnboxedResult(box, guard, _il.DeclareLocal(ClrType(box.Field.Kind)), lazy, readsField);
    }

    /// <summary>
    /// How the trace past the call's guard (at <paramref name="guardAt"/>) uses the result. <c>Lazy</c>: it needs the
    /// object only where it leaves (a guard's fail args), its other uses being reads of the box's field; then the
    /// object is made at the exits that need it, otherwise (the result passed on to a call, stored, returned) at the
    /// guard, once, instead of a test at every use. <c>ReadsField</c>: it reads the field (else a boxed result's field
    /// is not read at the guard).
    /// </summary>
    private (bool Lazy, bool ReadsField) Uses(ResOperation call, int guardAt, ResultBox box)
    {
        bool lazy = true, readsField = false;
        for (int q = guardAt + 1; q < _piece.End; q++)
        {
            var op = _ops[q];
            if (op.Num is OpNum.GetfieldGcI or OpNum.GetfieldGcF or OpNum.GetfieldGcR && op.Descr == box.Field && ReferenceEquals(op.Args[0], call))
                readsField = true;
            else if (op.Args.Any(a => ReferenceEquals(a, call)))
                lazy = false;
        }
        return (lazy, readsField);
    }

    /// <summary>
    /// The guard testing a result that may be unboxed: the marker passes and its value comes from the context; an
    /// object is tested as usual and its field read (if the trace reads it). Either way the value is in the result's
    /// own local after it.
    /// </summary>
    private bool EmitUnboxingGuard(ResOperation guard, Label fail)
    {
        if (!_unboxedResults.TryGetValue(guard.Args[0], out var result) || !ReferenceEquals(result.Guard, guard)) return false;
        var local = _locals[guard.Args[0]];
        var boxed = _il.DefineLabel();
        var done = _il.DefineLabel();
        var field = result.Box.Field;
        E(OpCodes.Ldloc, local); E(OpCodes.Ldsfld, UnboxedMarkerField); E(OpCodes.Bne_Un, boxed);
        E(OpCodes.Ldarg_0); E(OpCodes.Ldfld, ResultField(field.Kind)); E(OpCodes.Stloc, result.Value);
        if (field.Kind == ValueKind.Ref) { E(OpCodes.Ldarg_0); E(OpCodes.Ldnull); E(OpCodes.Stfld, ResultRefField); }
        if (!result.Lazy) MakeBox(result, local);
        E(OpCodes.Br, done);
        Mark(boxed);
        E(OpCodes.Ldloc, local); E(OpCodes.Brfalse, fail);
        E(OpCodes.Ldloc, local); E(OpCodes.Callvirt, GetTypeMethod); LoadType(guard.Args[1]); E(OpCodes.Call, TypeEquality);
        E(OpCodes.Brfalse, fail);
        if (result.ReadsField)
        {
            E(OpCodes.Ldloc, local); E(OpCodes.Castclass, field.Field.DeclaringType!);
            E(OpCodes.Ldfld, field.Field); Accessors.EmitToRegister(_il, field.Field.FieldType); Note("; to register");
            E(OpCodes.Stloc, result.Value);
        }
        Mark(done);
        return true;
    }

    /// <summary>A <c>getfield_gc</c> of a result that may be unboxed reads the value's local.</summary>
    private bool EmitUnboxedGetfield(ResOperation op)
    {
        if (!_unboxedResults.TryGetValue(op.Args[0], out var result) || op.Descr != result.Box.Field) return false;
        E(OpCodes.Ldloc, result.Value); Store(op);
        return true;
    }

    /// <summary>Before the object of a result that may be unboxed is used: if it came back unboxed, it is made now from
    /// the value and kept in the result's local (so a second use finds the same object).</summary>
    private void MaterializeIfUnboxed(Value v, LocalBuilder local)
    {
        if (!_unboxedResults.TryGetValue(v, out var result) || !result.Lazy) return;
        var made = _il.DefineLabel();
        E(OpCodes.Ldloc, local); E(OpCodes.Ldsfld, UnboxedMarkerField); E(OpCodes.Bne_Un, made);
        MakeBox(result, local);
        Mark(made);
    }

    /// <summary>The result's object, made from its value into its local.</summary>
    private void MakeBox(UnboxedResult result, LocalBuilder local)
    {
        var field = result.Box.Field;
        EmitNew(result.Box.Type.Type);
        E(OpCodes.Dup); E(OpCodes.Ldloc, result.Value); FromRegister(field.Field.FieldType); E(OpCodes.Stfld, field.Field);
        E(OpCodes.Stloc, local);
    }
}
