// Members in a group share the group comment above them (operands as in the type summary).
#pragma warning disable CS1591
namespace MetaJit.Engine.JitCodes;

/// <summary>
/// The JitCode instruction set. Operands live in <see cref="JitInsn"/>: <c>A</c> is the destination register
/// (in the bank of the op's result kind), <c>B</c>, <c>C</c>, <c>D</c> are source registers, <c>Imm</c> an
/// integer immediate, <c>Target</c>/<c>Targets</c> jump targets (pcs), <c>Descr</c> a descriptor, <c>Args</c>
/// encoded registers (<see cref="Reg"/>). Integer ops carry a width <c>W</c> of 32 or 64: with 32 the inputs are
/// taken as 32-bit values and the result is sign-extended from 32 bits, which is how every int32 value is kept
/// in a 64-bit register. The listing names (<c>int_add</c>...) follow RPython's.
/// </summary>
public enum JitOpcode : ushort
{
    // ---- constants and moves
    /// <summary>i[A] = Imm</summary>
    IntConst,
    /// <summary>f[A] = FImm</summary>
    FloatConst,
    /// <summary>r[A] = Const (a string, a Type, or null)</summary>
    RefConst,
    /// <summary>i[A] = i[B]</summary>
    IntCopy,
    /// <summary>f[A] = f[B]</summary>
    FloatCopy,
    /// <summary>r[A] = r[B]</summary>
    RefCopy,

    // ---- integer arithmetic, i[A] = i[B] op i[C], width W
    IntAdd, IntSub, IntMul,
    /// <summary>Truncating signed division; DivideByZeroException, OverflowException on MinValue / -1.</summary>
    IntDiv,
    /// <summary>Signed remainder (sign of the dividend).</summary>
    IntMod,
    /// <summary>Unsigned division of the low W bits.</summary>
    UintDiv,
    /// <summary>Unsigned remainder of the low W bits.</summary>
    UintMod,
    IntAnd, IntOr, IntXor,
    /// <summary>Shift left; the count is masked to W-1 as C# does.</summary>
    IntLshift,
    /// <summary>Arithmetic shift right; count masked to W-1.</summary>
    IntRshift,
    /// <summary>Logical shift right of the low W bits; count masked to W-1.</summary>
    UintRshift,
    /// <summary>i[A] = -i[B]</summary>
    IntNeg,
    /// <summary>i[A] = ~i[B]</summary>
    IntInvert,
    /// <summary>Checked signed add at width W: OverflowException when the result does not fit.</summary>
    IntAddOvf,
    /// <summary>Checked signed subtract.</summary>
    IntSubOvf,
    /// <summary>Checked signed multiply.</summary>
    IntMulOvf,
    /// <summary>Checked unsigned add of the low W bits.</summary>
    UintAddOvf,
    /// <summary>Checked unsigned subtract.</summary>
    UintSubOvf,
    /// <summary>Checked unsigned multiply.</summary>
    UintMulOvf,

    // ---- integer width conversions, i[A] = conv(i[B]); Imm = bits (8, 16, 32)
    /// <summary>Sign-extend from Imm bits.</summary>
    IntSignExt,
    /// <summary>Zero-extend from Imm bits.</summary>
    IntZeroExt,
    /// <summary>Checked conversion (conv.ovf.*): Const is the target System.TypeCode, Imm is 1 when the source is unsigned.</summary>
    IntConvOvf,

    // ---- integer comparisons, i[A] = (i[B] op i[C]) ? 1 : 0, width W
    IntLt, IntLe, IntEq, IntNe, IntGt, IntGe,
    UintLt, UintLe, UintGt, UintGe,

    // ---- floats, f[A] = f[B] op f[C]
    FloatAdd, FloatSub, FloatMul, FloatDiv,
    /// <summary>IEEE remainder as C# % on doubles (fmod).</summary>
    FloatMod,
    /// <summary>f[A] = -f[B]</summary>
    FloatNeg,
    /// <summary>f[A] = (double)(float)f[B] (conv.r4)</summary>
    FloatRound32,
    /// <summary>i[A] = (f[B] op f[C]) ? 1 : 0; ordered comparisons (false when either is NaN, except ne).</summary>
    FloatLt, FloatLe, FloatEq, FloatNe, FloatGt, FloatGe,

    // ---- int/float conversions
    /// <summary>f[A] = (double)i[B] (signed, 64-bit)</summary>
    CastIntToFloat,
    /// <summary>f[A] = (double)(unsigned low W bits of i[B]) (conv.r.un)</summary>
    CastUintToFloat,
    /// <summary>i[A] = conversion of f[B] to the integral type whose System.TypeCode is Imm, as C# casts (unchecked).</summary>
    CastFloatToInt,
    /// <summary>Checked float to integer (conv.ovf.* from F): Imm is the target System.TypeCode.</summary>
    CastFloatToIntOvf,

    // ---- references
    /// <summary>i[A] = r[B] == r[C] (reference identity)</summary>
    PtrEq,
    /// <summary>i[A] = r[B] != r[C]</summary>
    PtrNe,
    /// <summary>i[A] = r[B] is null</summary>
    RefIsNull,
    /// <summary>i[A] = r[B] is not null</summary>
    RefNonNull,
    /// <summary>r[A] = r[B] as Descr(TypeDescr) (null when not an instance: IL isinst)</summary>
    IsInst,
    /// <summary>r[A] = (Descr)r[B]: InvalidCastException when not an instance; null passes (IL castclass)</summary>
    CastClass,
    /// <summary>r[A] = box of i[B] as the primitive or enum type Descr(TypeDescr)</summary>
    BoxInt,
    /// <summary>r[A] = box of f[B] as float or double per Descr</summary>
    BoxFloat,
    /// <summary>i[A] = unbox r[B] as Descr (NullReferenceException / InvalidCastException as unbox.any)</summary>
    UnboxInt,
    /// <summary>f[A] = unbox r[B] as Descr</summary>
    UnboxFloat,

    // ---- control flow
    /// <summary>pc = Target</summary>
    Goto,
    /// <summary>if (i[B] != 0) pc = Target</summary>
    GotoIfTrue,
    /// <summary>if (i[B] == 0) pc = Target</summary>
    GotoIfFalse,
    /// <summary>if (r[B] == null) pc = Target</summary>
    GotoIfNull,
    /// <summary>if (r[B] != null) pc = Target</summary>
    GotoIfNonNull,
    /// <summary>if ((ulong)(uint)i[B] &lt; Targets.Length) pc = Targets[i[B]] else pc = Target (IL switch)</summary>
    Switch,

    // ---- objects and statics
    /// <summary>r[A] = new uninitialized instance of Descr(TypeDescr); the constructor is a separate call</summary>
    New,
    /// <summary>i[A] = r[B].field(Descr)</summary>
    GetFieldInt,
    /// <summary>f[A] = r[B].field</summary>
    GetFieldFloat,
    /// <summary>r[A] = r[B].field</summary>
    GetFieldRef,
    /// <summary>r[B].field = i[C]</summary>
    SetFieldInt,
    /// <summary>r[B].field = f[C]</summary>
    SetFieldFloat,
    /// <summary>r[B].field = r[C]</summary>
    SetFieldRef,
    /// <summary>i[A] = static field Descr</summary>
    GetStaticInt,
    /// <summary>f[A] = static field</summary>
    GetStaticFloat,
    /// <summary>r[A] = static field</summary>
    GetStaticRef,
    /// <summary>static field = i[C]</summary>
    SetStaticInt,
    /// <summary>static field = f[C]</summary>
    SetStaticFloat,
    /// <summary>static field = r[C]</summary>
    SetStaticRef,

    // ---- arrays (Descr is the ArrayDescr)
    /// <summary>r[A] = new Descr[i[B]]</summary>
    NewArray,
    /// <summary>i[A] = r[B].Length</summary>
    ArrayLen,
    /// <summary>i[A] = r[B][i[C]]</summary>
    GetArrayItemInt,
    /// <summary>f[A] = r[B][i[C]]</summary>
    GetArrayItemFloat,
    /// <summary>r[A] = r[B][i[C]]</summary>
    GetArrayItemRef,
    /// <summary>r[B][i[C]] = i[D]</summary>
    SetArrayItemInt,
    /// <summary>r[B][i[C]] = f[D]</summary>
    SetArrayItemFloat,
    /// <summary>r[B][i[C]] = r[D]</summary>
    SetArrayItemRef,

    // ---- calls: Descr is the CallDescr, Args the argument registers, A the result register (if any)
    /// <summary>Native call of exactly Descr.Method (a constructor: newobj).</summary>
    ResidualCall,
    /// <summary>Native call dispatching on the receiver (callvirt).</summary>
    ResidualCallVirtual,
    /// <summary>Call of Descr.JitCode: the blackhole and the tracer run it as a nested JitCode frame.</summary>
    InlineCall,
    /// <summary>Virtual call on the receiver Args[0]: Descr.Resolve(receiver type) gives the target, inlined
    /// when it has a JitCode and residual otherwise (the tracer guards the class).</summary>
    DispatchCall,

    // ---- returns and exceptions
    /// <summary>return i[B]</summary>
    IntReturn,
    /// <summary>return f[B]</summary>
    FloatReturn,
    /// <summary>return r[B]</summary>
    RefReturn,
    /// <summary>return</summary>
    VoidReturn,
    /// <summary>throw r[B] (NullReferenceException when null)</summary>
    Throw,
    /// <summary>End of a finally block: if r[B] != null rethrow it, else pc = Targets[i[C]].</summary>
    FinallyEnd,

    // ---- hints
    /// <summary>The merge point of a portal: Descr is the PortalDescr, Args the greens then reds.</summary>
    JitMergePoint,
    /// <summary>CanEnterJit: Descr the PortalDescr, Args the greens then reds (the ref'd variables), A the bool
    /// result register, B the out-result register (kind per PortalDescr.ResultKind). On JitCodes it returns false.</summary>
    CanEnterJit,
    /// <summary>i[A] = i[B]; in a trace, guard_value and then a constant.</summary>
    PromoteInt,
    /// <summary>f[A] = f[B]; promoted.</summary>
    PromoteFloat,
    /// <summary>r[A] = r[B]; promoted.</summary>
    PromoteRef,
    /// <summary>i[A] = whether register Args[0] is a constant of the trace (0 on the blackhole).</summary>
    IsConstant,
    /// <summary>i[A] = 1 (JitCodes only run under the JIT).</summary>
    WeAreJitted,
    /// <summary>Checks r[B] is exactly Descr(TypeDescr); in a trace guard_class.</summary>
    RecordExactClass,
    /// <summary>Descr is the elidable CallDescr, Args[0] the known result, Args[1..] the arguments. No effect on the blackhole.</summary>
    RecordKnownResult,
}
