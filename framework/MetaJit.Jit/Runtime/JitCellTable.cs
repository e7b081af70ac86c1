using MetaJit.Engine.Descriptors;

namespace MetaJit.Engine.Runtime;

/// <summary>
/// The cells of one portal, by green key: a chained hash table probed with the key held in scratch arrays,
/// so counting a backward jump allocates nothing. One table per portal; interpreters run single-threaded.
/// Each green has one kind (its register class at the merge point), so hashing and matching read only that
/// kind's scratch slot: this probe runs at every backward jump of the native interpreter.
/// </summary>
internal sealed class JitCellTable
{
    private JitCell?[] _buckets = new JitCell?[256];
    private int _count;
    private JitCell? _last; // a loop running in the interpreter asks for the same key at each backward jump
    private readonly ValueKind[] _kinds;
    private readonly object?[] _hashedRefs; // per green: the last reference hashed, and its identity hash
    private readonly int[] _refHashes;

    /// <summary>Scratch key: the current green values in register form, filled by the hook.</summary>
    public readonly long[] KeyInts;
    public readonly object?[] KeyRefs;
    public readonly double[] KeyFloats;

    /// <summary>A table for keys whose greens have the register kinds <paramref name="greenKinds"/>.</summary>
    public JitCellTable(ValueKind[] greenKinds)
    {
        int greens = greenKinds.Length;
        _kinds = greenKinds;
        KeyInts = new long[greens];
        KeyRefs = new object?[greens];
        KeyFloats = new double[greens];
        _hashedRefs = new object?[greens];
        _refHashes = new int[greens];
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
        var cell = new JitCell(hash, _kinds, (long[])KeyInts.Clone(), (object?[])KeyRefs.Clone(), (double[])KeyFloats.Clone());
        cell.Next = _buckets[index];
        _buckets[index] = cell;
        if (++_count > _buckets.Length * 2) Grow();
        return _last = cell;
    }

    private int KeyHash()
    {
        uint h = 17;
        var kinds = _kinds;
        for (int i = 0; i < kinds.Length; i++)
        {
            long bits = kinds[i] switch
            {
                ValueKind.Int => KeyInts[i],
                ValueKind.Float => BitConverter.DoubleToInt64Bits(KeyFloats[i]),
                _ => RefHash(i),
            };
            h = (h ^ (uint)bits ^ (uint)(bits >> 32)) * 0x9E3779B1u; // Fibonacci hashing spreads nearby pcs
        }
        return (int)(h ^ (h >> 15));
    }

    // The identity hash reads the object header; greens such as the program object repeat at every jump.
    private int RefHash(int i)
    {
        var obj = KeyRefs[i];
        if (obj == null) return 0;
        if (ReferenceEquals(obj, _hashedRefs[i])) return _refHashes[i];
        int hash = System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(obj);
        _hashedRefs[i] = obj;
        _refHashes[i] = hash;
        return hash;
    }

    private bool Matches(JitCell c)
    {
        var kinds = _kinds;
        for (int i = 0; i < kinds.Length; i++)
        {
            bool same = kinds[i] switch
            {
                ValueKind.Int => c.GreenInts[i] == KeyInts[i],
                ValueKind.Float => BitConverter.DoubleToInt64Bits(c.GreenFloats[i]) == BitConverter.DoubleToInt64Bits(KeyFloats[i]),
                _ => ReferenceEquals(c.GreenRefs[i], KeyRefs[i]),
            };
            if (!same) return false;
        }
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
