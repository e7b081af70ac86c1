using MetaJit.Engine.Descriptors;
using MetaJit.Engine.Resume;

namespace MetaJit.Optimizer.Tests;

/// <summary>
/// What ResumeReader does for registers, for tests that have no JitCode: the value of each original fail arg
/// (by the slots of a single frame), materializing virtuals from their recipes with the same rules.
/// </summary>
public static class Materializer
{
    public static object?[] Rebuild(ResumeData data, object?[] values, int originalCount)
    {
        var done = new Dictionary<int, object?>();
        var slots = data.Frames.Length > 0 ? data.Frames[^1].Slots : Enumerable.Range(0, originalCount).ToArray();
        return slots.Select(s => Slot(data, values, s, done)).ToArray();
    }

    private static object? Slot(ResumeData data, object?[] values, int slot, Dictionary<int, object?> done)
    {
        if (slot < 0) return data.Consts[-slot - 1].Boxed;
        if (data.Virtuals == null || !data.Virtuals.TryGetValue(slot, out var recipe)) return values[slot];
        if (done.TryGetValue(slot, out var o)) return o;
        if (recipe.TypeOrArray is ArrayDescr array)
        {
            var arr = array.New(recipe.Length);
            done[slot] = arr;
            for (int k = 0; k < recipe.ValueSlots.Length; k++)
            {
                var v = Slot(data, values, recipe.ValueSlots[k], done);
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
        done[slot] = obj;
        for (int k = 0; k < recipe.Fields.Length; k++)
        {
            var f = (FieldDescr)recipe.Fields[k];
            var v = Slot(data, values, recipe.ValueSlots[k], done);
            switch (f.Kind)
            {
                case ValueKind.Int: f.SetInt(obj, Convert.ToInt64(v)); break;
                case ValueKind.Float: f.SetFloat(obj, Convert.ToDouble(v)); break;
                default: f.SetRef(obj, v); break;
            }
        }
        return obj;
    }
}
