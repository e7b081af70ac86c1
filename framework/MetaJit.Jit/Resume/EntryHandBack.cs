namespace MetaJit.Engine.Resume;

/// <summary>
/// The objects one invocation of a specialized entry made for its virtual arguments (docs/engine.md,
/// "Specialized entries"). The caller kept them virtual and passed their fields; when the invocation leaves its
/// compiled code (a guard fails), resuming builds them for real, and from then on the callee runs on those. If
/// the invocation then raises, the caller's exception path may look at them (Lox's wrapper reads the callee
/// frame's line), so the call hands them back (<see cref="Descriptors.CallAssemblerDescr.TakeHandedBack"/>).
/// </summary>
public sealed class EntryHandBack
{
    [ThreadStatic] private static EntryHandBack? _current;

    private EntryHandBack(int count, EntryHandBack? outer)
    {
        Objects = new object?[count];
        _outer = outer;
    }

    private readonly EntryHandBack? _outer;

    /// <summary>Per argument of the call, the object made for it (null: not made).</summary>
    public object?[] Objects { get; }

    /// <summary>The invocation's first exit from compiled code recorded its objects: later exits are of generic
    /// code running on them.</summary>
    public bool Filled { get; private set; }

    /// <summary>The invocation collecting now, if any.</summary>
    internal static EntryHandBack? Current => _current;

    /// <summary>Starts collecting for an invocation whose call has <paramref name="count"/> arguments (invocations
    /// nest: each collects its own).</summary>
    public static EntryHandBack Enter(int count) => _current = new EntryHandBack(count, _current);

    /// <summary>Stops collecting for <paramref name="invocation"/>.</summary>
    public static void Leave(EntryHandBack invocation) => _current = invocation._outer;

    /// <summary>Records the objects of the running invocation, if none are recorded yet.</summary>
    internal static void Record(ResumeData data, Func<int, object?> slot)
    {
        if (data.EntryObjects.Length == 0 || _current is not { Filled: false } invocation) return;
        foreach (var e in data.EntryObjects)
            if (e.Input < invocation.Objects.Length) invocation.Objects[e.Input] = slot(e.Slot);
        invocation.Filled = true;
    }

    /// <summary>Records objects the invocation made otherwise (its arguments built for the generic entry).</summary>
    internal void Record(object?[] made)
    {
        if (Filled) return;
        for (int k = 0; k < made.Length && k < Objects.Length; k++) Objects[k] = made[k];
        Filled = true;
    }
}
