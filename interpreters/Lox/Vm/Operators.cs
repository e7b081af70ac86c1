using MetaJit.Lox.Runtime;

namespace MetaJit.Lox.Vm;

/// <summary>Small pieces of the dispatch loop: truthiness, equality, capturing and closing upvalues.</summary>
public static class Operators
{
    /// <summary>nil and false are falsey; everything else is truthy.</summary>
    public static bool IsFalsey(object value) => value == LoxNil.Nil || value == LoxBool.False;

    /// <summary>Lox <c>==</c>: numbers by value (NaN is unequal to itself), everything else by identity
    /// (strings are interned, so identity is content equality).</summary>
    public static bool ValuesEqual(object a, object b)
    {
        if (a is LoxNumber x) return b is LoxNumber y && x.Value == y.Value;
        return a == b;
    }

    /// <summary>The open upvalue for slot <paramref name="index"/> of <paramref name="frame"/>, created if needed,
    /// so closures capturing the same variable share it.</summary>
    [LookInside] // the open list is short (usually empty): traced through, so the frame stays virtual
    public static Upvalue CaptureUpvalue(Frame frame, int index)
    {
        Upvalue? previous = null;
        Upvalue? upvalue = frame.OpenUpvalues;
        while (upvalue != null && upvalue.Index > index)
        {
            previous = upvalue;
            upvalue = upvalue.Next;
        }
        if (upvalue != null && upvalue.Index == index) return upvalue;
        var created = new Upvalue(frame.Slots, index, upvalue);
        if (previous == null) frame.OpenUpvalues = created;
        else previous.Next = created;
        return created;
    }

    /// <summary>Closes every open upvalue of <paramref name="frame"/> at slot <paramref name="from"/> or above.</summary>
    [LookInside] // usually zero or one upvalue to close: traced through rather than a residual call
    public static void CloseUpvalues(Frame frame, int from)
    {
        while (frame.OpenUpvalues != null && frame.OpenUpvalues.Index >= from)
        {
            Upvalue upvalue = frame.OpenUpvalues;
            frame.OpenUpvalues = upvalue.Next;
            upvalue.Close();
        }
    }
}
