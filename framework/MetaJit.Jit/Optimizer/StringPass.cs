using System.Reflection;
using MetaJit.Engine.Descriptors;
using MetaJit.Engine.Trace;

namespace MetaJit.Engine.Optimizer;

/// <summary>
/// Strings (a modest version of RPython's vstring.py). Calls of <c>String.Concat(string, string)</c>,
/// <c>String.Equals</c>/<c>==</c> and <c>String.Length</c>-like helpers on constant strings fold to their result. A
/// concatenation that is only measured (<c>strlen</c>) or indexed at a constant position inside its left part
/// stays virtual: the call is not made; <c>strlen(a + b)</c> is <c>strlen(a) + strlen(b)</c>. Any other use,
/// and every guard that would need it to resume, forces it: the call is emitted at that point (concatenation
/// cannot raise, so it needs no exception guard there).
/// </summary>
internal sealed class StringPass : OptimizationPass
{
    private static readonly MethodInfo Concat2 = typeof(string).GetMethod(nameof(string.Concat), [typeof(string), typeof(string)])!;
    private static readonly MethodInfo Equals2 = typeof(string).GetMethod(nameof(string.Equals), [typeof(string), typeof(string)])!;
    private static readonly MethodInfo OpEquality = typeof(string).GetMethod("op_Equality", [typeof(string), typeof(string)])!;

    /// <summary>Virtual concatenations: the call not yet emitted.</summary>
    private readonly Dictionary<Value, ResOperation> _concats = new(ReferenceEqualityComparer.Instance);

    public override void Propagate(ResOperation op)
    {
        if (op.Num == OpNum.CallR && op.Descr is CallDescr { Method: var m } && m == Concat2)
        {
            if (op.Args[0] is ConstPtr { Object: string a } && op.Args[1] is ConstPtr { Object: string b })
            {
                Run.MakeEqual(op, new ConstPtr(a + b)); // its guard_no_exception is dropped with it
                return;
            }
            if (Known(op.Args[0]) && Known(op.Args[1]))
            {
                _concats[op] = op; // its strlen parts cannot fail on null
                return;
            }
            foreach (var arg in op.Args) Force(arg);
            EmitNext(op);
            return;
        }
        if (op.Num == OpNum.CallI && op.Descr is CallDescr { Method: var eq } && (eq == Equals2 || eq == OpEquality)
            && op.Args[0] is ConstPtr { Object: var x and (string or null) } && op.Args[1] is ConstPtr { Object: var y and (string or null) })
        {
            Run.MakeEqual(op, new ConstInt(string.Equals((string?)x, (string?)y, StringComparison.Ordinal) ? 1 : 0));
            return;
        }
        if (op.Num == OpNum.Strlen && _concats.TryGetValue(op.Args[0], out var concat))
        {
            var left = Length(concat.Args[0]);
            var right = Length(concat.Args[1]);
            Value sum = left is ConstInt l && right is ConstInt r ? new ConstInt(l.IntValue + r.IntValue) : Emit(new ResOperation(OpNum.IntAdd, left, right));
            Run.MakeEqual(op, sum);
            return;
        }
        if (op.Num == OpNum.Strgetitem && _concats.TryGetValue(op.Args[0], out var c2)
            && c2.Args[0] is ConstPtr { Object: string prefix } && op.Args[1] is ConstInt { IntValue: var i } && i >= 0 && i < prefix.Length)
        {
            Run.MakeEqual(op, new ConstInt(prefix[(int)i]));
            return;
        }
        if (op.Num == OpNum.Strlen && op.Args[0] is ConstPtr { Object: string s })
        {
            Run.MakeEqual(op, new ConstInt(s.Length));
            return;
        }
        foreach (var a in op.Args) Force(a);
        if (op.FailArgs != null) foreach (var a in op.FailArgs) Force(a);
        EmitNext(op);
    }

    private bool Known(Value s) => Get(s) is ConstPtr { Object: string } || _concats.ContainsKey(Get(s)) || Run.IsNonNull(s);

    private Value Length(Value s)
    {
        s = Get(s);
        if (s is ConstPtr { Object: string str }) return new ConstInt(str.Length);
        if (_concats.TryGetValue(s, out var inner))
        {
            Value l = Length(inner.Args[0]), r = Length(inner.Args[1]);
            return l is ConstInt a && r is ConstInt b ? (Value)new ConstInt(a.IntValue + b.IntValue) : Emit(new ResOperation(OpNum.IntAdd, l, r));
        }
        return Emit(new ResOperation(OpNum.Strlen, s));
    }

    private ResOperation Emit(ResOperation op)
    {
        EmitNext(op);
        return op;
    }

    /// <summary>Emits the concatenation <paramref name="v"/> stands for, if it is virtual.</summary>
    private void Force(Value v)
    {
        v = Get(v);
        if (!_concats.Remove(v, out var call)) return;
        foreach (var a in call.Args) Force(a);
        call.Args = call.Args.Select(Get).ToArray();
        EmitNext(call);
    }
}
