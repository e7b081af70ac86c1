using MetaJit.Engine.Descriptors;
using MetaJit.Engine.Resume;
using MetaJit.Engine.Trace;

namespace MetaJit.Engine.Optimizer;

/// <summary>
/// Gives an emitted guard its final fail args and its own resume data (RPython's store_final_boxes_in_guard).
/// A virtual fail arg becomes a NULL placeholder with a <see cref="VirtualRecipe"/> in
/// <see cref="ResumeData.Virtuals"/>; the values of its fields are appended as further fail args (a field
/// holding another virtual points at that virtual's placeholder, so sharing and cycles survive). Each virtual
/// gets one slot: the frames' slots are remapped so that every register holding it reads that slot, which
/// keeps object identity when <see cref="ResumeReader"/> materializes it. A string the string pass keeps virtual
/// gets a recipe too: the call that makes it (a <see cref="CallDescr"/>) and the slots of its arguments.
/// A value the passes made a constant gets no fail arg but a constant slot of the resume data (negative, into
/// <see cref="ResumeData.Consts"/>), and any other value one fail arg however often it is named, so exits move
/// only what varies.
/// </summary>
internal static class ResumeFinalizer
{
    public static void Finalize(ResOperation guard, OptimizationRun run)
    {
        var original = guard.FailArgs ?? [];
        var data = guard.ResumeData as ResumeData;
        var failArgs = new List<Value>();
        var slotOfVirtual = new Dictionary<Value, int>(ReferenceEqualityComparer.Instance);
        var slotOfValue = new Dictionary<Value, int>(ReferenceEqualityComparer.Instance);
        var pending = new List<Value>();
        var map = new int[original.Length];
        var consts = data?.Consts.ToList() ?? [];
        int Slot(Value v)
        {
            v = run.Get(v);
            if (run.IsVirtual(v) || run.VirtualStringCall(v) != null) return SlotOf(v, failArgs, slotOfVirtual, pending);
            if (v is Const c && data != null) return ConstSlot(c, consts);
            if (v is not Const && slotOfValue.TryGetValue(v, out int same)) return same; // one slot per value
            failArgs.Add(v);
            if (v is not Const) slotOfValue[v] = failArgs.Count - 1;
            return failArgs.Count - 1;
        }
        for (int i = 0; i < original.Length; i++)
            map[i] = data?.Virtuals?.ContainsKey(i) == true ? Placeholder(failArgs) : Slot(original[i]);
        Dictionary<int, VirtualRecipe>? recipes = null;
        for (int k = 0; k < pending.Count; k++)
        {
            var v = pending[k];
            recipes ??= new Dictionary<int, VirtualRecipe>();
            if (run.VirtualStringCall(v) is { } call)
            {
                // A string never made: the call that makes it, from its arguments (other virtual strings among them).
                recipes[slotOfVirtual[v]] = new VirtualRecipe(call.Descr!, [], call.Args.Select(Slot).ToArray());
                continue;
            }
            var info = run.Virtualize!.InfoOf(v)!;
            var slots = new int[info.Values.Count];
            for (int j = 0; j < slots.Length; j++) slots[j] = Slot(info.Values[j]);
            recipes[slotOfVirtual[v]] = new VirtualRecipe(info.Descr, info.Fields.ToArray(), slots, info.Length) { HandBack = run.HandBackOf(v) };
        }
        guard.FailArgs = failArgs.ToArray();
        // An ovf op's range holds once its guard_no_overflow passed; its bridge runs after it wrapped.
        var wrapped = guard.Num == OpNum.GuardNoOverflow && run.Output.Count > 0 ? run.Output[^1] : null;
        var knowledge = KnowledgeOf(guard.FailArgs, run, wrapped);
        int Map(int s) => s >= 0 && s < map.Length ? map[s] : s;
        var writes = data?.Writes.Select(w => w with { ObjectSlot = Map(w.ObjectSlot), ValueSlot = Map(w.ValueSlot), IndexSlot = Map(w.IndexSlot) }).ToArray() ?? [];
        int vableSlot = data == null || data.VableSlot == ResumeData.NoSlot ? ResumeData.NoSlot : Map(data.VableSlot);
        var heapFacts = BridgeHeapFacts.Collect(guard.FailArgs, writes, vableSlot, consts, run);
        var entryObjects = EntryObjectsOf(run, slotOfVirtual, slotOfValue);
        if (data == null && recipes == null && knowledge == null && heapFacts.Length == 0 && entryObjects.Length == 0) return;
        data ??= new ResumeData([], [], false);
        var frames = data.Frames.Select(f => f with { Slots = f.Slots.Select(Map).ToArray() }).ToArray();
        // Consts only grows at its end (constant values of heap facts), so the slots already given stay valid.
        guard.ResumeData = new ResumeData(frames, consts.Count == data.Consts.Length ? data.Consts : consts.ToArray(), data.ExceptionPending)
        {
            Virtuals = Merge(data.Virtuals, map, recipes),
            CallResultSlot = data.CallResultSlot is int r ? Map(r) : null,
            Knowledge = knowledge,
            HeapFacts = heapFacts,
            Writes = writes,
            VableSlot = vableSlot,
            EntryObjects = entryObjects,
        };
    }

    /// <summary>In a specialized entry (or its bridges): the slots holding the objects it received as virtual
    /// arguments, virtual or allocated since.</summary>
    private static EntryObject[] EntryObjectsOf(OptimizationRun run, Dictionary<Value, int> virtuals, Dictionary<Value, int> values)
    {
        if (!run.HasEntryInputs) return [];
        var found = new List<EntryObject>();
        foreach (var (v, slot) in virtuals)
            if (run.EntryInputOf(v) is int k) found.Add(new EntryObject(slot, k));
        foreach (var (v, slot) in values)
            if (run.EntryInputOf(v) is int k) found.Add(new EntryObject(slot, k));
        return found.ToArray();
    }

    /// <summary>
    /// The facts known about each fail arg. Called when the guard reaches the output end of the chain: the
    /// passes learn from a guard only after passing it on, so nothing here comes from the guard itself.
    /// </summary>
    private static FailArgKnowledge[]? KnowledgeOf(Value[] failArgs, OptimizationRun run, ResOperation? wrapped)
    {
        FailArgKnowledge[]? facts = null;
        for (int i = 0; i < failArgs.Length; i++)
        {
            var v = failArgs[i];
            if (v is Const || ReferenceEquals(v, wrapped)) continue;
            var fact = v.Kind switch
            {
                ValueKind.Ref when !run.IsVirtual(v) => new FailArgKnowledge(run.KnownClass(v), run.IsNonNull(v)),
                ValueKind.Int => new FailArgKnowledge(null, false, run.BoundOf(v).Lo, run.BoundOf(v).Hi),
                _ => FailArgKnowledge.Unknown,
            };
            if (fact.IsEmpty) continue;
            if (facts == null)
            {
                facts = new FailArgKnowledge[failArgs.Length];
                Array.Fill(facts, FailArgKnowledge.Unknown);
            }
            facts[i] = fact;
        }
        return facts;
    }

    /// <summary>
    /// The resume data's slot for a constant (a negative slot: <c>Consts[-slot - 1]</c>), not a fail arg: an exit
    /// moves and stores only what varies, and a bridge from the guard starts knowing the constant. Lox's guards
    /// carry many (the frame's pc, NULL stack slots, the function being run).
    /// </summary>
    private static int ConstSlot(Const c, List<Const> consts)
    {
        for (int k = 0; k < consts.Count; k++)
            if (SameValue.Same(consts[k], c)) return -k - 1;
        consts.Add(c);
        return -consts.Count;
    }

    /// <summary>A placeholder slot for a virtual that a recipe of the input guard describes (a trace optimized twice).</summary>
    private static int Placeholder(List<Value> failArgs)
    {
        failArgs.Add(ConstPtr.Null);
        return failArgs.Count - 1;
    }

    private static int SlotOf(Value v, List<Value> failArgs, Dictionary<Value, int> slotOfVirtual, List<Value> pending)
    {
        if (slotOfVirtual.TryGetValue(v, out int s)) return s;
        s = failArgs.Count;
        failArgs.Add(ConstPtr.Null);
        slotOfVirtual[v] = s;
        pending.Add(v);
        return s;
    }

    /// <summary>Recipes the input guard already had (a trace optimized twice) keep pointing at their remapped slots.</summary>
    private static Dictionary<int, VirtualRecipe>? Merge(Dictionary<int, VirtualRecipe>? old, int[] map, Dictionary<int, VirtualRecipe>? recipes)
    {
        if (old == null) return recipes;
        var merged = recipes ?? new Dictionary<int, VirtualRecipe>();
        foreach (var (slot, r) in old)
            if (slot < map.Length) merged[map[slot]] = r with { ValueSlots = r.ValueSlots.Select(s => s >= 0 && s < map.Length ? map[s] : s).ToArray() };
        return merged;
    }
}
