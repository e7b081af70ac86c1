using System.Reflection;
using System.Reflection.Emit;
using MetaJit.Engine.Descriptors;
using MetaJit.Engine.Trace;

namespace MetaJit.Engine.Backend.Cil;

/// <summary>
/// Guards and exits. A guard is a test and a conditional branch to its stub, out of line after the body.
/// Exits are shared in two levels to keep the IL small (RyuJIT stops optimizing big methods):
/// guards with the same fail args share one "moves" block that copies them into shared locals (one per
/// kind and slot), and all moves blocks with the same count of ints, floats and refs share one exit block
/// that stores the shared locals into the frame and returns the guard index; with several such counts the
/// stores themselves are shared too (staircases, see <see cref="EmitStaircases"/>). A guard's own stub only
/// sets that index. The exception a failing exception guard saw is stored by the exit too.
/// </summary>
internal sealed partial class CilEmitter
{
    private static readonly MethodInfo GetTypeMethod = typeof(object).GetMethod(nameof(GetType))!;
    private static readonly MethodInfo TypeFromHandle = typeof(Type).GetMethod(nameof(Type.GetTypeFromHandle))!;
    private static readonly MethodInfo TypeEquality = typeof(Type).GetMethod("op_Equality", [typeof(Type), typeof(Type)])!;
    private static readonly MethodInfo DoubleBits = typeof(BitConverter).GetMethod(nameof(BitConverter.DoubleToInt64Bits))!;
    private static readonly FieldInfo ExceptionField = typeof(DeadFrame).GetField(nameof(DeadFrame.Exception))!;

    // Classes, not tuples or bare Labels, in the collections: an instantiation over a struct is compiled by RyuJIT
    // at every start (ReadyToRun cannot hold it), one over classes shares CoreLib's precompiled code.
    private sealed record Stub(ResOperation Guard, Label Label);
    private sealed record ExitBlock(int Ints, int Floats, int Refs, Label Label);

    private readonly List<Stub> _stubs = new();
    private readonly Dictionary<ResOperation, Stub> _stubOf = new(ReferenceEqualityComparer.Instance);
    private LocalBuilder? _exitIndex;
    private LocalBuilder? _exception;
    private LocalBuilder? _overflow;
    private readonly List<LocalBuilder>[] _shared = [new(), new(), new()];

    private Label StubOf(ResOperation guard)
    {
        if (_stubOf.TryGetValue(guard, out var known)) return known.Label;
        var stub = new Stub(guard, _il.DefineLabel());
        _stubOf[guard] = stub;
        // A guard with a bridge in the tree: the label is marked where the bridge's code starts (CilEmitter.Tree.cs).
        if (_tree == null || !_tree.Bridges.TryGetValue(guard, out _)) _stubs.Add(stub);
        return stub.Label;
    }

    private LocalBuilder ExceptionLocal => _exception ??= _il.DeclareLocal(typeof(Exception));
    private LocalBuilder OverflowLocal => _overflow ??= _il.DeclareLocal(typeof(bool));

    private void EmitGuard(ResOperation op)
    {
        var fail = StubOf(op);
        switch (op.Num)
        {
            case OpNum.GuardTrue: Load(op.Args[0]); E(OpCodes.Brfalse, fail); return;
            case OpNum.GuardFalse: Load(op.Args[0]); E(OpCodes.Brtrue, fail); return;
            case OpNum.GuardNonnull: Load(op.Args[0]); E(OpCodes.Brfalse, fail); return;
            case OpNum.GuardIsnull: Load(op.Args[0]); E(OpCodes.Brtrue, fail); return;
            case OpNum.GuardValue:
                if (op.Args[0].Kind == ValueKind.Float)
                {
                    // Bit equality, as the trace interpreter: NaN matches NaN, 0.0 does not match -0.0.
                    Load(op.Args[0]); E(OpCodes.Call, DoubleBits); Load(op.Args[1]); E(OpCodes.Call, DoubleBits);
                }
                else
                {
                    Load(op.Args[0]); Load(op.Args[1]);
                }
                E(OpCodes.Bne_Un, fail);
                return;
            case OpNum.GuardClass:
            case OpNum.GuardNonnullClass:
                if (_unboxedResults.Count > 0 && EmitUnboxingGuard(op, fail)) return;
                Load(op.Args[0]); E(OpCodes.Brfalse, fail);
                Load(op.Args[0]); E(OpCodes.Callvirt, GetTypeMethod); LoadType(op.Args[1]); E(OpCodes.Call, TypeEquality);
                E(OpCodes.Brfalse, fail);
                return;
            case OpNum.GuardNoOverflow: E(OpCodes.Ldloc, OverflowLocal); E(OpCodes.Brtrue, fail); return;
            case OpNum.GuardOverflow: E(OpCodes.Ldloc, OverflowLocal); E(OpCodes.Brfalse, fail); return;
            case OpNum.GuardNotInvalidated: LoadInvalidationContext(); E(OpCodes.Ldfld, InvalidatedField); E(OpCodes.Brtrue, fail); return;
            case OpNum.GuardNotForced: return; // nothing can force a frame yet (no virtualizables): it never fails
            case OpNum.GuardNoException: return; // not after a call that may raise: no exception is pending
            case OpNum.GuardException: E(OpCodes.Br, fail); return; // likewise: the expected exception cannot be pending
        }
        throw new NotSupportedException($"The CIL backend cannot compile {op.Name}.");
    }

    private void LoadType(Value v)
    {
        var type = (v as ConstPtr)?.Object switch
        {
            Type t => t,
            TypeDescr td => td.Type,
            _ => throw new NotSupportedException("guard_class needs a constant class: ConstClass(name), a ConstPtr holding a Type."),
        };
        E(OpCodes.Ldtoken, type); E(OpCodes.Call, TypeFromHandle);
    }

    /// <summary>
    /// A call followed by guard_no_exception or guard_exception runs in a try block; the catch keeps the
    /// exception for the guard. <c>leave</c> goes to the guard's stub when the guard fails.
    /// </summary>
    private void EmitCallWithExceptionGuard(ResOperation call, ResOperation guard)
    {
        _handled.Add(guard);
        var fail = StubOf(guard);
        var exc = ExceptionLocal;
        _il.BeginExceptionBlock(); Note(".try {");
        EmitCallCore(call);
        if (guard.Num == OpNum.GuardException) E(OpCodes.Leave, fail); // no exception: the guard fails (exc is null)
        _il.BeginCatchBlock(typeof(Exception)); Note("} catch Exception {");
        E(OpCodes.Stloc, exc);
        if (guard.Num == OpNum.GuardNoException) E(OpCodes.Leave, fail);
        _il.EndExceptionBlock(); Note("}");
        if (guard.Num == OpNum.GuardException)
        {
            E(OpCodes.Ldloc, exc); E(OpCodes.Callvirt, GetTypeMethod);
            E(OpCodes.Ldtoken, ((TypeDescr)guard.Descr!).Type); E(OpCodes.Call, TypeFromHandle); E(OpCodes.Call, TypeEquality);
            E(OpCodes.Brfalse, fail);
            E(OpCodes.Ldloc, exc); Store(guard);
            E(OpCodes.Ldnull); E(OpCodes.Stloc, exc); // the exception is consumed; exits store exc, so keep it null
        }
    }

    /// <summary>Stubs, then moves blocks grouped by fail-arg list, then exit blocks by kind counts.</summary>
    private void EmitExits()
    {
        if (_stubs.Count == 0) return;
        _exitIndex = _il.DeclareLocal(typeof(int));
        var exits = new List<ExitBlock>();
        foreach (var group in _stubs.GroupBy(s => s.Guard.FailArgs!, FailArgsComparer.Instance))
        {
            var members = group.ToList();
            var moves = _il.DefineLabel();
            for (int k = 0; k < members.Count; k++)
            {
                Mark(members[k].Label);
                E(OpCodes.Ldc_I4, ExitCode(members[k].Guard)); E(OpCodes.Stloc, _exitIndex);
                if (k < members.Count - 1) E(OpCodes.Br, moves); // the last stub falls through into the moves
            }
            Mark(moves);
            var failArgs = group.Key;
            Grow(failArgs);
            var counts = new int[3];
            foreach (var v in failArgs)
            {
                int kind = (int)v.Kind;
                while (_shared[kind].Count <= counts[kind]) _shared[kind].Add(_il.DeclareLocal(ClrType(v.Kind)));
                Load(v); E(OpCodes.Stloc, _shared[kind][counts[kind]++]);
            }
            var exit = exits.Find(e => e.Ints == counts[0] && e.Floats == counts[1] && e.Refs == counts[2]);
            if (exit == null) exits.Add(exit = new ExitBlock(counts[0], counts[1], counts[2], _il.DefineLabel()));
            E(OpCodes.Br, exit.Label);
        }
        if (exits.Count == 1)
        {
            var (ni, nf, nr, exit) = exits[0];
            Mark(exit);
            EnsureExitFrame();
            for (int kind = 0; kind < 3; kind++)
            {
                int n = kind == 0 ? ni : kind == 1 ? nf : nr;
                if (n == 0) continue;
                E(OpCodes.Ldarg_1); E(OpCodes.Ldfld, Bank((ValueKind)kind));
                for (int s = 0; s < n; s++)
                {
                    E(OpCodes.Dup); E(OpCodes.Ldc_I4, s); BankSlot((ValueKind)kind); E(OpCodes.Ldloc, _shared[kind][s]); StoreInBank((ValueKind)kind);
                }
                E(OpCodes.Pop);
            }
            ReturnFromExit();
        }
        else
        {
            EmitStaircases(exits);
        }
    }

    /// <summary>
    /// Several kind counts: one store per shared local in all, not one per count triple and slot. Each triple's
    /// exit sets a count per kind and enters a staircase per kind: a <c>switch</c> on the count lands on the
    /// step that stores the last slot, and each step falls through to the one that stores the slot below.
    /// </summary>
    private void EmitStaircases(List<ExitBlock> exits)
    {
        var counts = new[] { _il.DeclareLocal(typeof(int)), _il.DeclareLocal(typeof(int)), _il.DeclareLocal(typeof(int)) };
        var max = new int[3];
        var stairs = _il.DefineLabel();
        foreach (var (ni, nf, nr, exit) in exits)
        {
            Mark(exit);
            int[] n = [ni, nf, nr];
            for (int kind = 0; kind < 3; kind++)
            {
                if (n[kind] > max[kind]) max[kind] = n[kind];
                E(OpCodes.Ldc_I4, n[kind]); E(OpCodes.Stloc, counts[kind]);
            }
            E(OpCodes.Br, stairs);
        }
        Mark(stairs);
        EnsureExitFrame();
        for (int kind = 0; kind < 3; kind++)
        {
            if (max[kind] == 0) continue;
            var steps = new Label[max[kind] + 1];
            for (int s = 0; s < steps.Length; s++) steps[s] = _il.DefineLabel();
            var bank = _il.DeclareLocal(Bank((ValueKind)kind).FieldType);
            E(OpCodes.Ldarg_1); E(OpCodes.Ldfld, Bank((ValueKind)kind)); E(OpCodes.Stloc, bank);
            E(OpCodes.Ldloc, counts[kind]); _il.Emit(OpCodes.Switch, steps); Note("switch");
            for (int s = max[kind]; s >= 1; s--)
            {
                Mark(steps[s]);
                E(OpCodes.Ldloc, bank); E(OpCodes.Ldc_I4, s - 1); BankSlot((ValueKind)kind); E(OpCodes.Ldloc, _shared[kind][s - 1]); StoreInBank((ValueKind)kind);
            }
            Mark(steps[0]);
        }
        ReturnFromExit();
    }

    /// <summary>The end of every exit: the exception a failing exception guard saw, then the guard index.</summary>
    private void ReturnFromExit()
    {
        if (_exception != null) { E(OpCodes.Ldarg_1); E(OpCodes.Ldloc, _exception); E(OpCodes.Stfld, ExceptionField); }
        E(OpCodes.Ldloc, _exitIndex!); E(OpCodes.Ret);
    }

    /// <summary>Fail-arg lists are equal when they hold the same values (constants by content) in the same order.</summary>
    private sealed class FailArgsComparer : IEqualityComparer<Value[]>
    {
        public static readonly FailArgsComparer Instance = new();

        public bool Equals(Value[]? a, Value[]? b)
        {
            if (a!.Length != b!.Length) return false;
            for (int i = 0; i < a.Length; i++)
                if (!(a[i] is Const ? a[i].Equals(b[i]) : ReferenceEquals(a[i], b[i]))) return false;
            return true;
        }

        public int GetHashCode(Value[] a)
        {
            var h = new HashCode();
            foreach (var v in a) h.Add(v is Const ? v.GetHashCode() : System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(v));
            return h.ToHashCode();
        }
    }
}
