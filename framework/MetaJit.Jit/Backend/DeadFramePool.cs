namespace MetaJit.Engine.Backend;

/// <summary>
/// Dead frames to reuse. Entering compiled code needs one (at every hot backward jump, and at every call of a
/// recursive program through <c>call_assembler</c>); a residual call may re-enter, so frames come from a small
/// stack, one per level of a recursive interpreter's calls. A plain array: this runs once per compiled call.
/// </summary>
public sealed class DeadFramePool
{
    private const int Capacity = 64;
    private readonly DeadFrame[] _spare = new DeadFrame[Capacity];
    private int _count;

    /// <summary>A frame with at least the default room (64 ints, 16 floats, 64 refs).</summary>
    public DeadFrame Take() => _count > 0 ? _spare[--_count] : new DeadFrame(64, 16, 64);

    /// <summary>A frame with room for the given counts.</summary>
    public DeadFrame Take(int ints, int floats, int refs)
    {
        var dead = Take();
        dead.EnsureCapacity(ints, floats, refs);
        return dead;
    }

    /// <summary>Takes <paramref name="dead"/> back, cleared of references so it keeps no object alive.</summary>
    public void GiveBack(DeadFrame dead)
    {
        dead.ClearRefs();
        if (_count < Capacity) _spare[_count++] = dead;
    }

    /// <summary><see cref="GiveBack(DeadFrame)"/> for a frame whose refs beyond the first <paramref name="refs"/> (and slot 0)
    /// were not written since it was taken: a direct call's arguments, after a plain finish.</summary>
    public void GiveBack(DeadFrame dead, int refs)
    {
        dead.ClearRefs(Math.Max(refs, 1));
        if (_count < Capacity) _spare[_count++] = dead;
    }
}
