using MetaJit.Engine.Descriptors;
using MetaJit.Engine.Execution;
using MetaJit.Engine.JitCodes;
using MetaJit.Engine.Trace;

namespace MetaJit.Engine.Resume;

/// <summary>
/// Leaving compiled code: turns a failed guard's resume data and the values the backend wrote to the dead
/// frame into real JitFrames (materializing virtual objects the optimizer never allocated), ready for the
/// blackhole interpreter.
/// </summary>
public static class ResumeReader
{
    /// <summary>Rebuilds the frames straight from the dead frame the backend filled (fail args packed per kind,
    /// in order, as <see cref="Backend.DeadFrame.Read"/> reads them); returns the top (innermost) one. The hot
    /// way out of compiled code: no boxing, virtual objects built from the frame's values.</summary>
    public static JitFrame Rebuild(ResumeData data, Value[] failArgs, Backend.DeadFrame dead)
    {
        var slots = new DeadFrameSlots(data, failArgs, dead, data.KindIndex ??= KindIndices(failArgs));
        if (data.Writes.Length > 0) ApplyWrites(data, slots);
        JitFrame? frame = null;
        foreach (var rf in data.Frames)
        {
            frame = new JitFrame(rf.Code, frame) { Pc = rf.Pc };
            var regs = rf.Regs;
            var slotOf = rf.Slots;
            for (int k = 0; k < regs.Length; k++)
            {
                var reg = Reg.Decode(regs[k]);
                switch (reg.Kind)
                {
                    case ValueKind.Int: frame.I[reg.Index] = slots.Int(slotOf[k]); break;
                    case ValueKind.Float: frame.F[reg.Index] = slots.Float(slotOf[k]); break;
                    default: frame.R[reg.Index] = slots.Ref(slotOf[k]); break;
                }
            }
        }
        // Tested first: the method group would allocate a delegate at every exit from compiled code.
        if (data.EntryObjects.Length > 0) EntryHandBack.Record(data, slots.Ref);
        return frame ?? throw new InvalidOperationException("Resume data without frames.");
    }

    /// <summary>
    /// A guard after a call failed although the call did not raise (a guard_exception whose call returned): the
    /// top frame stands at the call; store its result (<see cref="ResumeData.CallResultSlot"/>) into the call's
    /// destination register and move past it.
    /// </summary>
    public static void CompleteCall(JitFrame top, ResumeData data, Value[] failArgs, Backend.DeadFrame dead)
    {
        if (data.CallResultSlot is int slot)
        {
            int dst = top.Code.Code[top.Pc].A;
            var kind = slot < 0 ? data.Consts[-slot - 1].Kind : failArgs[slot].Kind;
            var index = data.KindIndex ??= KindIndices(failArgs);
            object? value = slot < 0 ? data.Consts[-slot - 1].Boxed : null;
            switch (kind)
            {
                case ValueKind.Int: top.I[dst] = slot < 0 ? (long)value! : dead.Ints[index[slot]]; break;
                case ValueKind.Float: top.F[dst] = slot < 0 ? (double)value! : dead.Floats[index[slot]]; break;
                default: top.R[dst] = slot < 0 ? value : dead.Refs[index[slot]]; break;
            }
        }
        top.Pc++;
    }

    /// <summary>Performs the guard's pending writes with values straight from the dead frame.</summary>
    private static void ApplyWrites(ResumeData data, DeadFrameSlots slots)
    {
        foreach (var w in data.Writes)
        {
            var obj = slots.Ref(w.ObjectSlot);
            int slot = w.ValueSlot;
            if (w.Item is { } item)
            {
                StoreItem(item, obj, slots.Int(w.IndexSlot), slots, slot);
                continue;
            }
            if (w.Index < 0)
            {
                switch (w.Field.Kind)
                {
                    case ValueKind.Int: w.Field.SetInt(obj, slots.Int(slot)); break;
                    case ValueKind.Float: w.Field.SetFloat(obj, slots.Float(slot)); break;
                    default: w.Field.SetRef(obj, slots.Ref(slot)); break;
                }
                continue;
            }
            StoreItem(ItemDescr(w.Field), w.Field.GetRef(obj), w.Index, slots, slot);
        }
    }

    /// <summary><c>array[at] = value of slot</c>, the value straight from the dead frame.</summary>
    private static void StoreItem(ArrayDescr descr, object? array, long at, DeadFrameSlots slots, int slot)
    {
        switch (descr.Kind)
        {
            case ValueKind.Int: descr.SetInt(array, at, slots.Int(slot)); break;
            case ValueKind.Float: descr.SetFloat(array, at, slots.Float(slot)); break;
            default: descr.SetRef(array, at, slots.Ref(slot)); break;
        }
    }

    private static ArrayDescr ItemDescr(FieldDescr arrayField) => arrayField.Items;

    /// <summary>Performs the guard's pending writes (what resuming does first) with the boxed values of its
    /// fail args; for tools and tests that run traces without frames.</summary>
    public static void PerformWrites(ResumeData data, object?[] values)
    {
        if (data.Writes.Length > 0) ApplyWrites(data, values, new Dictionary<int, object?>());
    }

    /// <summary>Performs the guard's pending writes with boxed values (virtual objects shared with the frames).</summary>
    private static void ApplyWrites(ResumeData data, object?[] values, Dictionary<int, object?> materialized)
    {
        foreach (var w in data.Writes)
        {
            var obj = SlotValue(data, values, w.ObjectSlot, materialized);
            var v = SlotValue(data, values, w.ValueSlot, materialized);
            if (w.Item is { } item)
            {
                StoreItem(item, obj, Convert.ToInt64(SlotValue(data, values, w.IndexSlot, materialized)), v);
                continue;
            }
            if (w.Index < 0)
            {
                switch (w.Field.Kind)
                {
                    case ValueKind.Int: w.Field.SetInt(obj, Convert.ToInt64(v)); break;
                    case ValueKind.Float: w.Field.SetFloat(obj, Convert.ToDouble(v)); break;
                    default: w.Field.SetRef(obj, v); break;
                }
                continue;
            }
            StoreItem(ItemDescr(w.Field), w.Field.GetRef(obj), w.Index, v);
        }
    }

    private static void StoreItem(ArrayDescr descr, object? array, long at, object? v)
    {
        switch (descr.Kind)
        {
            case ValueKind.Int: descr.SetInt(array, at, Convert.ToInt64(v)); break;
            case ValueKind.Float: descr.SetFloat(array, at, Convert.ToDouble(v)); break;
            default: descr.SetRef(array, at, v); break;
        }
    }

    private static int[] KindIndices(Value[] failArgs)
    {
        var index = new int[failArgs.Length];
        int ni = 0, nf = 0, nr = 0;
        for (int k = 0; k < failArgs.Length; k++)
            index[k] = failArgs[k].Kind switch { ValueKind.Int => ni++, ValueKind.Float => nf++, _ => nr++ };
        return index;
    }

    /// <summary>Rebuilds the frames; returns the top (innermost) one.</summary>
    /// <param name="data">The guard's resume data.</param>
    /// <param name="values">The values of the guard's fail args, in order (boxed: long, double or object).</param>
    public static JitFrame Rebuild(ResumeData data, object?[] values) => Rebuild(data, values, out _);

    /// <summary>Rebuilds the frames (see <see cref="Rebuild(ResumeData, object?[])"/>) and gives the trace's
    /// virtualizable object at the guard (the same object the frames hold), or null.</summary>
    public static JitFrame Rebuild(ResumeData data, object?[] values, out object? vable) => Rebuild(data, values, out vable, out _);

    /// <summary>As <see cref="Rebuild(ResumeData, object?[], out object?)"/>, also giving the objects built for the
    /// guard's virtuals (a bridge's tracer knows them as allocations the optimizer may keep virtual).</summary>
    public static JitFrame Rebuild(ResumeData data, object?[] values, out object? vable, out IReadOnlyCollection<object?> builtVirtuals)
    {
        var materialized = new Dictionary<int, object?>();
        builtVirtuals = materialized.Values;
        if (data.Writes.Length > 0) ApplyWrites(data, values, materialized);
        vable = data.VableSlot == ResumeData.NoSlot ? null : SlotValue(data, values, data.VableSlot, materialized);
        JitFrame? frame = null;
        foreach (var rf in data.Frames)
        {
            frame = new JitFrame(rf.Code, frame) { Pc = rf.Pc };
            for (int k = 0; k < rf.Regs.Length; k++)
            {
                var reg = Reg.Decode(rf.Regs[k]);
                object? v = SlotValue(data, values, rf.Slots[k], materialized);
                switch (reg.Kind)
                {
                    case ValueKind.Int: frame.I[reg.Index] = Convert.ToInt64(v); break;
                    case ValueKind.Float: frame.F[reg.Index] = Convert.ToDouble(v); break;
                    default: frame.R[reg.Index] = v; break;
                }
            }
        }
        if (data.EntryObjects.Length > 0) RecordEntryObjects(data, values, materialized);
        return frame ?? throw new InvalidOperationException("Resume data without frames.");
    }

    /// <summary>A separate method: a lambda in <see cref="Rebuild(ResumeData, object?[], out object?, out IReadOnlyCollection{object?})"/>
    /// would allocate its closure at every call.</summary>
    private static void RecordEntryObjects(ResumeData data, object?[] values, Dictionary<int, object?> materialized) =>
        EntryHandBack.Record(data, slot => SlotValue(data, values, slot, materialized));

    /// <summary>The values the given slots stand for (constants, fail args, or virtual objects built from their
    /// recipes, shared between slots that name the same virtual). Tests of the optimizer read resume data with it.</summary>
    public static object?[] ReadSlots(ResumeData data, object?[] values, IReadOnlyList<int> slots)
    {
        var materialized = new Dictionary<int, object?>();
        var result = new object?[slots.Count];
        for (int k = 0; k < slots.Count; k++) result[k] = SlotValue(data, values, slots[k], materialized);
        return result;
    }

    /// <summary>As <see cref="ReadSlots(ResumeData, object?[], IReadOnlyList{int})"/>, from the dead frame a failed
    /// guard's compiled code filled (boxed results: long, double or object).</summary>
    public static object?[] ReadSlots(ResumeData data, Value[] failArgs, Backend.DeadFrame dead, IReadOnlyList<int> slots)
    {
        var reader = new DeadFrameSlots(data, failArgs, dead, data.KindIndex ??= KindIndices(failArgs));
        var result = new object?[slots.Count];
        for (int k = 0; k < slots.Count; k++) result[k] = reader.Boxed(slots[k]);
        return result;
    }

    private static object? SlotValue(ResumeData data, object?[] values, int slot, Dictionary<int, object?> materialized)
    {
        if (slot < 0) return data.Consts[-slot - 1].Boxed;
        if (data.Virtuals != null && data.Virtuals.TryGetValue(slot, out var recipe))
        {
            if (materialized.TryGetValue(slot, out var done)) return done;
            return Materialize(data, values, slot, recipe, materialized);
        }
        return values[slot];
    }

    private static object Materialize(ResumeData data, object?[] values, int slot, VirtualRecipe recipe, Dictionary<int, object?> materialized)
    {
        if (recipe.TypeOrArray is CallDescr call)
        {
            // A pure call (no cycles through it: its arguments are made first, then the call).
            var args = recipe.ValueSlots.Select(s => SlotValue(data, values, s, materialized)).ToArray();
            var made = call.InvokeBoxed(args);
            materialized[slot] = made;
            return made!;
        }
        if (recipe.TypeOrArray is ArrayDescr array)
        {
            var arr = array.New(recipe.Length);
            materialized[slot] = arr;
            for (int k = 0; k < recipe.ValueSlots.Length; k++)
            {
                var v = SlotValue(data, values, recipe.ValueSlots[k], materialized);
                switch (array.Kind)
                {
                    case ValueKind.Int: array.SetInt(arr, k, Convert.ToInt64(v)); break;
                    case ValueKind.Float: array.SetFloat(arr, k, Convert.ToDouble(v)); break;
                    default: array.SetRef(arr, k, v); break;
                }
            }
            return arr;
        }
        var obj = ((TypeDescr)recipe.TypeOrArray).Allocate();
        materialized[slot] = obj;
        for (int k = 0; k < recipe.Fields.Length; k++)
        {
            var field = (FieldDescr)recipe.Fields[k];
            var v = SlotValue(data, values, recipe.ValueSlots[k], materialized);
            switch (field.Kind)
            {
                case ValueKind.Int: field.SetInt(obj, Convert.ToInt64(v)); break;
                case ValueKind.Float: field.SetFloat(obj, Convert.ToDouble(v)); break;
                default: field.SetRef(obj, v); break;
            }
        }
        return obj;
    }

    /// <summary>The trace value standing for each register of each rebuilt frame, for tracing a bridge: fail
    /// args become the bridge's input args, constants stay constants.</summary>
    public static Func<JitFrame, Reg, Value?> Boxes(ResumeData data, JitFrame top, IReadOnlyList<InputArg> inputs)
    {
        var byFrame = new Dictionary<JitFrame, Dictionary<int, Value>>(ReferenceEqualityComparer.Instance);
        var chain = new List<JitFrame>();
        for (var f = top; f != null; f = f.Parent) chain.Add(f);
        chain.Reverse();
        for (int i = 0; i < chain.Count; i++)
        {
            var rf = data.Frames[i];
            var map = new Dictionary<int, Value>();
            for (int k = 0; k < rf.Regs.Length; k++)
            {
                int slot = rf.Slots[k];
                map[rf.Regs[k]] = slot < 0 ? data.Consts[-slot - 1] : inputs[slot];
            }
            byFrame[chain[i]] = map;
        }
        return (frame, reg) => byFrame.TryGetValue(frame, out var m) && m.TryGetValue(reg.Encode(), out var v) ? v : null;
    }
}
