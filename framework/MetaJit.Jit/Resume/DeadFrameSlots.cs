using MetaJit.Engine.Descriptors;
using MetaJit.Engine.Trace;

namespace MetaJit.Engine.Resume;

/// <summary>
/// The values of one failed guard's slots (fail-arg indices, or constants as -(c+1)) read straight from the dead
/// frame its compiled code filled, typed, without boxing; a virtual slot is built from its recipe the first time
/// it is read and shared afterwards (as <see cref="ResumeReader.ReadSlots(ResumeData, object?[], IReadOnlyList{int})"/> does from boxed values).
/// </summary>
internal sealed class DeadFrameSlots
{
    private readonly ResumeData _data;
    private readonly Backend.DeadFrame _dead;
    private readonly int[] _index;
    private readonly Value[] _failArgs;
    private object?[]? _made;   // virtual slot -> the object built for it
    private bool[]? _started;   // a cycle through an object or array reads it under construction, as the boxed path does

    public DeadFrameSlots(ResumeData data, Value[] failArgs, Backend.DeadFrame dead, int[] index)
    {
        _data = data;
        _failArgs = failArgs;
        _dead = dead;
        _index = index;
    }

    public long Int(int slot) => slot < 0 ? ((ConstInt)_data.Consts[-slot - 1]).IntValue : _dead.Ints[_index[slot]];

    public double Float(int slot) => slot < 0 ? ((ConstFloat)_data.Consts[-slot - 1]).FloatValue : _dead.Floats[_index[slot]];

    public object? Ref(int slot)
    {
        if (slot < 0) return ((ConstPtr)_data.Consts[-slot - 1]).Object;
        if (_data.Virtuals != null && _data.Virtuals.TryGetValue(slot, out var recipe)) return Virtual(slot, recipe);
        return _dead.Refs[_index[slot]];
    }

    /// <summary>A slot's value boxed (long, double or object): for the rare recipe that calls a method, and tools.</summary>
    public object? Boxed(int slot)
    {
        var kind = slot < 0 ? _data.Consts[-slot - 1].Kind : _failArgs[slot].Kind;
        return kind switch
        {
            ValueKind.Int => Int(slot),
            ValueKind.Float => Float(slot),
            _ => Ref(slot),
        };
    }

    private object? Virtual(int slot, VirtualRecipe recipe)
    {
        _made ??= new object?[_failArgs.Length];
        _started ??= new bool[_failArgs.Length];
        if (_started[slot]) return _made[slot];
        _started[slot] = true;
        // Only when the call raised: a guard_exception also fails when the call returned, and nothing came back then.
        if (recipe.HandBack is { } from && _dead.Exception != null && from.Call.TakeHandedBack(from.Input) is { } back) return _made[slot] = back;
        if (recipe.TypeOrArray is CallDescr call)
        {
            // A pure call: its arguments are made first (no cycles run through it), then the call.
            var args = new object?[recipe.ValueSlots.Length];
            for (int k = 0; k < args.Length; k++) args[k] = Boxed(recipe.ValueSlots[k]);
            return _made[slot] = call.InvokeBoxed(args);
        }
        if (recipe.TypeOrArray is ArrayDescr array)
        {
            var arr = array.New(recipe.Length);
            _made[slot] = arr;
            for (int k = 0; k < recipe.ValueSlots.Length; k++)
            {
                int vs = recipe.ValueSlots[k];
                switch (array.Kind)
                {
                    case ValueKind.Int: array.SetInt(arr, k, Int(vs)); break;
                    case ValueKind.Float: array.SetFloat(arr, k, Float(vs)); break;
                    default: array.SetRef(arr, k, Ref(vs)); break;
                }
            }
            return arr;
        }
        var obj = ((TypeDescr)recipe.TypeOrArray).Allocate();
        _made[slot] = obj;
        for (int k = 0; k < recipe.Fields.Length; k++)
        {
            var field = (FieldDescr)recipe.Fields[k];
            int vs = recipe.ValueSlots[k];
            switch (field.Kind)
            {
                case ValueKind.Int: field.SetInt(obj, Int(vs)); break;
                case ValueKind.Float: field.SetFloat(obj, Float(vs)); break;
                default: field.SetRef(obj, Ref(vs)); break;
            }
        }
        return obj;
    }
}
