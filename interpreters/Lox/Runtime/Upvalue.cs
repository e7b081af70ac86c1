namespace MetaJit.Lox.Runtime;

/// <summary>
/// A captured variable. While open it designates slot <see cref="Index"/> of the frame array
/// <see cref="Slots"/> that owns the variable; closing it moves the value into a one-element array of its
/// own. Reads and writes are therefore always <c>Slots[Index]</c>, with no open/closed branch.
/// </summary>
public sealed class Upvalue
{
    /// <summary>An open upvalue for <paramref name="slots"/>[<paramref name="index"/>].</summary>
    public Upvalue(object[] slots, int index, Upvalue? next)
    {
        Slots = slots;
        Index = index;
        Next = next;
    }

    /// <summary>The array holding the variable: the owning frame's slots while open, a private cell once closed.</summary>
    public object[] Slots;

    /// <summary>The variable's index in <see cref="Slots"/>.</summary>
    public int Index;

    /// <summary>The next open upvalue of the same frame (lower index), or null.</summary>
    public Upvalue? Next;

    /// <summary>The variable's value.</summary>
    public object Get() => Slots[Index];

    /// <summary>Assigns the variable.</summary>
    public void Set(object value) => Slots[Index] = value;

    /// <summary>Moves the value out of the frame, which is ending or leaving the variable's scope.</summary>
    public void Close()
    {
        var cell = new object[1];
        cell[0] = Slots[Index];
        Slots = cell;
        Index = 0;
        Next = null;
    }
}
