using MetaJit.Engine.Trace;

namespace MetaJit.Engine.Resume;

/// <summary>
/// What a guard needs to leave compiled code (RPython's resume data): the JitCode frames to rebuild, bottom
/// (the portal) first, each register mapped to one of the guard's fail args or to a constant, plus whether
/// an exception is pending (guard_no_exception: the call ran and raised; the blackhole handles it at the
/// call's pc). The optimizer may replace the guard's fail args with equivalent values (same kind) and
/// record how to rebuild virtual objects in <see cref="Virtuals"/>; the slots keep pointing at indices.
/// </summary>
public sealed class ResumeData
{
    /// <summary>Creates resume data.</summary>
    public ResumeData(ResumeFrame[] frames, Const[] consts, bool exceptionPending)
    {
        Frames = frames;
        Consts = consts;
        ExceptionPending = exceptionPending;
    }

    /// <summary>The frames, bottom first.</summary>
    public ResumeFrame[] Frames { get; }

    /// <summary>Constants referenced by slots.</summary>
    public Const[] Consts { get; }

    /// <summary>True for a guard after a call (guard_no_exception, guard_exception): resume by raising the caught
    /// exception at the top frame's pc (the call's), or, when the call did not raise, by completing the call
    /// (see <see cref="CallResultSlot"/>).</summary>
    public bool ExceptionPending { get; }

    /// <summary>
    /// For guard_exception after a call (<see cref="ExceptionPending"/>): the slot (a fail-arg index, or a constant
    /// as -1-k) holding the call's result, or null for a call without result. When the guard fails because the call
    /// returned normally, resume stores it into the call's destination register and continues after the call.
    /// </summary>
    public int? CallResultSlot { get; init; }

    /// <summary>Stores compiled code kept back (values it held in registers, e.g. a virtualizable's fields, and
    /// the heap pass's lazy stores): resuming performs them, in order, before the blackhole runs. The lazy ones come
    /// first: they were stores of the trace before the guard, while a virtualizable's held fields are its state at
    /// the guard, so they win when both name one place. Slots as in <see cref="ResumeFrame"/>.</summary>
    public PendingWrite[] Writes { get; init; } = [];

    /// <summary>The slot of the trace's virtualizable object at this guard, or <see cref="NoSlot"/>; a bridge
    /// traced from the guard starts with it and with the values of its fields among <see cref="Writes"/>.</summary>
    public int VableSlot { get; init; } = NoSlot;

    /// <summary>"No slot": <see cref="VableSlot"/> of a trace without virtualizable.</summary>
    public const int NoSlot = int.MinValue;

    /// <summary>Virtual objects the optimizer did not allocate: fail-arg index -> how to build it.</summary>
    public Dictionary<int, VirtualRecipe>? Virtuals { get; set; }

    /// <summary>
    /// For a guard of a specialized entry (or of its bridges): the slots holding the objects the entry received as
    /// virtual arguments (<see cref="EntryObject.Input"/>: which argument), virtual here or allocated since.
    /// Leaving compiled code through the guard hands them to the invocation's caller (<see cref="EntryHandBack"/>),
    /// which may look at them if the invocation raises.
    /// </summary>
    public EntryObject[] EntryObjects { get; init; } = [];

    /// <summary>
    /// What the optimizer knew about each fail arg at the guard (same indices as the fail args), or null when
    /// nothing was known; bridges from the guard are optimized starting from it.
    /// </summary>
    public FailArgKnowledge[]? Knowledge { get; set; }

    /// <summary>What the loop's heap cache knew at the guard about its fail args (fields, lengths, items), true once
    /// the lazy <see cref="Writes"/> are done; bridges from the guard start their heap cache with it.</summary>
    public HeapFact[] HeapFacts { get; init; } = [];

    /// <summary>For each fail arg, its index among the fail args of its kind (the dead frame's layout); cached.</summary>
    internal int[]? KindIndex { get; set; }

    /// <summary>A copy with <paramref name="writes"/> as its pending writes (the optimizer gives each guard its own),
    /// and <paramref name="consts"/> (a superset of <see cref="Consts"/>, same order) when given.</summary>
    internal ResumeData WithWrites(PendingWrite[] writes, Const[]? consts = null) => new(Frames, consts ?? Consts, ExceptionPending)
    {
        Virtuals = Virtuals,
        CallResultSlot = CallResultSlot,
        Knowledge = Knowledge,
        HeapFacts = HeapFacts,
        Writes = writes,
        VableSlot = VableSlot,
    };

    /// <summary>How many times the guard failed (for bridges).</summary>
    public int Failures { get; set; }

    /// <summary>Set when a bridge was tried from this guard and failed; retried after more failures.</summary>
    public int BridgeAttempts { get; set; }

    /// <summary>Bridges from this guard that stopped at a loop not compiled yet (not the bridge's fault: tried
    /// again once that loop is compiled, up to a bound so a loop that never compiles does not retrace forever).</summary>
    public int BridgeRetries { get; set; }

    /// <summary>The loop the last bridge from here stopped at, uncompiled then: once it is compiled, the next
    /// failure traces the bridge again without waiting for the eagerness count (cleared when traced).</summary>
    public Runtime.JitCell? BridgeWaitsFor { get; set; }
}

/// <summary>
/// One store to do when leaving compiled code. <see cref="Target"/> says which kind:
/// <list type="bullet">
/// <item>a <see cref="Descriptors.FieldDescr"/>: <c>obj.Field = value</c> (<see cref="Index"/> -1) or
/// <c>obj.Field[Index] = value</c> (Field an array field, Index a constant: a virtualizable's array item);</item>
/// <item>an <see cref="Descriptors.ArrayDescr"/> (made by <see cref="ArrayItem"/>): <c>array[index] = value</c>,
/// the array being the object itself and the index read from <see cref="IndexSlot"/>.</item>
/// </list>
/// <see cref="ObjectSlot"/>, <see cref="ValueSlot"/> and <see cref="IndexSlot"/> are slots as in
/// <see cref="ResumeFrame.Slots"/> (fail-arg index, or -(c+1) for a constant).
/// <see cref="Lazy"/>: a store the optimizer's heap pass kept back past the guard (not a virtualizable's field);
/// a bridge from the guard starts by doing it, since compiled code enters a bridge without resuming.
/// </summary>
public sealed record PendingWrite(int ObjectSlot, Descriptors.Descr Target, int Index, int ValueSlot, bool Lazy = false)
{
    /// <summary>The field written (for a field or virtualizable-array write); throws for an array item write.</summary>
    public Descriptors.FieldDescr Field => Target as Descriptors.FieldDescr
        ?? throw new InvalidOperationException("An array item write has no field.");

    /// <summary>The array type of an array item write (<see cref="ArrayItem"/>), or null.</summary>
    public Descriptors.ArrayDescr? Item => Target as Descriptors.ArrayDescr;

    /// <summary>For an array item write: the slot of the index.</summary>
    public int IndexSlot { get; init; } = ResumeData.NoSlot;

    /// <summary>A store the heap pass kept back into an item: <c>array[index] = value</c>, all three given by slots.</summary>
    public static PendingWrite ArrayItem(int arraySlot, Descriptors.ArrayDescr array, int indexSlot, int valueSlot) =>
        new(arraySlot, array, -1, valueSlot, Lazy: true) { IndexSlot = indexSlot };
}

/// <summary>
/// How to make an object the compiled code never made, by what <see cref="TypeOrArray"/> is:
/// <list type="bullet">
/// <item>a <see cref="Descriptors.TypeDescr"/> or <see cref="Descriptors.ArrayDescr"/>: allocate it and store each
/// field or item (<see cref="Fields"/>, <see cref="Length"/>) from its value slot (filled by the virtualize pass);</item>
/// <item>a <see cref="Descriptors.CallDescr"/>: call that method (a pure one, such as a string concatenation or
/// slice the string pass kept virtual) with the values of <see cref="ValueSlots"/> as its arguments; the result
/// is the object. <see cref="Fields"/> is empty.</item>
/// </list>
/// Value slots are fail-arg indices (or constants, -(c+1)), which may themselves be virtual.
/// </summary>
public sealed record VirtualRecipe(Descriptors.Descr TypeOrArray, Descriptors.Descr[] Fields, int[] ValueSlots, int Length = -1)
{
    /// <summary>For a virtual the trace passed to a specialized entry (argument <see cref="HandBack.Input"/> of the
    /// call before the guard): if the callee made the object (it raised after leaving its compiled code), resuming
    /// uses that one, as it changed it; otherwise it is built from this recipe.</summary>
    public HandBack? HandBack { get; init; }
}

/// <summary>Where a virtual argument of a specialized call comes back from: <see cref="Descriptors.CallAssemblerDescr.TakeHandedBack"/>
/// of the call's descr, for argument <paramref name="Input"/>.</summary>
public sealed record HandBack(Descriptors.CallAssemblerDescr Call, int Input);

/// <summary>A slot of a specialized entry's guard that holds the entry's virtual argument <paramref name="Input"/>.</summary>
public readonly record struct EntryObject(int Slot, int Input);
