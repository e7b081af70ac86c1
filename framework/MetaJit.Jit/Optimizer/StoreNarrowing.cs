using MetaJit.Engine.Descriptors;
using MetaJit.Engine.Trace;

namespace MetaJit.Engine.Optimizer;

/// <summary>
/// A store into an integer field or array item narrower than a register keeps only what its type holds (IL
/// <c>stfld</c>/<c>stelem</c>: an <c>int</c> field keeps the low 32 bits, a <c>bool</c> whether the value is
/// non-zero), and a later read gives that narrowed value back. The passes that remember stored values instead of
/// reading them (heap, virtualize, a bridge's heap facts) must remember the narrowed value, not the register, so
/// <see cref="OptimizationRun"/> replaces the stored value by its narrowed form before any pass sees the store:
/// folded for a constant, nothing when the value's known range already fits, else the op that narrows it
/// (<c>int_signext</c>, <c>int_and</c> with a mask, <c>int_is_true</c>), which later passes treat like any other.
/// Interpreter traces store values the codewriter already narrowed (its <c>int_signext</c> after <c>int</c>
/// arithmetic), so the op is rare there. A <c>float</c> field or item gets the double rounded to single precision,
/// by an elidable call (<see cref="ToSingle"/>: the IR has no op for it).
/// </summary>
internal static class StoreNarrowing
{
    /// <summary>Narrows the value <paramref name="store"/> (a setfield, setarrayitem or setstatic) stores, in place.</summary>
    public static void Apply(OptimizationRun run, ResOperation store)
    {
        int at = store.Num switch
        {
            OpNum.SetfieldGc => 1,
            OpNum.SetarrayitemGc => 2,
            OpNum.Setstatic => 0,
            _ => -1,
        };
        if (at < 0 || store.Args[at].Kind == ValueKind.Ref) return;
        var type = store.Descr switch
        {
            FieldDescr f => f.Field.FieldType,
            ArrayDescr a => a.ElementType,
            _ => null,
        };
        if (type == null) return;
        if (type.IsEnum) type = Enum.GetUnderlyingType(type);
        var value = run.Get(store.Args[at]);
        if (value.Kind == ValueKind.Float)
        {
            if (type == typeof(float)) store.Args[at] = NarrowFloat(run, value);
            return;
        }
        if (IntBound.OfType(type).Contains(run.BoundOf(value))) return;
        if (value is ConstInt c)
        {
            store.Args[at] = new ConstInt(Narrow(Type.GetTypeCode(type), c.IntValue));
            return;
        }
        var narrowing = Type.GetTypeCode(type) switch
        {
            TypeCode.Boolean => new ResOperation(OpNum.IntIsTrue, [value]),
            TypeCode.Byte => new ResOperation(OpNum.IntAnd, [value, new ConstInt(0xff)]),
            TypeCode.Char or TypeCode.UInt16 => new ResOperation(OpNum.IntAnd, [value, new ConstInt(0xffff)]),
            TypeCode.SByte => new ResOperation(OpNum.IntSignext, [value, new ConstInt(1)]),
            TypeCode.Int16 => new ResOperation(OpNum.IntSignext, [value, new ConstInt(2)]),
            TypeCode.Int32 or TypeCode.UInt32 => new ResOperation(OpNum.IntSignext, [value, new ConstInt(4)]), // uint reads back sign-extended
            _ => null,
        };
        if (narrowing == null) return;
        run.SendNew(narrowing);
        store.Args[at] = run.Get(narrowing);
    }

    /// <summary>The call that rounds a double to single precision: the IR has no op for it, and an elidable call
    /// folds on a constant and is shared like a pure op.</summary>
    private static readonly CallDescr ToSingleCall = MakeToSingleCall();

    private static CallDescr MakeToSingleCall()
    {
        var descr = Descrs.Call(typeof(StoreNarrowing).GetMethod(nameof(ToSingle))!);
        descr.Effect = EffectInfo.PureCannotRaise;
        return descr;
    }

    /// <summary>What a <c>float</c> field or item holds after storing <paramref name="value"/>, read back.</summary>
    public static double ToSingle(double value) => (float)value;

    private static Value NarrowFloat(OptimizationRun run, Value value)
    {
        if (value is ConstFloat c) return new ConstFloat(ToSingle(c.FloatValue));
        if (IsSingle(value)) return value;
        var call = new ResOperation(OpNum.CallPureF, [value], ToSingleCall);
        run.SendNew(call);
        return run.Get(call);
    }

    /// <summary>True when <paramref name="value"/> is already single precision: read from a <c>float</c> field or
    /// item, or rounded before.</summary>
    private static bool IsSingle(Value value) => value is ResOperation op && op.Descr switch
    {
        FieldDescr f => op.Num is OpNum.GetfieldGcF or OpNum.GetstaticF && f.Field.FieldType == typeof(float),
        ArrayDescr a => op.Num == OpNum.GetarrayitemGcF && a.ElementType == typeof(float),
        CallDescr call => ReferenceEquals(call, ToSingleCall),
        _ => false,
    };

    /// <summary>What a read of a <paramref name="code"/> field gives back after storing <paramref name="value"/>.</summary>
    private static long Narrow(TypeCode code, long value) => code switch
    {
        TypeCode.Boolean => value != 0 ? 1 : 0,
        TypeCode.Byte => value & 0xff,
        TypeCode.Char or TypeCode.UInt16 => value & 0xffff,
        TypeCode.SByte => (sbyte)value,
        TypeCode.Int16 => (short)value,
        TypeCode.Int32 or TypeCode.UInt32 => (int)value,
        _ => value,
    };
}
