using MetaJit.Engine.Descriptors;

namespace MetaJit.Engine.Runtime;

/// <summary>Where a green key stands in its life: counted, being traced, compiled, or given up on.</summary>
public enum JitCellState
{
    /// <summary>Counting backward jumps.</summary>
    Counting,
    /// <summary>A trace starting here is being recorded.</summary>
    Tracing,
    /// <summary>A compiled loop starts here.</summary>
    Compiled,
    /// <summary>Tracing from here failed too often; never trace here again.</summary>
    DontTraceHere,
}

/// <summary>
/// The engine's state for one green key of one portal (RPython's JitCell): the warm-up counter, the state,
/// and the compiled loop, if any. Green values are kept in register form for comparison.
/// </summary>
public sealed class JitCell
{
    internal JitCell(int hash, ValueKind[] kinds, long[] greenInts, object?[] greenRefs, double[] greenFloats)
    {
        _kinds = kinds;
        Hash = hash;
        GreenInts = greenInts;
        GreenRefs = greenRefs;
        GreenFloats = greenFloats;
    }

    internal readonly int Hash;
    private readonly ValueKind[] _kinds; // each green's register kind: only that slot of the three arrays is the key
    internal readonly long[] GreenInts;
    internal readonly object?[] GreenRefs;
    internal readonly double[] GreenFloats;
    internal JitCell? Next;

    /// <summary>Green <paramref name="index"/> of the key, in register form: a long for integer kinds, a double for
    /// floats, the object for references (for logs and tests).</summary>
    public object? Green(int index) => _kinds[index] switch
    {
        ValueKind.Int => GreenInts[index],
        ValueKind.Float => GreenFloats[index],
        _ => GreenRefs[index],
    };

    /// <summary>Backward jumps counted (decays at each compilation).</summary>
    public int Counter { get; internal set; }

    /// <summary>The engine's <c>DecayEpoch</c> when <see cref="Counter"/> was last brought up to date.</summary>
    internal int Epoch;

    /// <summary>The state.</summary>
    public JitCellState State
    {
        get => _state;
        internal set
        {
            _state = value;
            QuietJumps = 0;
        }
    }

    private JitCellState _state;

    /// <summary>
    /// Backward jumps the hook may count here without asking <see cref="PortalRuntime"/> anything
    /// (<see cref="PortalRuntime.IsHot"/>'s quiet path): positive only while the cell is counting in JIT mode with
    /// nothing pending, and valid only while the engine's <c>QuietEpoch</c> equals <see cref="QuietEpoch"/>
    /// (a compilation, which decays counters, or a parameter change ends it). The last jump before the threshold
    /// always takes the full path.
    /// </summary>
    internal int QuietJumps;

    /// <summary>The engine's <c>QuietEpoch</c> when <see cref="QuietJumps"/> was set.</summary>
    internal int QuietEpoch;

    /// <summary>A recursive portal call that reaches this key first (a function entry) is not inlined: a trace
    /// that inlined it became too long. The call stays a call, which runs this key's own compiled code.</summary>
    public bool DontInline { get; internal set; }

    /// <summary>Another trace stopped here because this loop is not compiled: the next backward jump here traces
    /// it, whatever the counter (which decays, so a boosted counter could fall back before it is reached).</summary>
    internal bool TraceSoon
    {
        get => _traceSoon;
        set
        {
            _traceSoon = value;
            QuietJumps = 0;
        }
    }

    private bool _traceSoon;

    /// <summary>With <see cref="TraceSoon"/>: the loop this key's own last trace stopped at; tracing here again
    /// waits until that loop is no longer merely counting (compiled, or given up).</summary>
    internal JitCell? WaitsFor;

    /// <summary>CanEnterJit has been reached with this key (run or traced): a loop header or function entry, as
    /// opposed to a key only ever seen at the merge point.</summary>
    internal bool IsHeader;

    /// <summary>Backward jumps (or entries) that reached <c>CanEnterJit</c> with this key from interpreted code: the
    /// iterations the interpreter ran, not counting those run by compiled code. Never decays.</summary>
    public long Jumps { get; internal set; }

    /// <summary>Times compiled code was entered at this key from interpreted code: by <c>CanEnterJit</c>, or where a
    /// trace ended (not by other compiled code jumping here, nor by <c>call_assembler</c>).</summary>
    public long Entries { get; internal set; }

    /// <summary>Traces from here that aborted.</summary>
    public int Aborts { get; internal set; }

    /// <summary>The compiled loop entered from here (the engine's own object), or null.</summary>
    public object? CompiledLoop { get; internal set; }
}
