using MetaJit.Engine.Descriptors;
using MetaJit.Engine.Trace;

namespace MetaJit.Engine.Optimizer;

/// <summary>
/// Common subexpression elimination (RPython's pure.py): a pure op (or a
/// <c>call_pure_*</c> of an elidable method) with the same arguments as an earlier one is that earlier
/// result. An elidable call with constant arguments is run now and becomes its result (unless it raises);
/// its guard_no_exception then goes too.
/// </summary>
internal sealed class PurePass : OptimizationPass
{
    private readonly Dictionary<Key, Value> _seen = new();

    /// <summary>The earlier result of an op like <paramref name="op"/>, if any (for unroll).</summary>
    public Value? Lookup(ResOperation op) => _seen.TryGetValue(new Key(op.Num, op.Descr, op.Args), out var v) ? Get(v) : null;

    /// <summary>Every remembered op result (for unroll).</summary>
    public IEnumerable<(OpNum Num, Descr? Descr, Value[] Args, Value Result)> Entries() =>
        _seen.Select(e => (e.Key.Num, e.Key.Descr, e.Key.Args.Select(Get).ToArray(), Get(e.Value)));

    /// <summary>Remembers that <paramref name="num"/>(<paramref name="args"/>) is <paramref name="result"/>.</summary>
    public void Remember(OpNum num, Descr? descr, Value[] args, Value result) => _seen[new Key(num, descr, args)] = result;

    public override void Propagate(ResOperation op)
    {
        bool isPureCall = op.Num is >= OpNum.CallPureI and <= OpNum.CallPureN;
        if (!(op.Info.IsPure || isPureCall) || op.Kind == ValueKind.Void)
        {
            EmitNext(op);
            return;
        }
        var key = new Key(op.Num, op.Descr, op.Args);
        if (_seen.TryGetValue(key, out var earlier))
        {
            Run.MakeEqual(op, earlier);
            return;
        }
        if (isPureCall && op.Args.All(a => a is Const) && op.Descr is CallDescr call && TryCall(call, op) is Const result)
        {
            Run.MakeEqual(op, result);
            return;
        }
        EmitNext(op);
        _seen[key] = op;
    }

    /// <summary>Runs an elidable call on constants now; null when it raises.</summary>
    private static Const? TryCall(CallDescr call, ResOperation op)
    {
        object? result;
        try
        {
            result = call.InvokeBoxed(op.Args.Select(a => ((Const)a).Boxed).ToArray());
        }
        catch (Exception)
        {
            return null; // raises: keep the call and its exception guard
        }
        return Const.Of(op.Kind, result);
    }

    /// <summary>An op's identity for CSE: opnum, descr and arguments (constants by content). A class: a dictionary
    /// keyed by a struct is a generic instantiation RyuJIT would compile at every start (ReadyToRun cannot hold it).</summary>
    private sealed class Key(OpNum num, Descr? descr, Value[] args) : IEquatable<Key>
    {
        public OpNum Num { get; } = num;
        public Descr? Descr { get; } = descr;
        public Value[] Args { get; } = args;

        public bool Equals(Key? o)
        {
            if (o is null || Num != o.Num || !ReferenceEquals(Descr, o.Descr) || Args.Length != o.Args.Length) return false;
            for (int i = 0; i < Args.Length; i++)
                if (!(Args[i] is Const ? Args[i].Equals(o.Args[i]) : ReferenceEquals(Args[i], o.Args[i]))) return false;
            return true;
        }

        public override bool Equals(object? obj) => Equals(obj as Key);

        public override int GetHashCode()
        {
            var h = new HashCode();
            h.Add((int)Num);
            foreach (var a in Args) h.Add(a is Const ? a.GetHashCode() : System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(a));
            return h.ToHashCode();
        }
    }
}
