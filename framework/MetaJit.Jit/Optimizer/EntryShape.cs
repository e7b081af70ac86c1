using MetaJit.Engine.Backend;
using MetaJit.Engine.Descriptors;
using MetaJit.Engine.Trace;

namespace MetaJit.Engine.Optimizer;

/// <summary>
/// The shape of a call_assembler's arguments when some are virtual: per argument a <see cref="VirtualState"/>
/// (a constant, a virtual object or array whose fields are further states, or a plain value), without the facts
/// (classes, ranges) an unrolled loop also carries. A target compiled for the shape (a specialized entry,
/// engine.md "Specialized entries") takes the plain leaves as its inputs, in the order <see cref="Flatten"/>
/// lists them, and rebuilds the rest as virtuals of its own (<see cref="Import"/>); the caller allocates nothing.
/// Two shapes are equal when their constants, descrs, fields and lengths are: a target compiled for one serves
/// every call with an equal one.
/// </summary>
internal sealed class EntryShape : IEquatable<EntryShape>
{
    private readonly VirtualState[] _states;
    private readonly ValueKind[] _argKinds;
    private readonly int _hash;

    private EntryShape(VirtualState[] states, ValueKind[] argKinds)
    {
        _states = states;
        _argKinds = argKinds;
        foreach (var s in states) Strip(s);
        var leaves = new List<ValueKind>();
        for (int k = 0; k < states.Length; k++) LeafKinds(states[k], argKinds[k], leaves);
        Leaves = leaves.ToArray();
        var hash = new HashCode();
        foreach (var s in states) Hash(s, ref hash);
        _hash = hash.ToHashCode();
    }

    private const int MaxDepth = 3;

    /// <summary>
    /// The shape of <paramref name="args"/> now, in <paramref name="run"/>. A virtual reachable twice (two
    /// arguments, or two fields, holding it) is a plain leaf: each copy would become a distinct object. The
    /// virtualizable argument's virtualized fields and array items (<paramref name="vable"/>, argument
    /// <paramref name="vableIndex"/>) are not part of it: the callee takes them from the arguments that follow
    /// the reds, as a generic call's callee does (CallAssemblerDescr.VableArgIndex).
    /// </summary>
    public static EntryShape Of(OptimizationRun run, IReadOnlyList<Value> args, int vableIndex = -1, VirtualizableInfo? vable = null)
    {
        var count = new Dictionary<Value, int>(ReferenceEqualityComparer.Instance);
        for (int k = 0; k < args.Count; k++) CountReferences(run, args[k], k == vableIndex ? vable : null, 0, count);
        var shared = new HashSet<Value>(count.Where(c => c.Value > 1).Select(c => c.Key), ReferenceEqualityComparer.Instance);
        var states = new VirtualState[args.Count];
        for (int k = 0; k < args.Count; k++) states[k] = Export(run, args[k], k == vableIndex ? vable : null, 0, shared);
        return new EntryShape(states, args.Select(a => a.Kind).ToArray());
    }

    /// <summary>Counts the references to each virtual reachable from <paramref name="v"/> (skipping what
    /// <paramref name="vable"/> virtualizes, if given).</summary>
    private static void CountReferences(OptimizationRun run, Value v, VirtualizableInfo? vable, int depth, Dictionary<Value, int> count)
    {
        v = run.Get(v);
        if (!run.IsVirtual(v)) return;
        count[v] = count.GetValueOrDefault(v) + 1;
        if (count[v] > 1 || depth >= MaxDepth) return;
        var info = run.Virtualize!.InfoOf(v)!;
        for (int j = 0; j < info.Values.Count; j++)
        {
            var field = info.IsArray ? null : info.Fields[j];
            if (vable != null && field != null && vable.Fields.Contains(field)) continue;
            if (vable != null && field != null && vable.ArrayFields.Contains(field))
            {
                var array = run.Get(info.Values[j]);
                if (run.IsVirtual(array)) count[array] = count.GetValueOrDefault(array) + 1; // its items: not part of the shape
                continue;
            }
            CountReferences(run, info.Values[j], null, depth + 1, count);
        }
    }

    private static VirtualState Export(OptimizationRun run, Value v, VirtualizableInfo? vable, int depth, HashSet<Value> shared)
    {
        v = run.Get(v);
        // Null is part of the shape: the slots of a new frame a call has not filled yet are null at every call
        // of the function, so the callee knows them instead of taking them as inputs (and folds its null checks).
        if (v is ConstPtr { Object: null } nullConst) return new VirtualState { Constant = nullConst };
        var s = new VirtualState();
        // Any other constant is a leaf like any plain value: calls that differ only in constants share one entry
        // (specialized on a constant argument, ackermann compiled four entries and grew bridges for each).
        if (!run.IsVirtual(v) || shared.Contains(v) || depth >= MaxDepth) return s;
        var info = run.Virtualize!.InfoOf(v)!;
        s.VirtualDescr = info.Descr;
        s.Length = info.Length;
        if (info.IsArray)
        {
            s.Children = info.Values.Select(x => vable != null ? Default(((ArrayDescr)info.Descr).Kind) : Export(run, x, null, depth + 1, shared)).ToArray();
            return s;
        }
        var fields = new List<Descr>();
        var children = new List<VirtualState>();
        for (int j = 0; j < info.Fields.Count; j++)
        {
            var field = info.Fields[j];
            if (vable != null && vable.Fields.Contains(field)) continue; // left unset: the callee's own value wins
            fields.Add(field);
            // A virtualized array: allocated, its items left empty (the callee has them).
            children.Add(vable != null && vable.ArrayFields.Contains(field)
                ? Export(run, info.Values[j], vable, depth + 1, shared)
                : Export(run, info.Values[j], null, depth + 1, shared));
        }
        s.Fields = fields.ToArray();
        s.Children = children.ToArray();
        return s;
    }

    private static VirtualState Default(ValueKind kind) => new() { Constant = OptimizationRun.DefaultOf(kind) };

    /// <summary>Kinds of the leaves: the arguments of a call made with this shape.</summary>
    public ValueKind[] Leaves { get; }

    /// <summary>Number of arguments (top-level states).</summary>
    public int Count => _states.Length;

    /// <summary>True when argument <paramref name="k"/> is a virtual object or array.</summary>
    public bool IsVirtual(int k) => _states[k].VirtualDescr != null;

    /// <summary>True when some argument is a virtual (else a specialized entry would gain nothing).</summary>
    public bool HasVirtual => _states.Any(s => s.VirtualDescr != null);

    /// <summary>Adds to <paramref name="into"/> the virtual argument <paramref name="k"/> (<paramref name="v"/>) and the
    /// virtuals its fields hold, as far as the shape describes them.</summary>
    public void CollectVirtuals(int k, OptimizationRun run, Value v, HashSet<Value> into) => Collect(_states[k], run, v, into);

    private static void Collect(VirtualState s, OptimizationRun run, Value v, HashSet<Value> into)
    {
        v = run.Get(v);
        if (s.VirtualDescr == null || run.Virtualize!.InfoOf(v) is not { } info) return;
        into.Add(v);
        for (int j = 0; j < s.Children.Length; j++)
            Collect(s.Children[j], run, info.IsArray ? info.Values[j] : info.FieldValue(s.Fields[j]) ?? OptimizationRun.DefaultOf(((FieldDescr)s.Fields[j]).Kind), into);
    }

    /// <summary>The leaves of <paramref name="args"/> (which have this shape in <paramref name="run"/>).</summary>
    public List<Value> Flatten(OptimizationRun run, IReadOnlyList<Value> args)
    {
        var leaves = new List<Value>();
        for (int k = 0; k < _states.Length; k++) _states[k].Flatten(run, args[k], leaves);
        return leaves;
    }

    /// <summary>For a specialized entry's optimization: the value standing for each argument, made from
    /// <paramref name="leaves"/> (its inputs): constants, new virtuals, or the leaves themselves.</summary>
    public Value[] Import(OptimizationRun run, IEnumerable<Value> leaves)
    {
        var queue = new Queue<Value>(leaves);
        return _states.Select(s => s.Import(run, queue)).ToArray();
    }

    /// <summary>
    /// The arguments as the target's generic entry takes them, written into <paramref name="into"/> by kind: the
    /// virtuals allocated (what the caller would have done) from the leaves in <paramref name="leaves"/>. Returns
    /// the objects made for the virtual arguments (null for the others).
    /// </summary>
    public object?[] Generalize(DeadFrame leaves, DeadFrame into)
    {
        var read = new int[3];
        int ni = 0, nf = 0, nr = 0;
        var made = new object?[_states.Length];
        for (int k = 0; k < _states.Length; k++)
        {
            var (i, f, r) = Build(_states[k], _argKinds[k], leaves, read);
            switch (_argKinds[k])
            {
                case ValueKind.Int: into.Ints[ni++] = i; break;
                case ValueKind.Float: into.Floats[nf++] = f; break;
                default:
                    into.Refs[nr++] = r;
                    if (IsVirtual(k)) made[k] = r;
                    break;
            }
        }
        return made;
    }

    private static (long I, double F, object? R) Build(VirtualState s, ValueKind kind, DeadFrame from, int[] read)
    {
        switch (s.Constant)
        {
            case ConstInt ci: return (ci.IntValue, 0, null);
            case ConstFloat cf: return (0, cf.FloatValue, null);
            case ConstPtr cp: return (0, 0, cp.Object);
        }
        if (s.VirtualDescr is ArrayDescr array)
        {
            var arr = array.New(s.Length);
            for (int j = 0; j < s.Children.Length; j++)
            {
                var (i, f, r) = Build(s.Children[j], array.Kind, from, read);
                switch (array.Kind)
                {
                    case ValueKind.Int: array.SetInt(arr, j, i); break;
                    case ValueKind.Float: array.SetFloat(arr, j, f); break;
                    default: array.SetRef(arr, j, r); break;
                }
            }
            return (0, 0, arr);
        }
        if (s.VirtualDescr is TypeDescr type)
        {
            var obj = type.Allocate();
            for (int j = 0; j < s.Children.Length; j++)
            {
                var field = (FieldDescr)s.Fields[j];
                var (i, f, r) = Build(s.Children[j], field.Kind, from, read);
                switch (field.Kind)
                {
                    case ValueKind.Int: field.SetInt(obj, i); break;
                    case ValueKind.Float: field.SetFloat(obj, f); break;
                    default: field.SetRef(obj, r); break;
                }
            }
            return (0, 0, obj);
        }
        return kind switch
        {
            ValueKind.Int => (from.Ints[read[0]++], 0, null),
            ValueKind.Float => (0, from.Floats[read[1]++], null),
            _ => (0, 0, from.Refs[read[2]++]),
        };
    }

    /// <summary>Only the shape counts: what the caller knew about its plain values is not passed on.</summary>
    private static void Strip(VirtualState s)
    {
        s.Class = null;
        s.NonNull = false;
        s.Bound = IntBound.Full;
        foreach (var c in s.Children) Strip(c);
    }

    private static void LeafKinds(VirtualState s, ValueKind kind, List<ValueKind> into)
    {
        if (s.Constant != null) return;
        if (s.VirtualDescr is ArrayDescr array)
        {
            foreach (var c in s.Children) LeafKinds(c, array.Kind, into);
            return;
        }
        if (s.VirtualDescr != null)
        {
            for (int j = 0; j < s.Children.Length; j++) LeafKinds(s.Children[j], ((FieldDescr)s.Fields[j]).Kind, into);
            return;
        }
        into.Add(kind);
    }

    /// <inheritdoc/>
    public bool Equals(EntryShape? other) =>
        other != null && other._states.Length == _states.Length && _argKinds.AsSpan().SequenceEqual(other._argKinds)
        && _states.Zip(other._states).All(p => Same(p.First, p.Second));

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as EntryShape);

    /// <inheritdoc/>
    public override int GetHashCode() => _hash;

    private static bool Same(VirtualState a, VirtualState b)
    {
        if (a.Constant != null || b.Constant != null)
            return a.Constant != null && b.Constant != null && a.Constant.Kind == b.Constant.Kind && SameConstant(a.Constant, b.Constant);
        if (!ReferenceEquals(a.VirtualDescr, b.VirtualDescr) || a.Length != b.Length || a.Children.Length != b.Children.Length) return false;
        for (int j = 0; j < a.Fields.Length; j++)
            if (!ReferenceEquals(a.Fields[j], b.Fields[j])) return false;
        for (int j = 0; j < a.Children.Length; j++)
            if (!Same(a.Children[j], b.Children[j])) return false;
        return true;
    }

    /// <summary>Constants of a shape are the same value (references: the same object, not an equal one).</summary>
    private static bool SameConstant(Const a, Const b) => (a, b) switch
    {
        (ConstPtr x, ConstPtr y) => ReferenceEquals(x.Object, y.Object),
        (ConstFloat x, ConstFloat y) => BitConverter.DoubleToInt64Bits(x.FloatValue) == BitConverter.DoubleToInt64Bits(y.FloatValue),
        _ => a.Equals(b),
    };

    private static void Hash(VirtualState s, ref HashCode hash)
    {
        if (s.Constant != null)
        {
            hash.Add(s.Constant is ConstPtr p ? System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(p.Object) : s.Constant.GetHashCode());
            return;
        }
        hash.Add(s.VirtualDescr);
        hash.Add(s.Length);
        foreach (var c in s.Children) Hash(c, ref hash);
    }

    /// <summary>A readable form for logs: <c>Frame{Closure=_, Slots=Object[6]{null, ...}}</c>.</summary>
    public override string ToString() => string.Join(", ", _states.Select(Describe));

    private static string Describe(VirtualState s)
    {
        if (s.Constant != null) return s.Constant.ToString() ?? "const";
        if (s.VirtualDescr is ArrayDescr a) return $"{a.Name}[{s.Length}]{{{string.Join(", ", s.Children.Select(Describe))}}}";
        if (s.VirtualDescr != null)
            return $"{s.VirtualDescr.Name}{{{string.Join(", ", s.Fields.Select((f, j) => ((FieldDescr)f).Field.Name + "=" + Describe(s.Children[j])))}}}";
        return "_";
    }
}
