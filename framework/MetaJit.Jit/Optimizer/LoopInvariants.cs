using MetaJit.Engine.Descriptors;
using MetaJit.Engine.Trace;

namespace MetaJit.Engine.Optimizer;

/// <summary>
/// Hoisting for <see cref="Unroller"/> (RPython's short boxes, without the short preamble): what the preamble
/// has already computed about the values it passes to the loop label — a field read from a label value (heap
/// cache), an array length, an array item at a constant index, a pure op or an elidable call on label values —
/// is carried into the body as an extra label argument, and the body's heap and pure passes start knowing it, so
/// the body does not read or compute it again.
/// At the body's end each carried fact is computed for the values the jump passes (usually the heap or pure
/// cache answers with the label argument itself: a loop invariant costs nothing); a fact the body never used
/// is dropped from the label and the jump. Comparisons the preamble's guards decided (an index below a length)
/// are carried as known constants: the body drops its guard on the same comparison of the label values, and
/// the unroller keeps the fact only if the body proves it again for the values its jump passes (else it
/// optimizes the loop once more without it, see <see cref="KnownFactsHold"/>). Heap facts whose value the
/// preamble knows to be a constant (an instance's map after its <c>guard_value</c>) are carried the same way: the
/// body starts knowing the constant, so it drops the read and the guard, and the fact is kept only if the body's
/// heap cache still knows the same constant at its end. An array item is carried only where the body's cache
/// knows the item at the jump too (the body read or wrote it there, behind the tracer's index check): reading it
/// at the jump would be an access no guard protects. Bridges keep entering at the start label, so the extra
/// arguments need no short preamble.
/// </summary>
internal sealed class LoopInvariants
{
    private const int MaxFacts = 64;

    private enum FactKind { Field, Length, Item, Pure, KnownComparison }

    /// <summary>One fact: an op (getfield, arraylen, getarrayitem or a pure op) whose arguments are label leaves or
    /// constants.</summary>
    private sealed record Fact(FactKind Kind, OpNum Num, Descr? Descr, Arg[] Args, ValueKind ResultKind)
    {
        public int LeafIndex { get; set; }

        /// <summary>What the preamble knew of a reference fact's value (its exact class, or only non-null): the body
        /// assumes it too, and the jump must pass a value known the same way.</summary>
        public Type? Class { get; set; }
        public bool NonNull { get; set; }
    }

    /// <summary>An argument of a fact: a label leaf (by index) or a constant.</summary>
    private readonly record struct Arg(int Leaf, Const? Constant);

    private readonly List<Fact> _facts = new();
    private readonly List<(Fact Fact, ConstInt Value)> _known = new();
    private readonly List<(Fact Fact, Const Value)> _constants = new();
    private int _stateLeaves;

    /// <summary>A key for a known comparison that stays the same across the unroller's rounds.</summary>
    private static string KeyOf(Fact fact) =>
        fact.Num + "(" + string.Join(",", fact.Args.Select(a => a.Constant is { } c ? "c" + c : "l" + a.Leaf)) + ")";

    /// <summary>The key under which what is known of a fact's value (class, non-null) is refused.</summary>
    private static string KnowledgeKeyOf(Fact fact) => "known " + KeyOf(fact) + " " + fact.Descr?.Name;

    /// <summary>The key under which a heap fact with a constant value is refused.</summary>
    private static string ConstantKeyOf(Fact fact) => "constant " + KeyOf(fact) + " " + fact.Descr?.Name;

    /// <summary>
    /// Collects the facts known at the end of the preamble <paramref name="pre"/> about <paramref name="leaves"/>
    /// (the label's values) and appends each fact's value to <paramref name="leaves"/> as an extra label argument.
    /// </summary>
    public static LoopInvariants Collect(OptimizationRun pre, List<Value> leaves, ISet<string>? refused = null)
    {
        var result = new LoopInvariants { _stateLeaves = leaves.Count };
        var leafOf = new Dictionary<Value, int>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < leaves.Count; i++)
            if (leaves[i] is not Const) leafOf.TryAdd(leaves[i], i);
        // Values of the field and length facts: an elidable call's arguments may be one of them (a table read from
        // a field of a label value, say).
        var factLeafOf = new Dictionary<Value, int>(ReferenceEqualityComparer.Instance);
        bool ArgOf(Value v, out Arg arg, bool factLeaves = false)
        {
            v = pre.Get(v);
            if (v is Const c) { arg = new Arg(-1, c); return true; }
            if (leafOf.TryGetValue(v, out int i) || (factLeaves && factLeafOf.TryGetValue(v, out i))) { arg = new Arg(i, null); return true; }
            arg = default;
            return false;
        }
        // The args as label leaves or constants; null unless all map and one at least is not a constant.
        Arg[]? Mapped(Value[] args, bool factLeaves = false)
        {
            var mapped = new Arg[args.Length];
            for (int i = 0; i < args.Length; i++)
                if (!ArgOf(args[i], out mapped[i], factLeaves)) return null;
            return mapped.Any(m => m.Constant == null) ? mapped : null;
        }
        void Add(Fact fact, Value value)
        {
            value = pre.Get(value);
            if (value is Const constant)
            {
                if (fact.Kind != FactKind.Pure && result._constants.Count < MaxFacts && refused?.Contains(ConstantKeyOf(fact)) != true)
                    result._constants.Add((fact, constant));
                return;
            }
            if (result._facts.Count >= MaxFacts || pre.IsVirtual(value) || value.Kind == ValueKind.Void) return;
            if (value.Kind == ValueKind.Ref && refused?.Contains(KnowledgeKeyOf(fact)) != true)
            {
                fact.Class = pre.KnownClass(value);
                fact.NonNull = pre.IsNonNull(value);
            }
            fact.LeafIndex = leaves.Count;
            leaves.Add(value);
            result._facts.Add(fact);
            if (fact.Kind is FactKind.Field or FactKind.Length or FactKind.Item) factLeafOf.TryAdd(value, fact.LeafIndex);
        }

        if (pre.Heap is { } heap)
        {
            // Fields of label values, then fields of those fields' values (an instance in a global's cell, then its
            // storage array), then lengths of label values and of those fields' values, then items at constant
            // indices of those arrays, then fields of those items (a boxed number's value).
            var cached = heap.CachedFields().Where(c => c.Field is FieldDescr { IsStatic: false } && c.Obj is not ConstPtr { Object: null }).ToList();
            var added = new HashSet<int>();
            void AddFields(bool factLeaves)
            {
                for (int k = 0; k < cached.Count; k++)
                {
                    var (obj, field, value) = cached[k];
                    if (added.Contains(k) || !ArgOf(obj, out var o, factLeaves)) continue;
                    added.Add(k);
                    var f = (FieldDescr)field;
                    Add(new Fact(FactKind.Field, GetfieldOf(f.Kind), f, [o], f.Kind), value);
                }
            }
            AddFields(factLeaves: false);
            AddFields(factLeaves: true);
            foreach (var (array, length) in heap.CachedLengths())
                if (ArgOf(array, out var a, factLeaves: true) && a.Constant == null)
                    Add(new Fact(FactKind.Length, OpNum.ArraylenGc, null, [a], ValueKind.Int), length);
            foreach (var (descr, array, index, item) in heap.CachedItems().ToList())
                if (pre.Get(index) is ConstInt i && ArgOf(array, out var a, factLeaves: true) && a.Constant == null)
                {
                    var fact = new Fact(FactKind.Item, GetarrayitemOf(descr.Kind), descr, [a, new Arg(-1, i)], descr.Kind);
                    if (refused?.Contains(KeyOf(fact)) != true) Add(fact, item);
                }
            AddFields(factLeaves: true);
        }
        if (pre.Pure is { } pure)
        {
            foreach (var (num, descr, args, value) in pure.Entries())
            {
                if (Mapped(args, factLeaves: OpInfo.Of(num).IsCall) is not { } mapped) continue;
                var fact = new Fact(FactKind.Pure, num, descr, mapped, value.Kind);
                // An elidable call is carried only when the jump need not make it again (AppendJumpArgs), since there
                // it could not have the exception guard it may need.
                if (OpInfo.Of(num).IsCall && refused?.Contains(KeyOf(fact)) == true) continue;
                Add(fact, value);
            }
            // Decided comparisons, whose arguments may also be the values of the facts above (a length, an
            // index plus one): the jump recomputes those from its own values.
            // (Not of carried calls: proving a comparison at the jump recomputes its arguments, and a call cannot be
            // made there.)
            foreach (var fact in result._facts)
                if (!OpInfo.Of(fact.Num).IsCall) leafOf.TryAdd(pre.Get(leaves[fact.LeafIndex]), fact.LeafIndex);
            foreach (var (num, descr, args, value) in pure.Entries())
            {
                if (value is not ConstInt known || !IsComparison(num) || Mapped(args) is not { } mapped) continue;
                var fact = new Fact(FactKind.KnownComparison, num, descr, mapped, ValueKind.Int) { LeafIndex = -1 };
                if (result._known.Count < MaxFacts && refused?.Contains(KeyOf(fact)) != true) result._known.Add((fact, known));
            }
        }
        return result;
    }

    /// <summary>Tells the body's passes the facts, the values being the body's label arguments.</summary>
    public void Seed(OptimizationRun body, IReadOnlyList<Value> labelArgs)
    {
        Value[] ArgsAtLabel(Fact fact) => fact.Args.Select(a => a.Constant ?? body.Get(labelArgs[a.Leaf])).ToArray();
        body.Heap?.MarkPredating(labelArgs);
        foreach (var (fact, known) in _known)
            body.Pure?.Remember(fact.Num, fact.Descr, ArgsAtLabel(fact), known);
        void Remember(Fact fact, Value value)
        {
            var args = ArgsAtLabel(fact);
            switch (fact.Kind)
            {
                case FactKind.Field: body.Heap!.Remember(args[0], fact.Descr!, value); break;
                case FactKind.Length: body.Heap!.RememberLength(args[0], value); break;
                case FactKind.Item: body.Heap!.RememberItem((ArrayDescr)fact.Descr!, args[0], args[1], value); break;
                default: body.Pure!.Remember(fact.Num, fact.Descr, args, value); break;
            }
        }
        foreach (var fact in _facts)
        {
            var value = labelArgs[fact.LeafIndex];
            Remember(fact, value);
            if (fact.Class != null) body.SetKnownClass(value, fact.Class);
            else if (fact.NonNull) body.SetNonNull(value);
        }
        foreach (var (fact, constant) in _constants) Remember(fact, constant);
    }

    /// <summary>
    /// The value of a heap fact (field, length, item) for <paramref name="args"/> at the body's end, as the
    /// body's heap cache knows it; null when it does not (reading it there would be a new access, and an item
    /// read no guard protects).
    /// </summary>
    private static Value? Cached(OptimizationRun body, Fact fact, Value[] args) => fact.Kind switch
    {
        FactKind.Field => body.Heap?.CachedField(args[0], fact.Descr!),
        FactKind.Length => body.Heap?.CachedLength(args[0]),
        FactKind.Item => body.Heap?.CachedItem((ArrayDescr)fact.Descr!, args[0], args[1]),
        _ => null,
    };

    /// <summary>The values the body uses: in its output so far, and in what is still to come at its end, the writes
    /// the heap pass holds back (emitted at the jump) and the jump's own arguments.</summary>
    private static HashSet<Value> UsedValues(OptimizationRun body, IEnumerable<Value> jumpLeaves)
    {
        var used = new HashSet<Value>(ReferenceEqualityComparer.Instance);
        foreach (var op in body.Output)
        {
            foreach (var a in op.Args) used.Add(a);
            if (op.FailArgs != null) foreach (var a in op.FailArgs) used.Add(a);
        }
        if (body.Heap != null) foreach (var a in body.Heap.HeldBackArgs()) used.Add(body.Get(a));
        foreach (var a in jumpLeaves) used.Add(body.Get(a));
        return used;
    }

    /// <summary>
    /// Appends the jump arguments for the facts: for a fact the body used (or one a used fact is computed from),
    /// the fact computed on the values the jump passes (<paramref name="jumpLeaves"/>, same layout as the label's
    /// leaves). Returns the label positions of the facts the body did not use: the caller drops them from the
    /// label and the jump. Returns null when a carried elidable call would have to be made at the jump (the body
    /// did not make it on the jump's values, which are not the label's), where it could not have the exception
    /// guard it may need: the call is added to <paramref name="refused"/>, and the caller optimizes again without
    /// carrying it.
    /// </summary>
    public List<int>? AppendJumpArgs(OptimizationRun body, IReadOnlyList<Value> labelArgs, List<Value> jumpLeaves, ISet<string> refused)
    {
        var unused = new List<int>();
        if (_facts.Count == 0) return unused;
        int stateLeaves = jumpLeaves.Count;
        if (stateLeaves != _facts[0].LeafIndex) throw new InvalidOperationException("unroll: the jump's leaves do not match the label's.");
        var used = UsedValues(body, jumpLeaves);
        var factAt = new Dictionary<int, int>(); // label position -> fact index
        for (int k = 0; k < _facts.Count; k++) factAt[_facts[k].LeafIndex] = k;
        // Facts are computed only from earlier ones: walking back, a needed fact makes those it reads needed.
        var needed = new bool[_facts.Count];
        for (int k = _facts.Count - 1; k >= 0; k--)
        {
            needed[k] |= used.Contains(labelArgs[_facts[k].LeafIndex]);
            if (!needed[k]) continue;
            foreach (var a in _facts[k].Args)
                if (a.Constant == null && factAt.TryGetValue(a.Leaf, out int from)) needed[from] = true;
        }
        var ends = new Value[_facts.Count];
        Value AtJump(Arg a) => a.Constant ?? (factAt.TryGetValue(a.Leaf, out int k) ? ends[k] : body.Get(jumpLeaves[a.Leaf]));
        bool refusedItem = false;
        for (int k = 0; k < _facts.Count; k++)
        {
            var fact = _facts[k];
            var label = labelArgs[fact.LeafIndex];
            if (!needed[k])
            {
                ends[k] = label;
                unused.Add(fact.LeafIndex);
                continue;
            }
            var op = new ResOperation(fact.Num, fact.Args.Select(AtJump).ToArray(), fact.Descr);
            if (OpInfo.Of(fact.Num).IsCall)
            {
                // The body made this call on the jump's values already (or they are the label's: loop-invariant), or
                // the call would have to be made here, where it could not have its exception guard.
                if (body.Pure?.Lookup(op) is not { } made)
                {
                    refused.Add(KeyOf(fact));
                    return null;
                }
                ends[k] = made;
            }
            else if (fact.Kind == FactKind.Item)
            {
                if (Cached(body, fact, fact.Args.Select(AtJump).ToArray()) is not { } item)
                {
                    // Refused together with the other items the jump does not know, for one more round only.
                    refused.Add(KeyOf(fact));
                    refusedItem = true;
                    ends[k] = label;
                    continue;
                }
                ends[k] = item;
            }
            else
            {
                body.SendNew(op);
                ends[k] = body.Get(op);
            }
            if ((fact.Class != null && body.KnownClass(ends[k]) != fact.Class) || (fact.NonNull && !body.IsNonNull(ends[k])))
            {
                // The next iteration would enter the body with a value it assumes more of than is known.
                refused.Add(KnowledgeKeyOf(fact));
                return null;
            }
        }
        if (refusedItem) return null;
        jumpLeaves.AddRange(ends);
        return unused;
    }

    /// <summary>
    /// True when the body, at its end, knows every carried comparison to have the same value for the values its
    /// jump passes (<paramref name="jumpLeaves"/>, the label's layout): then it holds at every label entry. The
    /// comparisons it cannot prove are added to <paramref name="refused"/> and the caller optimizes again.
    /// </summary>
    public bool KnownFactsHold(OptimizationRun body, IReadOnlyList<Value> jumpLeaves, ISet<string> refused)
    {
        bool hold = true;
        // Null when an item the facts are computed from is not known at the end (see Cached).
        Value? AtEnd(Arg a)
        {
            if (a.Constant != null) return a.Constant;
            if (a.Leaf < _stateLeaves) return body.Get(jumpLeaves[a.Leaf]);
            var fact = _facts.First(f => f.LeafIndex == a.Leaf); // a fact about the state's values
            var args = ArgsAtEnd(fact);
            if (args == null) return null;
            if (fact.Kind == FactKind.Item) return Cached(body, fact, args);
            var op = new ResOperation(fact.Num, args, fact.Descr);
            body.SendNew(op);
            return body.Get(op);
        }
        Value[]? ArgsAtEnd(Fact fact)
        {
            var args = new Value[fact.Args.Length];
            for (int i = 0; i < args.Length; i++)
                if ((args[i] = AtEnd(fact.Args[i])!) == null) return null;
            return args;
        }
        foreach (var (fact, known) in _known)
        {
            if (ArgsAtEnd(fact) is { } args)
            {
                var op = new ResOperation(fact.Num, args, fact.Descr);
                body.SendNew(op);
                if (body.Get(op) is ConstInt c && c.IntValue == known.IntValue) continue;
            }
            refused.Add(KeyOf(fact));
            hold = false;
        }
        // Items the jump would carry must be known there (AppendJumpArgs cannot read them): refused in this round
        // with the rest, so each kind of refusal costs at most one more round.
        foreach (var fact in _facts)
        {
            if (fact.Kind != FactKind.Item || AtEnd(new Arg(fact.LeafIndex, null)) != null) continue;
            refused.Add(KeyOf(fact));
            hold = false;
        }
        foreach (var (fact, constant) in _constants)
        {
            if (ArgsAtEnd(fact) is { } args && Cached(body, fact, args) is { } value && SameValue.Same(constant, value)) continue;
            refused.Add(ConstantKeyOf(fact));
            hold = false;
        }
        return hold;
    }

    /// <summary>Integer comparisons, and reference identity (an array that is not the virtualizable's).</summary>
    private static bool IsComparison(OpNum num) => num is >= OpNum.IntLt and <= OpNum.UintGe or OpNum.PtrEq or OpNum.PtrNe;

    private static OpNum GetarrayitemOf(ValueKind kind) => kind switch
    {
        ValueKind.Int => OpNum.GetarrayitemGcI,
        ValueKind.Float => OpNum.GetarrayitemGcF,
        _ => OpNum.GetarrayitemGcR,
    };

    private static OpNum GetfieldOf(ValueKind kind) => kind switch
    {
        ValueKind.Int => OpNum.GetfieldGcI,
        ValueKind.Float => OpNum.GetfieldGcF,
        _ => OpNum.GetfieldGcR,
    };
}
