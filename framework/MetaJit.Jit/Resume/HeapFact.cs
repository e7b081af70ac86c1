namespace MetaJit.Engine.Resume;

/// <summary>What a <see cref="HeapFact"/> says.</summary>
public enum HeapFactKind
{
    /// <summary><c>object.Field == value</c> (<see cref="HeapFact.Target"/> a <see cref="Descriptors.FieldDescr"/>).</summary>
    Field,

    /// <summary><c>arraylen(object) == value</c> (no target).</summary>
    Length,

    /// <summary><c>object[index] == value</c> (<see cref="HeapFact.Target"/> an <see cref="Descriptors.ArrayDescr"/>).</summary>
    Item,
}

/// <summary>
/// One thing the loop's heap cache knew at a guard about objects among its fail args (RPython's bridgeopt
/// serializes the same): a field's value, an array's length, or an item. True when leaving through the guard
/// after its lazy pending writes are done; a bridge from the guard starts its heap cache with it, so it does not
/// read again what the loop had read or written. Slots as in <see cref="ResumeFrame.Slots"/> (fail-arg index, or
/// -(c+1) for constant c of <see cref="ResumeData.Consts"/>); the object is always a fail arg.
/// </summary>
/// <param name="Kind">Which fact.</param>
/// <param name="ObjectSlot">The object (or array): a fail-arg index.</param>
/// <param name="Target">The field or array descriptor; null for a length.</param>
/// <param name="ValueSlot">The field's value, the item, or the length.</param>
/// <param name="IndexSlot">For an item: the index; otherwise <see cref="ResumeData.NoSlot"/>.</param>
public sealed record HeapFact(HeapFactKind Kind, int ObjectSlot, Descriptors.Descr? Target, int ValueSlot, int IndexSlot = ResumeData.NoSlot);
