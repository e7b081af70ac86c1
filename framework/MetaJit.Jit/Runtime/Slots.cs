using MetaJit.Engine.Descriptors;
using MetaJit.Engine.Execution;
using MetaJit.Engine.JitCodes;

namespace MetaJit.Engine.Runtime;

/// <summary>Moves one green/red value of type T between the interpreter, the key scratch and JitFrames.</summary>
internal static class Slots
{
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static void Put<T>(JitCellTable table, int i, T value)
    {
        if (!typeof(T).IsValueType)
        {
            table.KeyRefs[i] = value; // folded in the shared code of reference types: no kind lookup
            return;
        }
        switch (RegConv<T>.Kind)
        {
            case ValueKind.Int: table.KeyInts[i] = RegConv<T>.ToInt(value); break;
            case ValueKind.Float: table.KeyFloats[i] = RegConv<T>.ToFloat(value); break;
            default: table.KeyRefs[i] = RegConv<T>.ToRef(value); break;
        }
    }

    public static void Store<T>(JitFrame frame, int encodedReg, T value)
    {
        var reg = Reg.Decode(encodedReg);
        switch (reg.Kind)
        {
            case ValueKind.Int: frame.I[reg.Index] = RegConv<T>.ToInt(value); break;
            case ValueKind.Float: frame.F[reg.Index] = RegConv<T>.ToFloat(value); break;
            default: frame.R[reg.Index] = RegConv<T>.ToRef(value); break;
        }
    }

    public static T Load<T>(JitFrame frame, int encodedReg)
    {
        var reg = Reg.Decode(encodedReg);
        return reg.Kind switch
        {
            ValueKind.Int => RegConv<T>.FromInt(frame.I[reg.Index]),
            ValueKind.Float => RegConv<T>.FromFloat(frame.F[reg.Index]),
            _ => RegConv<T>.FromRef(frame.R[reg.Index]),
        };
    }

    public static T Result<T>(PortalOutcome outcome)
    {
        if (outcome.Kind == ValueKind.Void) return default!;
        return RegConv<T>.Kind switch
        {
            ValueKind.Int => RegConv<T>.FromInt(outcome.Int),
            ValueKind.Float => RegConv<T>.FromFloat(outcome.Float),
            _ => RegConv<T>.FromRef(outcome.Ref),
        };
    }
}
