using System.Text;
using MetaJit.Engine.Descriptors;

namespace MetaJit.Engine.Trace;

/// <summary>Properties of an operation that passes ask about: the optimizer (is it pure? a guard?), the printer, the parser.</summary>
[Flags]
public enum OpFlags
{
    /// <summary>No flag.</summary>
    None = 0,
    /// <summary>No side effect and the result depends only on the arguments (and descr): may be folded, CSE'd, removed when unused.</summary>
    Pure = 1,
    /// <summary>A guard: exits the trace when its condition fails; carries fail args and resume data.</summary>
    Guard = 2,
    /// <summary>A call of <see cref="CallDescr.Method"/>.</summary>
    Call = 4,
    /// <summary>Ends the trace (jump, finish).</summary>
    Final = 8,
    /// <summary>An overflow-checking op, followed by guard_no_overflow or guard_overflow.</summary>
    Ovf = 16,
    /// <summary>Allocates.</summary>
    Malloc = 32,
    /// <summary>Reads the heap (fields, array items, statics): not pure, but without side effects.</summary>
    HeapRead = 64,
}

/// <summary>
/// The static table of operations: name, arity (-1 for variable), result kind, flags and the descriptor class
/// the op requires (null: none; <see cref="Descr"/>: any, optional).
/// </summary>
/// <example><code>OpInfo.Of(OpNum.IntAdd).Name == "int_add"; OpInfo.ByName("guard_true").IsGuard</code></example>
public sealed class OpInfo
{
    private static readonly OpInfo[] Table = Build();
    private static readonly Dictionary<string, OpInfo> Names = Table.ToDictionary(i => i.Name);

    private OpInfo(OpNum num, int arity, ValueKind result, OpFlags flags, Type? descr)
    {
        Num = num;
        Name = SnakeCase(num.ToString());
        Arity = arity;
        ResultKind = result;
        Flags = flags;
        DescrType = descr;
    }

    /// <summary>The op.</summary>
    public OpNum Num { get; }
    /// <summary>The RPython name, e.g. <c>getfield_gc_i</c>.</summary>
    public string Name { get; }
    /// <summary>Number of arguments, or -1 when variable (calls, label, jump, finish).</summary>
    public int Arity { get; }
    /// <summary>The kind of the result (<see cref="ValueKind.Void"/> when none).</summary>
    public ValueKind ResultKind { get; }
    /// <summary>The flags.</summary>
    public OpFlags Flags { get; }
    /// <summary>The descriptor class required (null when the op takes none; <see cref="Descr"/> when optional).</summary>
    public Type? DescrType { get; }

    /// <summary>See <see cref="OpFlags.Guard"/>.</summary>
    public bool IsGuard => (Flags & OpFlags.Guard) != 0;
    /// <summary>See <see cref="OpFlags.Pure"/>.</summary>
    public bool IsPure => (Flags & OpFlags.Pure) != 0;
    /// <summary>See <see cref="OpFlags.Call"/>.</summary>
    public bool IsCall => (Flags & OpFlags.Call) != 0;
    /// <summary>See <see cref="OpFlags.Final"/>.</summary>
    public bool IsFinal => (Flags & OpFlags.Final) != 0;
    /// <summary>See <see cref="OpFlags.Ovf"/>.</summary>
    public bool IsOvf => (Flags & OpFlags.Ovf) != 0;
    /// <summary>True when the op has no side effect (pure, heap read, or allocation) and may be removed when its result is unused.</summary>
    public bool HasNoSideEffect => (Flags & (OpFlags.Pure | OpFlags.HeapRead | OpFlags.Malloc)) != 0;

    /// <summary>The info of <paramref name="num"/>.</summary>
    public static OpInfo Of(OpNum num) => Table[(int)num];

    /// <summary>The info of the op named <paramref name="name"/>, or null.</summary>
    public static OpInfo? ByName(string name) => Names.GetValueOrDefault(name);

    /// <summary>Every op.</summary>
    public static IReadOnlyList<OpInfo> All => Table;

    /// <summary>The call op of the given family (<paramref name="family"/> is e.g. <see cref="OpNum.CallI"/>) whose result is <paramref name="kind"/>.</summary>
    public static OpNum CallOf(OpNum family, ValueKind kind) => (OpNum)((int)family - (int)Of(family).ResultKind + (int)kind);

    /// <inheritdoc/>
    public override string ToString() => Name;

    private static string SnakeCase(string pascal)
    {
        var sb = new StringBuilder();
        foreach (char c in pascal)
        {
            if (char.IsUpper(c) && sb.Length > 0) sb.Append('_');
            sb.Append(char.ToLowerInvariant(c));
        }
        return sb.ToString();
    }

    private static OpInfo[] Build()
    {
        var t = new OpInfo?[Enum.GetValues<OpNum>().Length];
        void D(OpNum n, int arity, ValueKind r, OpFlags f = OpFlags.None, Type? descr = null) => t[(int)n] = new OpInfo(n, arity, r, f, descr);
        const ValueKind I = ValueKind.Int, F = ValueKind.Float, R = ValueKind.Ref, V = ValueKind.Void;
        const OpFlags P = OpFlags.Pure, G = OpFlags.Guard;

        foreach (var n in new[] { OpNum.IntAdd, OpNum.IntSub, OpNum.IntMul, OpNum.IntFloordiv, OpNum.IntMod, OpNum.UintFloordiv,
                     OpNum.UintMod, OpNum.IntAnd, OpNum.IntOr, OpNum.IntXor, OpNum.IntLshift, OpNum.IntRshift, OpNum.UintRshift,
                     OpNum.IntSignext, OpNum.IntLt, OpNum.IntLe, OpNum.IntEq, OpNum.IntNe, OpNum.IntGt, OpNum.IntGe, OpNum.UintLt,
                     OpNum.UintLe, OpNum.UintGt, OpNum.UintGe })
            D(n, 2, I, P);
        foreach (var n in new[] { OpNum.IntNeg, OpNum.IntInvert, OpNum.IntIsZero, OpNum.IntIsTrue }) D(n, 1, I, P);
        foreach (var n in new[] { OpNum.IntAddOvf, OpNum.IntSubOvf, OpNum.IntMulOvf }) D(n, 2, I, OpFlags.Ovf);
        foreach (var n in new[] { OpNum.FloatAdd, OpNum.FloatSub, OpNum.FloatMul, OpNum.FloatTruediv }) D(n, 2, F, P);
        D(OpNum.FloatNeg, 1, F, P);
        D(OpNum.FloatAbs, 1, F, P);
        foreach (var n in new[] { OpNum.FloatLt, OpNum.FloatLe, OpNum.FloatEq, OpNum.FloatNe, OpNum.FloatGt, OpNum.FloatGe }) D(n, 2, I, P);
        D(OpNum.CastIntToFloat, 1, F, P);
        D(OpNum.CastFloatToInt, 1, I, P);
        D(OpNum.PtrEq, 2, I, P);
        D(OpNum.PtrNe, 2, I, P);
        D(OpNum.SameAsI, 1, I, P);
        D(OpNum.SameAsF, 1, F, P);
        D(OpNum.SameAsR, 1, R, P);

        const OpFlags H = OpFlags.HeapRead;
        D(OpNum.GetfieldGcI, 1, I, H, typeof(FieldDescr));
        D(OpNum.GetfieldGcF, 1, F, H, typeof(FieldDescr));
        D(OpNum.GetfieldGcR, 1, R, H, typeof(FieldDescr));
        D(OpNum.SetfieldGc, 2, V, OpFlags.None, typeof(FieldDescr));
        D(OpNum.GetstaticI, 0, I, H, typeof(FieldDescr));
        D(OpNum.GetstaticF, 0, F, H, typeof(FieldDescr));
        D(OpNum.GetstaticR, 0, R, H, typeof(FieldDescr));
        D(OpNum.Setstatic, 1, V, OpFlags.None, typeof(FieldDescr));
        D(OpNum.GetarrayitemGcI, 2, I, H, typeof(ArrayDescr));
        D(OpNum.GetarrayitemGcF, 2, F, H, typeof(ArrayDescr));
        D(OpNum.GetarrayitemGcR, 2, R, H, typeof(ArrayDescr));
        D(OpNum.SetarrayitemGc, 3, V, OpFlags.None, typeof(ArrayDescr));
        D(OpNum.ArraylenGc, 1, I, H, typeof(ArrayDescr));
        D(OpNum.NewWithVtable, 0, R, OpFlags.Malloc, typeof(TypeDescr));
        D(OpNum.NewArray, 1, R, OpFlags.Malloc, typeof(ArrayDescr));
        D(OpNum.NewArrayClear, 1, R, OpFlags.Malloc, typeof(ArrayDescr));
        D(OpNum.Strlen, 1, I, P);
        D(OpNum.Strgetitem, 2, I, P);
        // A marker: the tracer read this quasi-immutable field of a constant object as a constant (the guard
        // after it checks the read is still valid). No effect; the optimizer drops it.
        D(OpNum.QuasiimmutField, 1, V, OpFlags.None, typeof(FieldDescr));

        void Calls(OpNum first, OpFlags extra, Type? descr = null)
        {
            descr ??= typeof(CallDescr);
            D(first, -1, I, OpFlags.Call | extra, descr);
            D(first + 1, -1, F, OpFlags.Call | extra, descr);
            D(first + 2, -1, R, OpFlags.Call | extra, descr);
            D(first + 3, -1, V, OpFlags.Call | extra, descr);
        }
        Calls(OpNum.CallI, OpFlags.None);
        Calls(OpNum.CallPureI, OpFlags.None); // pure for the optimizer only via CallDescr.Effect; a call may still raise
        Calls(OpNum.CallMayForceI, OpFlags.None);
        Calls(OpNum.CallAssemblerI, OpFlags.None, typeof(CallAssemblerDescr));
        Calls(OpNum.CallLoopinvariantI, OpFlags.None);

        D(OpNum.GuardTrue, 1, V, G);
        D(OpNum.GuardFalse, 1, V, G);
        D(OpNum.GuardValue, 2, V, G);
        D(OpNum.GuardClass, 2, V, G);
        D(OpNum.GuardNonnull, 1, V, G);
        D(OpNum.GuardIsnull, 1, V, G);
        D(OpNum.GuardNonnullClass, 2, V, G);
        D(OpNum.GuardNoException, 0, V, G);
        D(OpNum.GuardException, 0, R, G, typeof(TypeDescr));
        D(OpNum.GuardNoOverflow, 0, V, G);
        D(OpNum.GuardOverflow, 0, V, G);
        D(OpNum.GuardNotInvalidated, 0, V, G);
        D(OpNum.GuardNotForced, 0, V, G);

        D(OpNum.Label, -1, V, OpFlags.None, typeof(TargetToken));
        D(OpNum.Jump, -1, V, OpFlags.Final, typeof(TargetToken));
        D(OpNum.Finish, -1, V, OpFlags.Final, typeof(Descr));
        D(OpNum.DebugMergePoint, 1, V);
        return t.Select((info, i) => info ?? throw new InvalidOperationException($"OpInfo missing for {(OpNum)i}")).ToArray();
    }
}
