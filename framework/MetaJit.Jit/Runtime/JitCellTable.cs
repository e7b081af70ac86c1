namespace MetaJit.Engine.Runtime;

/// <summary>
/// The cells of one portal, by green key: an open hash table probed with the key held in scratch arrays,
/// so counting a backward jump allocates nothing. One table per portal; interpreters run single-threaded.
/// </summary>
internal sealed class JitCellTable
{
    private JitCell?[] _buckets = new JitCell?[256];
    private int _count;
    private JitCell? _last; // a loop running in the interpreter asks for the same key at each backward jump

    /// <summary>Scratch key: the current green values in register form, filled by the hook.</summary>
    public readonly long[] KeyInts;
    public readonly object?[] KeyRefs;
    public readonly double[] KeyFloats;

    public JitCellTable(int greens)
    {
        KeyInts = new long[greens];
        KeyRefs = new object?[greens];
        KeyFloats = new double[greens];
    }

    /// <summary>All cells.</summary>
    public IEnumerable<JitCell> Cells
    {
        get
        {
            foreach (var head in _buckets)
                for (var c = head; c != null; c = c.Next)
                    yield return c;
        }
    }

    /// <summary>The cell of the key in the scratch arrays, created on first sight.</summary>
    public JitCell Lookup()
    {
        var last = _last;
        if (last != null && Matches(last)) return last;
        int hash = KeyHash();
        int index = hash & (_buckets.Length - 1);
        for (var c = _buckets[index]; c != null; c = c.Next)
            if (c.Hash == hash && Matches(c))
                return _last = c;
        var cell = new JitCell(hash, (long[])KeyInts.Clone(), (object?[])KeyRefs.Clone(), (double[])KeyFloats.Clone());
        cell.Next = _buckets[index];
        _buckets[index] = cell;
        if (++_count > _buckets.Length * 2) Grow();
        return _last = cell;
    }

    private int KeyHash()
    {
        int h = 17;
        for (int i = 0; i < KeyInts.Length; i++)
        {
            h = h * 31 + KeyInts[i].GetHashCode();
            h = h * 31 + (KeyRefs[i] == null ? 0 : System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(KeyRefs[i]!));
            h = h * 31 + KeyFloats[i].GetHashCode();
        }
        return h ^ (h >> 16);
    }

    private bool Matches(JitCell c)
    {
        for (int i = 0; i < KeyInts.Length; i++)
            if (c.GreenInts[i] != KeyInts[i] || !ReferenceEquals(c.GreenRefs[i], KeyRefs[i])
                || BitConverter.DoubleToInt64Bits(c.GreenFloats[i]) != BitConverter.DoubleToInt64Bits(KeyFloats[i]))
                return false;
        return true;
    }

    private void Grow()
    {
        var old = _buckets;
        _buckets = new JitCell?[old.Length * 2];
        foreach (var head in old)
        {
            for (var c = head; c != null;)
            {
                var next = c.Next;
                int index = c.Hash & (_buckets.Length - 1);
                c.Next = _buckets[index];
                _buckets[index] = c;
                c = next;
            }
        }
    }
}
