using System.Runtime.CompilerServices;
using MetaJit.Engine.Descriptors;
using MetaJit.Engine.Trace;

namespace MetaJit.Engine.Optimizer;

/// <summary>
/// The state of one optimization of one trace (RPython's Optimizer object): the pass chain, what each value
/// is now equal to (forwarding), what is known about values (integer bounds, class, non-null), and the
/// output. Ops from the input trace are copied on entry, so the input trace is never changed.
/// </summary>
internal sealed class OptimizationRun
{
    private readonly Dictionary<Value, Value> _forward = new(ReferenceEqualityComparer.Instance);
    // Bounds boxed in a class: a dictionary with a struct value is a generic instantiation that ReadyToRun cannot
    // precompile here, so RyuJIT would compile its methods at every start.
    private readonly Dictionary<Value, StrongBox<IntBound>> _bounds = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<Value, Type> _knownClass = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<Value> _nonNull = new(ReferenceEqualityComparer.Instance);
    private readonly OptimizationPass[] _passes;

    public OptimizationRun(OptimizerOptions options)
    {
        var passes = new List<OptimizationPass>();
        if (options.Has(OptimizerPasses.IntBounds)) passes.Add(IntBounds = new IntBoundsPass());
        if (options.Has(OptimizerPasses.Rewrite)) passes.Add(new RewritePass());
        if (options.Has(OptimizerPasses.Virtualize)) passes.Add(Virtualize = new VirtualizePass());
        if (options.Has(OptimizerPasses.String)) passes.Add(Strings = new StringPass());
        if (options.Has(OptimizerPasses.Heap)) passes.Add(Heap = new HeapPass { KeepItemsThroughGuards = options.KeepItemsThroughGuards });
        if (options.Has(OptimizerPasses.Pure)) passes.Add(Pure = new PurePass());
        _passes = passes.ToArray();
        for (int i = 0; i < _passes.Length; i++)
        {
            _passes[i].Run = this;
            _passes[i].Index = i;
        }
    }

    /// <summary>The optimized ops so far.</summary>
    public List<ResOperation> Output { get; } = new();

    /// <summary>The intbounds pass, when on.</summary>
    public IntBoundsPass? IntBounds { get; }

    /// <summary>The virtualize pass, when on.</summary>
    public VirtualizePass? Virtualize { get; }

    /// <summary>The string pass, when on.</summary>
    public StringPass? Strings { get; }

    /// <summary>The heap pass, when on.</summary>
    public HeapPass? Heap { get; }

    /// <summary>The pure pass, when on.</summary>
    public PurePass? Pure { get; }

    // ---- values ----

    /// <summary>The value <paramref name="v"/> currently stands for (following forwarding).</summary>
    public Value Get(Value v)
    {
        while (v is not Const && _forward.TryGetValue(v, out var to)) v = to;
        return v;
    }

    /// <summary>From now on, <paramref name="v"/> means <paramref name="to"/> (an op removed in favour of an equal value).</summary>
    public void MakeEqual(Value v, Value to)
    {
        to = Get(to);
        if (!ReferenceEquals(v, to)) _forward[v] = to;
    }

    /// <summary>The integer range known for <paramref name="v"/>.</summary>
    public IntBound BoundOf(Value v)
    {
        v = Get(v);
        if (v is ConstInt c) return IntBound.Exact(c.IntValue);
        return _bounds.TryGetValue(v, out var b) ? b.Value : IntBound.Full;
    }

    /// <summary>Records that <paramref name="v"/> lies in <paramref name="bound"/> (intersected with what is known).</summary>
    public void SetBound(Value v, IntBound bound)
    {
        v = Get(v);
        if (v is Const || v.Kind != ValueKind.Int) return;
        var now = BoundOf(v).Intersect(bound);
        if (now == null) return; // contradiction: the guard that taught it always fails; learn nothing
        if (now.Value.IsConstant) MakeEqual(v, new ConstInt(now.Value.Lo));
        else _bounds[v] = new StrongBox<IntBound>(now.Value);
    }

    /// <summary>The exact class of <paramref name="v"/> if known.</summary>
    public Type? KnownClass(Value v)
    {
        v = Get(v);
        if (v is ConstPtr { Object: { } o }) return o.GetType();
        return _knownClass.GetValueOrDefault(v);
    }

    /// <summary>Records the exact class of <paramref name="v"/> (which implies non-null).</summary>
    public void SetKnownClass(Value v, Type type)
    {
        v = Get(v);
        if (v is Const) return;
        _knownClass[v] = type;
        _nonNull.Add(v);
    }

    /// <summary>True when <paramref name="v"/> is known not to be null.</summary>
    public bool IsNonNull(Value v)
    {
        v = Get(v);
        return v is ConstPtr c ? c.Object != null : _nonNull.Contains(v);
    }

    /// <summary>Records that <paramref name="v"/> is not null.</summary>
    public void SetNonNull(Value v)
    {
        v = Get(v);
        if (v is not Const) _nonNull.Add(v);
    }

    /// <summary>True when <paramref name="v"/> is a virtual object (not allocated).</summary>
    public bool IsVirtual(Value v) => Virtualize?.IsVirtual(Get(v)) ?? false;

    /// <summary>The call that makes <paramref name="v"/>, a string the string pass keeps virtual (a concatenation
    /// or a slice not made yet), or null.</summary>
    public ResOperation? VirtualStringCall(Value v) => Strings?.VirtualCall(Get(v));

    // ---- calls of specialized entries (VirtualizePass.Calls.cs) ----

    private IReadOnlyList<ResOperation>? _input;
    private int _cursor;
    private ResOperation? _current;
    private Dictionary<Value, Resume.HandBack>? _handBacks;
    private Dictionary<Value, int>? _entryInputs;

    /// <summary>The recorded ops this run is sent (in order, possibly not all): what a call_assembler's arguments
    /// may still be used by afterwards is read from them.</summary>
    public void SetInput(IReadOnlyList<ResOperation> ops)
    {
        _input = ops;
        _cursor = 0;
    }

    /// <summary>The recorded ops after the one being sent now, or null when unknown (no input set).</summary>
    public IEnumerable<ResOperation>? RecordedAfterCurrent()
    {
        if (_input == null || _current == null) return null;
        int at = -1;
        for (int i = _cursor; i < _input.Count; i++)
            if (ReferenceEquals(_input[i], _current)) { at = i; break; }
        if (at < 0)
            for (int i = 0; i < _cursor && i < _input.Count; i++)
                if (ReferenceEquals(_input[i], _current)) { at = i; break; }
        if (at < 0) return null;
        _cursor = at;
        return _input.Skip(at + 1);
    }

    /// <summary>A virtual given to a specialized call whose exception guard may need it back.</summary>
    public void SetHandBack(Value v, Resume.HandBack from) => (_handBacks ??= new(ReferenceEqualityComparer.Instance))[Get(v)] = from;

    /// <summary>Where <paramref name="v"/> (a virtual in a guard's fail args) comes back from, if it was given to a call.</summary>
    public Resume.HandBack? HandBackOf(Value v) => _handBacks?.GetValueOrDefault(Get(v));

    /// <summary>In a specialized entry: <paramref name="v"/> is (the allocation of) its virtual argument <paramref name="input"/>.</summary>
    public void SetEntryInput(Value v, int input) => (_entryInputs ??= new(ReferenceEqualityComparer.Instance))[Get(v)] = input;

    /// <summary>True in a specialized entry or one of its bridges.</summary>
    public bool HasEntryInputs => _entryInputs != null;

    /// <summary>Which virtual argument of the specialized entry <paramref name="v"/> is, if one.</summary>
    public int? EntryInputOf(Value v) => _entryInputs != null && _entryInputs.TryGetValue(Get(v), out int k) ? k : null;

    // ---- the chain ----

    /// <summary>Sends an op of the input trace through the chain: it is copied with its arguments (and fail
    /// args) replaced by their current values, and the original is made equal to the copy.</summary>
    public void Send(ResOperation original)
    {
        _current = original;
        var copy = new ResOperation(original.Num, original.Args.Select(Get).ToArray(), original.Descr, original.FailArgs?.Select(Get).ToArray())
        {
            ResumeData = original.ResumeData,
        };
        if (original.Kind != ValueKind.Void) _forward[original] = copy;
        if (copy.Num is OpNum.SetfieldGc or OpNum.SetarrayitemGc or OpNum.Setstatic) StoreNarrowing.Apply(this, copy);
        SendNew(copy);
    }

    /// <summary>Sends an op made by the optimizer (its args already current) through the whole chain.</summary>
    public void SendNew(ResOperation op)
    {
        if (_passes.Length > 0) _passes[0].Propagate(op);
        else Emit(op);
    }

    /// <summary>Hands <paramref name="op"/> from pass <paramref name="index"/> to the next one, or to the output.</summary>
    public void PassOn(int index, ResOperation op)
    {
        if (index + 1 < _passes.Length) _passes[index + 1].Propagate(op);
        else Emit(op);
    }

    /// <summary>Sends <paramref name="op"/> into the chain just after <paramref name="pass"/> (for ops a pass creates).</summary>
    public void SendAfter(OptimizationPass pass, ResOperation op) => PassOn(pass.Index, op);

    /// <summary>The output end of the chain. A guard_no_exception or guard_no_overflow whose op was removed
    /// (folded, proven) is dropped here, and so is the quasiimmut_field marker (whichever passes run, no backend
    /// sees it); guards get their final fail args and resume data.</summary>
    private void Emit(ResOperation op)
    {
        if (op.Num == OpNum.QuasiimmutField) return;
        var last = Output.Count > 0 ? Output[^1] : null;
        if (op.Num == OpNum.GuardNoException && (last == null || !last.Info.IsCall)) return;
        if (op.Num == OpNum.GuardNoOverflow && (last == null || !last.Info.IsOvf)) return;
        if (op.IsGuard) ResumeFinalizer.Finalize(op, this);
        Output.Add(op);
    }

    /// <summary>Appends an op to the output directly, bypassing the passes.</summary>
    public void EmitRaw(ResOperation op) => Output.Add(op);

    /// <summary>Replaces an already emitted op (guard strengthening); false when it is not in the output.</summary>
    public bool ReplaceEmitted(ResOperation old, ResOperation now)
    {
        int i = Output.LastIndexOf(old);
        if (i < 0) return false;
        now.FailArgs = old.FailArgs;
        now.ResumeData = old.ResumeData;
        Output[i] = now;
        return true;
    }

    /// <summary>The value an op of kind <paramref name="kind"/> has in a fresh object (0, 0.0, null).</summary>
    public static Const DefaultOf(ValueKind kind) => kind switch
    {
        ValueKind.Int => new ConstInt(0),
        ValueKind.Float => new ConstFloat(0.0),
        _ => ConstPtr.Null,
    };
}
