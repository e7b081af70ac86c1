namespace MetaJit.Engine.Trace;

/// <summary>
/// The trace operations, named as RPython's resoperations (the text name is the snake_case of the member:
/// <c>IntAddOvf</c> is <c>int_add_ovf</c>). <see cref="OpInfo"/> holds each op's arity, result kind and flags;
/// docs/trace-ir.md gives the semantics.
/// </summary>
public enum OpNum
{
#pragma warning disable CS1591 // the op list is documented in OpInfo and docs/trace-ir.md
    // Integer arithmetic (64-bit, wrapping) and comparisons (results 0/1).
    IntAdd, IntSub, IntMul, IntFloordiv, IntMod, UintFloordiv, UintMod,
    IntAnd, IntOr, IntXor, IntLshift, IntRshift, UintRshift, IntNeg, IntInvert, IntSignext,
    IntLt, IntLe, IntEq, IntNe, IntGt, IntGe, UintLt, UintLe, UintGt, UintGe,
    IntIsZero, IntIsTrue,
    IntAddOvf, IntSubOvf, IntMulOvf,
    // Floats.
    FloatAdd, FloatSub, FloatMul, FloatTruediv, FloatNeg, FloatAbs,
    FloatLt, FloatLe, FloatEq, FloatNe, FloatGt, FloatGe,
    CastIntToFloat, CastFloatToInt,
    // References.
    PtrEq, PtrNe,
    SameAsI, SameAsF, SameAsR,
    // Memory.
    GetfieldGcI, GetfieldGcF, GetfieldGcR, SetfieldGc,
    GetstaticI, GetstaticF, GetstaticR, Setstatic,
    GetarrayitemGcI, GetarrayitemGcF, GetarrayitemGcR, SetarrayitemGc, ArraylenGc,
    NewWithVtable, NewArray, NewArrayClear,
    Strlen, Strgetitem,
    QuasiimmutField,
    // Calls.
    CallI, CallF, CallR, CallN,
    CallPureI, CallPureF, CallPureR, CallPureN,
    CallMayForceI, CallMayForceF, CallMayForceR, CallMayForceN,
    CallAssemblerI, CallAssemblerF, CallAssemblerR, CallAssemblerN,
    CallLoopinvariantI, CallLoopinvariantF, CallLoopinvariantR, CallLoopinvariantN,
    // Guards.
    GuardTrue, GuardFalse, GuardValue, GuardClass, GuardNonnull, GuardIsnull, GuardNonnullClass,
    GuardNoException, GuardException, GuardNoOverflow, GuardOverflow, GuardNotInvalidated, GuardNotForced,
    // Control and debugging.
    Label, Jump, Finish, DebugMergePoint,
#pragma warning restore CS1591
}
