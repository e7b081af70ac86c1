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
/// arithmetic), so the op is rare there. (Single-precision float fields are not narrowed: the IR has no op that
/// rounds a double to single precision.)
/// </summary>
internal static class StoreNarrowing
{
    /// <summary>Narrows the integer value <paramref name="store"/> (a setfield, setarrayitem or setstatic) stores,
    /// in place.</summary>
    public static void Apply(OptimizationRun run, ResOperation store)
    {
        int at = store.Num switch
        {
            OpNum.SetfieldGc => 1,
            OpNum.SetarrayitemGc => 2,
            OpNum.Setstatic => 0,
            _ => -1,
        };
        if (at < 0 || store.Args[at].Kind != ValueKind.Int) return;
        var type = store.Descr switch
        {
            FieldDescr f => f.Field.FieldType,
            ArrayDescr a => a.ElementType,
            _ => null,
        };
        if (type == null) return;
        if (type.IsEnum) type = Enum.GetUnderlyingType(type);
        var value = run.Get(store.Args[at]);
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
