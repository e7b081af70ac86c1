using System.Reflection;
using MetaJit.Engine.Descriptors;
using MetaJit.Engine.Trace;

namespace MetaJit.Engine.Optimizer;

/// <summary>
/// Strings (a modest version of RPython's vstring.py). Calls of <c>String.Concat(string, string)</c>,
/// <c>String.Equals</c>/<c>==</c> and <c>String.Length</c>-like helpers on constant strings fold to their result. A
/// concatenation that is only measured (<c>strlen</c>) or indexed at a constant position inside its left part
/// stays virtual: the call is not made; <c>strlen(a + b)</c> is <c>strlen(a) + strlen(b)</c>. A slice
/// (<see cref="MetaJit.Rlib.RString.Slice"/>, whose caller guarantees the bounds) of a known string stays virtual
/// while it is measured (its length), indexed (<c>strgetitem(s, start + i)</c>), sliced again (a slice of the
/// same string) or concatenated and measured. Any other use forces it: the call is emitted at that point (neither
/// can raise, so it needs no exception guard there). A guard does not: its resume data holds the call as a recipe
/// (<see cref="Resume.VirtualRecipe"/>), made only if the guard fails, and a bridge from it starts with the call
/// unmade too.
/// </summary>
internal sealed class StringPass : OptimizationPass
{
    private static readonly MethodInfo Concat2 = typeof(string).GetMethod(nameof(string.Concat), [typeof(string), typeof(string)])!;
    private static readonly MethodInfo Equals2 = typeof(string).GetMethod(nameof(string.Equals), [typeof(string), typeof(string)])!;
    private static readonly MethodInfo OpEquality = typeof(string).GetMethod("op_Equality", [typeof(string), typeof(string)])!;

    private static readonly MethodInfo LengthGetter = typeof(string).GetProperty(nameof(string.Length))!.GetMethod!;
    private static readonly MethodInfo CharGetter = typeof(string).GetMethod("get_Chars", [typeof(int)])!;
    private static readonly MethodInfo Slice = typeof(MetaJit.Rlib.RString).GetMethod(nameof(MetaJit.Rlib.RString.Slice))!;

    /// <summary>Virtual concatenations: the call not yet emitted.</summary>
    private readonly Dictionary<Value, ResOperation> _concats = new(ReferenceEqualityComparer.Instance);

    private bool _callNotEmitted; // the op just seen was a call kept virtual or folded

    /// <summary>Slices that had to be built, with their length (still known without reading it).</summary>
    private readonly Dictionary<Value, Value> _builtSliceLengths = new(ReferenceEqualityComparer.Instance);

    /// <summary>Virtual slices: the call not yet emitted; its args are (string, start, length), the string never
    /// itself a virtual slice (a slice of a slice is rewritten as a slice of the first string).</summary>
    private readonly Dictionary<Value, ResOperation> _slices = new(ReferenceEqualityComparer.Instance);

    public override void Propagate(ResOperation op)
    {
        // The exception guard of a call this pass did not emit goes with it (the chain's end drops such guards
        // only when no other call was emitted just before).
        bool afterVirtual = _callNotEmitted;
        _callNotEmitted = false;
        if (op.Num == OpNum.GuardNoException && afterVirtual) return;
        if (op.Num is OpNum.CallR or OpNum.CallPureR && op.Descr is CallDescr { Method: var sm } && sm == Slice && SliceVirtually(op))
        {
            _callNotEmitted = true;
            return;
        }
        // A length, read as strlen or as the String.Length call the tracer records, of a string whose length is
        // known without reading it: a constant, a virtual concatenation or slice, a slice already built.
        if (IsLengthRead(op) && KnowsLength(Get(op.Args[0])))
        {
            Run.MakeEqual(op, Length(op.Args[0]));
            return;
        }
        if (IsCharCall(op) && CharAt(op)) return;
        if (op.Num == OpNum.Strgetitem && _slices.TryGetValue(Get(op.Args[0]), out var indexed))
        {
            var at = Sum(indexed.Args[1], op.Args[1]);
            var item = new ResOperation(OpNum.Strgetitem, Get(indexed.Args[0]), at); // a slice's string is never virtual
            EmitNext(item);
            Run.MakeEqual(op, item);
            return;
        }
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
                _callNotEmitted = true;
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
        if (op.Num == OpNum.Strgetitem && _concats.TryGetValue(op.Args[0], out var c2)
            && c2.Args[0] is ConstPtr { Object: string prefix } && op.Args[1] is ConstInt { IntValue: var i } && i >= 0 && i < prefix.Length)
        {
            Run.MakeEqual(op, new ConstInt(prefix[(int)i]));
            return;
        }
        foreach (var a in op.Args) Force(a);
        EmitNext(op); // a guard's fail args may stay virtual: its resume data says how to make them (ResumeFinalizer)
        // Past a read of its length or a character the string is not null (the read would have thrown).
        if (IsLengthRead(op) || op.Num == OpNum.Strgetitem || IsCharCall(op)) Run.SetNonNull(op.Args[0]);
    }

    /// <summary>The call (a concatenation or a slice, its args as recorded) that would make <paramref name="v"/>
    /// if it is a virtual string; null otherwise. A guard's resume data rebuilds the string by making that call.</summary>
    public ResOperation? VirtualCall(Value v) => _concats.GetValueOrDefault(v) ?? _slices.GetValueOrDefault(v);

    private static bool IsLengthRead(ResOperation op) =>
        op.Num == OpNum.Strlen || (op.Num is OpNum.CallI or OpNum.CallPureI && op.Descr is CallDescr { Method: var m } && m == LengthGetter);

    private static bool IsCharCall(ResOperation op) =>
        op.Num is OpNum.CallI or OpNum.CallPureI && op.Descr is CallDescr { Method: var m } && m == CharGetter;

    private bool KnowsLength(Value s) =>
        s is ConstPtr { Object: string } || _slices.ContainsKey(s) || _concats.ContainsKey(s) || _builtSliceLengths.ContainsKey(s);

    private bool Known(Value s) => Get(s) is ConstPtr { Object: string } || _concats.ContainsKey(Get(s)) || _slices.ContainsKey(Get(s)) || Run.IsNonNull(s);

    /// <summary>Keeps <paramref name="op"/>, a slice, virtual (or folds it); false when it must be made as it is.</summary>
    private bool SliceVirtually(ResOperation op)
    {
        var source = Get(op.Args[0]);
        Value start = Get(op.Args[1]), length = Get(op.Args[2]);
        if (source is ConstPtr { Object: string text } && start is ConstInt { IntValue: var a } && length is ConstInt { IntValue: var n })
        {
            if (a < 0 || n < 0 || a + n > text.Length) return false; // the contract is broken: let the call throw
            Run.MakeEqual(op, new ConstPtr(text.Substring((int)a, (int)n)));
            return true;
        }
        if (!Known(source) || _concats.ContainsKey(source)) return false;
        if (_slices.TryGetValue(source, out var outer))
        {
            source = Get(outer.Args[0]);
            start = Sum(outer.Args[1], start);
        }
        op.Args = [source, start, length];
        _slices[op] = op;
        return true;
    }

    /// <summary>
    /// <c>string.get_Chars</c> at a constant index of a virtual string, where the character provably lies: in the
    /// constant prefix of a concatenation (folds), or inside a slice of constant length (read from the sliced
    /// string, still a call that may not raise there). False: the call is made as it is (forcing its string).
    /// </summary>
    private bool CharAt(ResOperation op)
    {
        if (Get(op.Args[1]) is not ConstInt { IntValue: var i } || i < 0) return false;
        var s = Get(op.Args[0]);
        if (_concats.TryGetValue(s, out var concat) && Get(concat.Args[0]) is ConstPtr { Object: string prefix } && i < prefix.Length)
        {
            Run.MakeEqual(op, new ConstInt(prefix[(int)i]));
            _callNotEmitted = true; // folded: its exception guard goes too
            return true;
        }
        if (_slices.TryGetValue(s, out var slice) && Get(slice.Args[2]) is ConstInt { IntValue: var n } && i < n)
        {
            var read = new ResOperation(op.Num, Get(slice.Args[0]), Sum(slice.Args[1], op.Args[1])) { Descr = op.Descr };
            EmitNext(read);
            Run.MakeEqual(op, read);
            return true;
        }
        return false;
    }

    /// <summary><paramref name="a"/> + <paramref name="b"/>, folded when both are constants.</summary>
    private Value Sum(Value a, Value b)
    {
        a = Get(a);
        b = Get(b);
        if (a is ConstInt x && b is ConstInt y) return new ConstInt(x.IntValue + y.IntValue);
        if (a is ConstInt { IntValue: 0 }) return b;
        if (b is ConstInt { IntValue: 0 }) return a;
        return Emit(new ResOperation(OpNum.IntAdd, a, b));
    }

    private Value Length(Value s)
    {
        s = Get(s);
        if (s is ConstPtr { Object: string str }) return new ConstInt(str.Length);
        if (_slices.TryGetValue(s, out var slice)) return Get(slice.Args[2]);
        if (_builtSliceLengths.TryGetValue(s, out var built)) return Get(built);
        if (_concats.TryGetValue(s, out var inner))
        {
            Value l = Length(inner.Args[0]), r = Length(inner.Args[1]);
            return l is ConstInt a && r is ConstInt b ? (Value)new ConstInt(a.IntValue + b.IntValue) : Emit(new ResOperation(OpNum.IntAdd, l, r));
        }
        return Emit(new ResOperation(OpNum.Strlen, s));
    }

    /// <summary>Emits <paramref name="op"/>, a new op, and returns what stands for it after the passes behind this
    /// one saw it (the pure pass may have found it equal to an earlier op and dropped it).</summary>
    private Value Emit(ResOperation op)
    {
        EmitNext(op);
        return Get(op);
    }

    /// <summary>Emits the concatenation <paramref name="v"/> stands for, if it is virtual.</summary>
    private void Force(Value v)
    {
        v = Get(v);
        if (_slices.Remove(v, out var slice))
        {
            _builtSliceLengths[v] = slice.Args[2];
            slice.Args = slice.Args.Select(Get).ToArray(); // a slice's string is never virtual: nothing to force
            EmitNext(slice);
            return;
        }
        if (!_concats.Remove(v, out var call)) return;
        foreach (var a in call.Args) Force(a);
        call.Args = call.Args.Select(Get).ToArray();
        EmitNext(call);
    }
}
