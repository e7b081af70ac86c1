using MetaJit.Engine.Descriptors;
using MetaJit.Engine.Resume;
using MetaJit.Engine.Trace;

namespace MetaJit.Engine.Optimizer;

/// <summary>
/// The optimizer's entry (RPython's optimizeopt). In: a recorded trace (a loop
/// <c>label(inputs, descr=start) ... jump(args, descr=start)</c>, or a bridge from a guard). Out: a new,
/// equivalent trace; the input is not changed. The tour:
/// <list type="bullet">
/// <item><see cref="OptimizationRun"/> pushes each op through the pass chain, in RPython's order:
/// <see cref="IntBoundsPass"/> (IntBoundsPass.cs), <see cref="RewritePass"/>, <see cref="VirtualizePass"/>,
/// <see cref="StringPass"/>, <see cref="HeapPass"/>, <see cref="PurePass"/>; value knowledge (forwarding,
/// bounds in <see cref="IntBound"/>, classes, nullness) lives in the run and is shared by the passes.</item>
/// <item>At the output end, <see cref="ResumeFinalizer"/> gives every guard its own resume data, describing
/// virtual objects in its fail args as <see cref="VirtualRecipe"/>s, and what the loop knew about them for bridges
/// (<see cref="FailArgKnowledge"/>; the heap cache through <see cref="BridgeHeapFacts"/>).</item>
/// <item><see cref="Unroller"/> (unroll) peels one iteration: preamble, new label, body optimized against the
/// state at the label; <see cref="DeadOps"/> removes what became unused.</item>
/// </list>
/// Which passes run: <see cref="OptimizerOptions"/> (JIT parameter <c>enable_opts</c>). docs/optimizer.md has the details.
/// </summary>
/// <example><code>
/// var optimized = TraceOptimizer.OptimizeLoop(trace, OptimizerOptions.FromParams());
/// var bridge = TraceOptimizer.OptimizeBridge(bridgeTrace, failingGuard, OptimizerOptions.FromParams());
/// </code></example>
public static class TraceOptimizer
{
    /// <summary>Optimizes a loop; with unroll on, peels one iteration (keeping the start label as the entry).</summary>
    public static TreeLoop OptimizeLoop(TreeLoop loop, OptimizerOptions? options = null)
    {
        options ??= OptimizerOptions.FromParams();
        if (options.Has(OptimizerPasses.Unroll) && new Unroller(loop, options).TryUnroll() is { } unrolled) return unrolled;
        return Optimize(loop, options);
    }

    /// <summary>
    /// Optimizes a bridge whose inputs are <paramref name="guard"/>'s fail args, starting from what the loop's
    /// optimizer knew about them there (<see cref="ResumeData.Knowledge"/>: classes, non-null, int ranges; and
    /// <see cref="ResumeData.HeapFacts"/>: fields, lengths and items its heap cache held). Objects the loop kept virtual
    /// at the guard (its <see cref="ResumeData.Virtuals"/>) arrive as NULL placeholders; the bridge starts by
    /// rebuilding them from their fields, and the passes keep them virtual where they can.
    /// </summary>
    public static TreeLoop OptimizeBridge(TreeLoop bridge, ResOperation guard, OptimizerOptions? options = null)
    {
        options ??= OptimizerOptions.FromParams();
        var run = new OptimizationRun(new OptimizerOptions(options.Passes & ~OptimizerPasses.Unroll));
        var data = guard.ResumeData as ResumeData;
        Constants(run, bridge.InputArgs, guard.FailArgs, data?.Virtuals);
        if (data?.Knowledge is { } knowledge && knowledge.Length == bridge.InputArgs.Length) Assume(run, bridge.InputArgs, knowledge);
        FailedCondition(run, bridge.InputArgs, guard);
        if (data != null)
        {
            if (data.Virtuals is { Count: > 0 } virtuals) RebuildVirtuals(run, bridge.InputArgs, virtuals, data.Consts);
            // A bridge of a specialized entry still holds the entry's virtual arguments (made or not).
            foreach (var e in data.EntryObjects)
                if (e.Slot >= 0 && e.Slot < bridge.InputArgs.Length) run.SetEntryInput(bridge.InputArgs[e.Slot], e.Input);
            RedoLazyWrites(run, bridge.InputArgs, data);
            BridgeHeapFacts.Seed(run, bridge.InputArgs, data); // after the writes: redoing one forgets the field elsewhere
        }
        run.SetInput(bridge.Operations);
        foreach (var op in bridge.Operations) run.Send(op);
        run.Heap?.Finish();
        return new TreeLoop(bridge.InputArgs, DeadOps.Remove(run.Output), bridge.Name);
    }

    /// <summary>Runs the passes once over any trace (no peeling).</summary>
    public static TreeLoop Optimize(TreeLoop trace, OptimizerOptions options)
    {
        var run = new OptimizationRun(options);
        run.SetInput(trace.Operations);
        foreach (var op in trace.Operations) run.Send(op);
        run.Heap?.Finish();
        return new TreeLoop(trace.InputArgs, DeadOps.Remove(run.Output), trace.Name);
    }

    /// <summary>
    /// Optimizes a recorded trace of a loop or function entry again, for calls whose arguments have
    /// <paramref name="shape"/> (some virtual): the result starts at <c>label(leaves, descr=token)</c>, its inputs
    /// the shape's leaves, and the arguments' virtual parts are virtuals of its own from the start (allocated only
    /// where they escape or a guard fails). A jump back to the recorded trace's own label goes to that label, the
    /// generic entry, with the virtuals allocated (no peeling here).
    /// </summary>
    internal static TreeLoop OptimizeSpecializedEntry(TreeLoop recorded, EntryShape shape, TargetToken token, OptimizerOptions options)
    {
        var ops = recorded.Operations;
        if (ops.Length == 0 || ops[0].Num != OpNum.Label || ops[0].Args.Length != shape.Count)
            throw new ArgumentException("A specialized entry is made from a trace that starts at a label taking the call's arguments.", nameof(recorded));
        var run = new OptimizationRun(new OptimizerOptions(options.Passes & ~OptimizerPasses.Unroll));
        var inputs = shape.Leaves.Select(k => new InputArg(k)).ToArray();
        run.EmitRaw(new ResOperation(OpNum.Label, inputs, token));
        var values = shape.Import(run, inputs);
        for (int k = 0; k < values.Length; k++)
        {
            run.MakeEqual(ops[0].Args[k], values[k]);
            if (shape.IsVirtual(k)) run.SetEntryInput(values[k], k);
        }
        run.SetInput(ops);
        for (int i = 1; i < ops.Length; i++) run.Send(ops[i]);
        run.Heap?.Finish();
        return new TreeLoop(inputs, DeadOps.Remove(run.Output), recorded.Name);
    }

    /// <summary>A fail arg the loop's optimizer made a constant arrives as an input of the bridge, always with that
    /// value: the bridge uses the constant (a virtual's placeholder NULL is not one).</summary>
    private static void Constants(OptimizationRun run, InputArg[] inputs, Value[]? failArgs, Dictionary<int, VirtualRecipe>? virtuals)
    {
        if (failArgs == null || failArgs.Length != inputs.Length) return;
        for (int i = 0; i < inputs.Length; i++)
            if (failArgs[i] is Const c && c.Kind == inputs[i].Kind && virtuals?.ContainsKey(i) != true) run.MakeEqual(inputs[i], c);
    }

    /// <summary>The bridge runs because its guard failed: a <c>guard_true</c>'s condition was 0, a
    /// <c>guard_false</c>'s was not (1 when it is a boolean), a <c>guard_nonnull</c>'s reference was null and a
    /// <c>guard_isnull</c>'s was not, wherever the value is among the fail args; and what a failed comparison tells
    /// about its arguments among them (intbounds: <c>int_is_true(x)</c> false makes x 0, <c>int_eq(x, 3)</c> true
    /// makes it 3, <c>int_lt(x, 10)</c> false bounds it below).</summary>
    private static void FailedCondition(OptimizationRun run, InputArg[] inputs, ResOperation guard)
    {
        if (guard.Num is not (OpNum.GuardTrue or OpNum.GuardFalse or OpNum.GuardNonnull or OpNum.GuardIsnull)) return;
        if (guard.FailArgs is not { } failArgs || failArgs.Length != inputs.Length) return;
        Value? InBridge(Value v)
        {
            if (v is Const) return v;
            int k = Array.FindIndex(failArgs, a => ReferenceEquals(a, v));
            return k >= 0 && inputs[k].Kind == v.Kind ? inputs[k] : null;
        }
        var cond = guard.Args[0];
        if (guard.Num is OpNum.GuardNonnull or OpNum.GuardIsnull)
        {
            if (InBridge(cond) is not InputArg p) return;
            if (guard.Num == OpNum.GuardNonnull) run.MakeEqual(p, ConstPtr.Null);
            else run.SetNonNull(p);
            return;
        }
        bool holds = guard.Num == OpNum.GuardFalse;
        if (InBridge(cond) is InputArg c)
        {
            if (!holds) run.MakeEqual(c, new ConstInt(0));
            else if (run.BoundOf(c) is { Lo: >= 0, Hi: <= 1 }) run.MakeEqual(c, new ConstInt(1));
        }
        if (run.IntBounds == null || cond is not ResOperation { Args.Length: 1 or 2 } cmp) return;
        var args = cmp.Args.Select(InBridge).ToArray();
        if (args.Any(a => a == null)) return;
        run.IntBounds.Learn(new ResOperation(cmp.Num, args!, cmp.Descr), holds); // (a range of one value: a constant)
    }

    /// <summary>The bridge's inputs are the guard's fail args: what was known about them still holds.</summary>
    private static void Assume(OptimizationRun run, InputArg[] inputs, FailArgKnowledge[] knowledge)
    {
        for (int i = 0; i < inputs.Length; i++)
        {
            var fact = knowledge[i];
            if (fact.IsEmpty) continue;
            if (inputs[i].Kind == ValueKind.Int) run.SetBound(inputs[i], new IntBound(fact.Lo, fact.Hi));
            else if (inputs[i].Kind == ValueKind.Ref)
            {
                if (fact.Class != null) run.SetKnownClass(inputs[i], fact.Class);
                else if (fact.NonNull) run.SetNonNull(inputs[i]);
            }
        }
    }

    /// <summary>Stores the loop kept back past the guard (<see cref="PendingWrite.Lazy"/>): compiled code enters the
    /// bridge without resuming, so the bridge does them first (the passes may keep them lazy again).</summary>
    private static void RedoLazyWrites(OptimizationRun run, InputArg[] inputs, ResumeData data)
    {
        Value At(int slot) => slot < 0 ? data.Consts[-slot - 1] : run.Get(inputs[slot]);
        foreach (var w in data.Writes)
        {
            if (!w.Lazy) continue;
            run.SendNew(w.Item is { } item
                ? new ResOperation(OpNum.SetarrayitemGc, [At(w.ObjectSlot), At(w.IndexSlot), At(w.ValueSlot)], item)
                : new ResOperation(OpNum.SetfieldGc, [At(w.ObjectSlot), At(w.ValueSlot)], w.Field));
        }
    }

    private static void RebuildVirtuals(OptimizationRun run, InputArg[] inputs, Dictionary<int, VirtualRecipe> virtuals, Const[] consts)
    {
        var made = new Dictionary<int, ResOperation>();
        // A field's value is another virtual (made here), a constant of the resume data (negative slot) or an input.
        Value ValueAt(int s) => s < 0 ? consts[-s - 1] : run.Get(made.TryGetValue(s, out var a) ? a : inputs[s]);
        // Strings first, each after the strings it is made from: sent as the call that makes them, so the string
        // pass keeps them virtual again where it can (their arguments are never virtual objects).
        void MakeString(int slot, VirtualRecipe recipe)
        {
            if (made.ContainsKey(slot)) return;
            foreach (var s in recipe.ValueSlots)
                if (virtuals.TryGetValue(s, out var inner) && inner.TypeOrArray is CallDescr) MakeString(s, inner);
            var args = recipe.ValueSlots.Select(ValueAt).ToArray();
            var call = new ResOperation(OpNum.CallR, args, recipe.TypeOrArray);
            made[slot] = call;
            run.SendNew(call);
            run.MakeEqual(inputs[slot], call);
        }
        foreach (var (slot, recipe) in virtuals.OrderBy(kv => kv.Key))
            if (recipe.TypeOrArray is CallDescr) MakeString(slot, recipe);
        foreach (var (slot, recipe) in virtuals.OrderBy(kv => kv.Key))
        {
            if (recipe.TypeOrArray is CallDescr) continue;
            var alloc = recipe.TypeOrArray is ArrayDescr
                ? new ResOperation(OpNum.NewArrayClear, [new ConstInt(recipe.Length)], recipe.TypeOrArray)
                : new ResOperation(OpNum.NewWithVtable, [], recipe.TypeOrArray);
            made[slot] = alloc;
            run.SendNew(alloc);
            run.MakeEqual(inputs[slot], alloc);
        }
        foreach (var (slot, recipe) in virtuals.OrderBy(kv => kv.Key))
        {
            if (recipe.TypeOrArray is CallDescr) continue;
            var obj = run.Get(made[slot]);
            for (int k = 0; k < recipe.ValueSlots.Length; k++)
                run.SendNew(recipe.TypeOrArray is ArrayDescr
                    ? new ResOperation(OpNum.SetarrayitemGc, [obj, new ConstInt(k), ValueAt(recipe.ValueSlots[k])], recipe.TypeOrArray)
                    : new ResOperation(OpNum.SetfieldGc, [obj, ValueAt(recipe.ValueSlots[k])], recipe.Fields[k]));
        }
    }
}
