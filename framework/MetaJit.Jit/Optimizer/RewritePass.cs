using MetaJit.Engine.Descriptors;
using MetaJit.Engine.Trace;

namespace MetaJit.Engine.Optimizer;

/// <summary>
/// Local rewrites (RPython's rewrite.py): constant folding with <see cref="TraceSemantics"/> (the same code
/// the trace interpreter runs, so folding cannot disagree with execution), algebraic identities
/// (x+0, x*1, x&amp;-1, x-x, x==x...), and guards: a guard already implied by what is known is dropped
/// (guard_true of a constant 1, guard_nonnull of a non-null value, guard_class of a known class, a repeated
/// guard_value); after a guard passes its argument becomes known (guard_true(x): x is 1; guard_value(x, c): x
/// is c; guard_class: the class). guard_nonnull followed by guard_class of the same value becomes one
/// guard_nonnull_class at the first place; guard_value after guard_class replaces the guard_class.
/// </summary>
internal sealed class RewritePass : OptimizationPass
{
    /// <summary>The emitted guard that taught us a value's nullness or class, for strengthening.</summary>
    private readonly Dictionary<Value, ResOperation> _guardOn = new(ReferenceEqualityComparer.Instance);

    public override void Propagate(ResOperation op)
    {
        if (op.IsGuard)
        {
            OptimizeGuard(op);
            return;
        }
        if (op.Num == OpNum.NewWithVtable)
        {
            EmitNext(op);
            Run.SetKnownClass(op, ((TypeDescr)op.Descr!).Type);
            return;
        }
        if (op.Num is OpNum.NewArray or OpNum.NewArrayClear)
        {
            EmitNext(op);
            Run.SetKnownClass(op, ((ArrayDescr)op.Descr!).ArrayType);
            return;
        }
        if (Fold(op) is Value result)
        {
            Run.MakeEqual(op, result);
            return;
        }
        if (op.Num == OpNum.Label) _sinceLabel.Clear();
        if (Reassociate(op) is ResOperation combined)
        {
            // (a + c1) - c2 -> a + (c1 - c2): interpreters move a stack pointer up and down by constants,
            // and equal indices let the heap pass forward stores to loads.
            if (combined.Args[1] is ConstInt { IntValue: 0 }) Run.MakeEqual(op, combined.Args[0]);
            else
            {
                Run.MakeEqual(op, combined);
                _sinceLabel.Add(combined);
                EmitNext(combined);
            }
            return;
        }
        if (op.Num is OpNum.IntAdd or OpNum.IntSub) _sinceLabel.Add(op);
        EmitNext(op);
    }

    /// <summary>int_add/int_sub ops emitted since the last label: only those may be combined (a value from
    /// before a label is, after it, whatever the label argument carries).</summary>
    private readonly HashSet<Value> _sinceLabel = new(ReferenceEqualityComparer.Instance);

    /// <summary>int_add/int_sub of a constant applied to an int_add/int_sub of a constant, as one int_add; or null.</summary>
    private ResOperation? Reassociate(ResOperation op)
    {
        if (op.Num is not (OpNum.IntAdd or OpNum.IntSub) || op.Args[1] is not ConstInt outer) return null;
        if (op.Args[0] is not ResOperation { Num: OpNum.IntAdd or OpNum.IntSub } inner || inner.Args[1] is not ConstInt innerConst) return null;
        if (!_sinceLabel.Contains(inner)) return null;
        long k1 = inner.Num == OpNum.IntAdd ? innerConst.IntValue : unchecked(-innerConst.IntValue);
        long k2 = op.Num == OpNum.IntAdd ? outer.IntValue : unchecked(-outer.IntValue);
        return new ResOperation(OpNum.IntAdd, new Value[] { inner.Args[0], new ConstInt(unchecked(k1 + k2)) });
    }

    /// <summary>The value an op equals without running it, or null.</summary>
    private Value? Fold(ResOperation op)
    {
        var args = op.Args;
        if (op.Info.IsPure && op.Args.All(a => a is Const))
        {
            try
            {
                return Const.Of(op.Kind, TraceSemantics.Evaluate(op, v => ((Const)v).Boxed));
            }
            catch (Exception e) when (e is ArithmeticException or NullReferenceException or IndexOutOfRangeException or InvalidCastException or NotSupportedException)
            {
                return null; // the op raises here: leave it to run (and raise) as traced
            }
        }
        if (op.Info.IsOvf && args[0] is ConstInt oa && args[1] is ConstInt ob)
        {
            return WideArithmetic.TryExact(op.Num, oa.IntValue, ob.IntValue, out long exact) ? new ConstInt(exact) : null;
        }
        if (op.Args.Length == 2 && op.Args[0].Kind == ValueKind.Int && op.Args[1].Kind == ValueKind.Int)
        {
            Value x = args[0], y = args[1];
            long? cx = (x as ConstInt)?.IntValue, cy = (y as ConstInt)?.IntValue;
            bool same = ReferenceEquals(x, y) || (cx != null && cx == cy);
            switch (op.Num)
            {
                case OpNum.IntAdd or OpNum.IntAddOvf or OpNum.IntOr or OpNum.IntXor:
                    if (cy == 0) return x;
                    if (cx == 0) return y;
                    if (op.Num == OpNum.IntXor && same) return new ConstInt(0);
                    if (op.Num == OpNum.IntOr && same) return x;
                    break;
                case OpNum.IntSub or OpNum.IntSubOvf:
                    if (cy == 0) return x;
                    if (same) return new ConstInt(0);
                    break;
                case OpNum.IntMul or OpNum.IntMulOvf:
                    if (cy == 1) return x;
                    if (cx == 1) return y;
                    if (cy == 0 || cx == 0) return new ConstInt(0);
                    break;
                case OpNum.IntAnd:
                    if (cy == -1) return x;
                    if (cx == -1) return y;
                    if (cy == 0 || cx == 0) return new ConstInt(0);
                    if (same) return x;
                    break;
                case OpNum.IntFloordiv or OpNum.UintFloordiv:
                    if (cy == 1) return x;
                    break;
                case OpNum.IntLshift or OpNum.IntRshift or OpNum.UintRshift:
                    if (cy == 0) return x;
                    if (cx == 0) return new ConstInt(0);
                    break;
                case OpNum.IntEq or OpNum.IntLe or OpNum.IntGe or OpNum.UintLe or OpNum.UintGe when same:
                    return new ConstInt(1);
                case OpNum.IntNe or OpNum.IntLt or OpNum.IntGt or OpNum.UintLt or OpNum.UintGt when same:
                    return new ConstInt(0);
            }
        }
        switch (op.Num)
        {
            case OpNum.SameAsI or OpNum.SameAsF or OpNum.SameAsR:
                return args[0];
            case OpNum.IntNeg when args[0] is ResOperation { Num: OpNum.IntNeg } inner:
                return inner.Args[0];
            case OpNum.IntInvert when args[0] is ResOperation { Num: OpNum.IntInvert } inner:
                return inner.Args[0];
            case OpNum.PtrEq or OpNum.PtrNe:
            {
                bool eq = op.Num == OpNum.PtrEq;
                if (ReferenceEquals(args[0], args[1])) return new ConstInt(eq ? 1 : 0);
                // A value known non-null is not NULL.
                if ((args[1] is ConstPtr { Object: null } && Run.IsNonNull(args[0])) || (args[0] is ConstPtr { Object: null } && Run.IsNonNull(args[1])))
                    return new ConstInt(eq ? 0 : 1);
                Type? ca = Run.KnownClass(args[0]), cb = Run.KnownClass(args[1]);
                if (ca != null && cb != null && ca != cb) return new ConstInt(eq ? 0 : 1);
                break;
            }
        }
        return null;
    }

    private void OptimizeGuard(ResOperation op)
    {
        var args = op.Args;
        switch (op.Num)
        {
            case OpNum.GuardTrue or OpNum.GuardFalse:
                if (args[0] is ConstInt c && (c.IntValue != 0) == (op.Num == OpNum.GuardTrue)) return;
                EmitNext(op);
                Run.MakeEqual(args[0], new ConstInt(op.Num == OpNum.GuardTrue ? 1 : 0));
                return;
            case OpNum.GuardNonnull:
                if (Run.IsNonNull(args[0])) return;
                EmitNext(op);
                Run.SetNonNull(args[0]);
                _guardOn[Get(args[0])] = op;
                return;
            case OpNum.GuardIsnull:
                if (args[0] is ConstPtr { Object: null }) return;
                EmitNext(op);
                Run.MakeEqual(args[0], ConstPtr.Null);
                return;
            case OpNum.GuardClass or OpNum.GuardNonnullClass:
            {
                var type = (args[1] as ConstPtr)?.Object as Type;
                var known = Run.KnownClass(args[0]);
                if (type != null && known == type) return;
                var x = Get(args[0]);
                if (type != null && known == null && _guardOn.TryGetValue(x, out var earlier) && earlier.Num == OpNum.GuardNonnull
                    && Run.ReplaceEmitted(earlier, new ResOperation(OpNum.GuardNonnullClass, [x, args[1]])))
                {
                    _guardOn[x] = Run.Output.Last(o => o.Num == OpNum.GuardNonnullClass && ReferenceEquals(o.Args[0], x));
                    Run.SetKnownClass(x, type);
                    return;
                }
                EmitNext(op);
                if (type != null)
                {
                    Run.SetKnownClass(x, type);
                    _guardOn[x] = op;
                }
                return;
            }
            case OpNum.GuardValue:
            {
                var x = args[0];
                if (x is Const && x.Equals(args[1])) return;
                if (x is not Const && args[1] is ConstPtr { Object: { } obj } && Run.KnownClass(x) == obj.GetType()
                    && _guardOn.TryGetValue(x, out var earlier) && earlier.Num is OpNum.GuardClass or OpNum.GuardNonnullClass
                    && Run.ReplaceEmitted(earlier, new ResOperation(OpNum.GuardValue, [x, args[1]])))
                {
                    _guardOn.Remove(x);
                    Run.MakeEqual(x, args[1]);
                    return;
                }
                EmitNext(op);
                if (x is not Const && args[1] is Const) Run.MakeEqual(x, args[1]);
                return;
            }
        }
        EmitNext(op);
    }
}
