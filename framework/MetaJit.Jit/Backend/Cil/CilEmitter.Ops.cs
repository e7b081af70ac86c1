using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.CompilerServices;
using MetaJit.Engine.Descriptors;
using MetaJit.Engine.Trace;

namespace MetaJit.Engine.Backend.Cil;

/// <summary>
/// Arithmetic, memory and call ops: load the arguments, one or a few IL instructions, store the result.
/// IL comparisons give an int32 0/1, widened to the trace's 64-bit ints; float &lt;= and &gt;= use the
/// unordered compares negated so that NaN compares false, as in C#.
/// </summary>
internal sealed partial class CilEmitter
{
    private static readonly MethodInfo MulOverflows = typeof(CilRuntime).GetMethod(nameof(CilRuntime.MulOverflows))!;
    private static readonly MethodInfo SignExtend = typeof(TraceSemantics).GetMethod(nameof(TraceSemantics.SignExtend))!;
    private static readonly MethodInfo AbsDouble = typeof(Math).GetMethod(nameof(Math.Abs), [typeof(double)])!;
    private static readonly MethodInfo StringLength = typeof(string).GetProperty(nameof(string.Length))!.GetMethod!;
    private static readonly MethodInfo StringChars = typeof(string).GetMethod("get_Chars", [typeof(int)])!;

    /// <summary>Allocates an object of <paramref name="type"/> with every field zero (<see cref="TrivialConstructors.EmitNew"/>).</summary>
    private void EmitNew(Type type)
    {
        TrivialConstructors.EmitNew(_il, type);
        if (_listing != null) Note(TrivialConstructors.Of(type) is { } ctor ? $"newobj {type.Name}::.ctor (zeros)" : $"call GetUninitializedObject({type.Name})");
    }

    private void EmitSimple(ResOperation op)
    {
        var a = op.Args;
        switch (op.Num)
        {
            case OpNum.IntAdd: Bin(op, OpCodes.Add); return;
            case OpNum.IntSub: Bin(op, OpCodes.Sub); return;
            case OpNum.IntMul: Bin(op, OpCodes.Mul); return;
            case OpNum.IntFloordiv: Bin(op, OpCodes.Div); return;
            case OpNum.IntMod: Bin(op, OpCodes.Rem); return;
            case OpNum.UintFloordiv: Bin(op, OpCodes.Div_Un); return;
            case OpNum.UintMod: Bin(op, OpCodes.Rem_Un); return;
            case OpNum.IntAnd: Bin(op, OpCodes.And); return;
            case OpNum.IntOr: Bin(op, OpCodes.Or); return;
            case OpNum.IntXor: Bin(op, OpCodes.Xor); return;
            case OpNum.IntLshift: Shift(op, OpCodes.Shl); return;
            case OpNum.IntRshift: Shift(op, OpCodes.Shr); return;
            case OpNum.UintRshift: Shift(op, OpCodes.Shr_Un); return;
            case OpNum.IntNeg: Load(a[0]); E(OpCodes.Neg); Store(op); return;
            case OpNum.IntInvert: Load(a[0]); E(OpCodes.Not); Store(op); return;
            case OpNum.IntSignext:
                Load(a[0]);
                switch ((a[1] as ConstInt)?.IntValue)
                {
                    case 1: E(OpCodes.Conv_I1); E(OpCodes.Conv_I8); break;
                    case 2: E(OpCodes.Conv_I2); E(OpCodes.Conv_I8); break;
                    case 4: E(OpCodes.Conv_I4); E(OpCodes.Conv_I8); break;
                    case 8: break;
                    default: Load(a[1]); E(OpCodes.Call, SignExtend); break;
                }
                Store(op);
                return;
            case OpNum.IntLt: Cmp(op, OpCodes.Clt, false); return;
            case OpNum.IntLe: Cmp(op, OpCodes.Cgt, true); return;
            case OpNum.IntEq: Cmp(op, OpCodes.Ceq, false); return;
            case OpNum.IntNe: Cmp(op, OpCodes.Ceq, true); return;
            case OpNum.IntGt: Cmp(op, OpCodes.Cgt, false); return;
            case OpNum.IntGe: Cmp(op, OpCodes.Clt, true); return;
            case OpNum.UintLt: Cmp(op, OpCodes.Clt_Un, false); return;
            case OpNum.UintLe: Cmp(op, OpCodes.Cgt_Un, true); return;
            case OpNum.UintGt: Cmp(op, OpCodes.Cgt_Un, false); return;
            case OpNum.UintGe: Cmp(op, OpCodes.Clt_Un, true); return;
            case OpNum.IntIsZero: Load(a[0]); E(OpCodes.Ldc_I8, 0L); E(OpCodes.Ceq); E(OpCodes.Conv_U8); Store(op); return;
            case OpNum.IntIsTrue: Load(a[0]); E(OpCodes.Ldc_I8, 0L); E(OpCodes.Cgt_Un); E(OpCodes.Conv_U8); Store(op); return;
            case OpNum.IntAddOvf:
                // r = a + b wraps; it overflowed when a and b have the same sign and r the other: ((a ^ r) & (b ^ r)) < 0.
                Bin(op, OpCodes.Add);
                Load(a[0]); Load(op); E(OpCodes.Xor); Load(a[1]); Load(op); E(OpCodes.Xor); E(OpCodes.And);
                E(OpCodes.Ldc_I8, 0L); E(OpCodes.Clt); E(OpCodes.Stloc, OverflowLocal);
                return;
            case OpNum.IntSubOvf:
                // r = a - b overflowed when a and b differ in sign and r's sign differs from a's: ((a ^ b) & (a ^ r)) < 0.
                Bin(op, OpCodes.Sub);
                Load(a[0]); Load(a[1]); E(OpCodes.Xor); Load(a[0]); Load(op); E(OpCodes.Xor); E(OpCodes.And);
                E(OpCodes.Ldc_I8, 0L); E(OpCodes.Clt); E(OpCodes.Stloc, OverflowLocal);
                return;
            case OpNum.IntMulOvf:
                Bin(op, OpCodes.Mul);
                Load(a[0]); Load(a[1]); E(OpCodes.Call, MulOverflows); E(OpCodes.Stloc, OverflowLocal);
                return;

            case OpNum.FloatAdd: Bin(op, OpCodes.Add); return;
            case OpNum.FloatSub: Bin(op, OpCodes.Sub); return;
            case OpNum.FloatMul: Bin(op, OpCodes.Mul); return;
            case OpNum.FloatTruediv: Bin(op, OpCodes.Div); return;
            case OpNum.FloatNeg: Load(a[0]); E(OpCodes.Neg); Store(op); return;
            case OpNum.FloatAbs: Load(a[0]); E(OpCodes.Call, AbsDouble); Store(op); return;
            case OpNum.FloatLt: Cmp(op, OpCodes.Clt, false); return;
            case OpNum.FloatLe: Cmp(op, OpCodes.Cgt_Un, true); return;
            case OpNum.FloatEq: Cmp(op, OpCodes.Ceq, false); return;
            case OpNum.FloatNe: Cmp(op, OpCodes.Ceq, true); return;
            case OpNum.FloatGt: Cmp(op, OpCodes.Cgt, false); return;
            case OpNum.FloatGe: Cmp(op, OpCodes.Clt_Un, true); return;
            case OpNum.CastIntToFloat: Load(a[0]); E(OpCodes.Conv_R8); Store(op); return;
            case OpNum.CastFloatToInt: Load(a[0]); E(OpCodes.Conv_I8); Store(op); return;
            case OpNum.PtrEq: Cmp(op, OpCodes.Ceq, false); return;
            case OpNum.PtrNe: Cmp(op, OpCodes.Ceq, true); return;
            case OpNum.SameAsI:
            case OpNum.SameAsF:
            case OpNum.SameAsR:
                Load(a[0]); Store(op); return;

            case OpNum.GetfieldGcI:
            case OpNum.GetfieldGcF:
            case OpNum.GetfieldGcR:
            {
                var field = ((FieldDescr)op.Descr!).Field;
                Receiver(a[0], field.DeclaringType!);
                E(OpCodes.Ldfld, field); Accessors.EmitToRegister(_il, field.FieldType); Note("; to register");
                Store(op);
                return;
            }
            case OpNum.SetfieldGc:
            {
                var field = ((FieldDescr)op.Descr!).Field;
                Receiver(a[0], field.DeclaringType!);
                Load(a[1]); FromRegister(field.FieldType);
                E(OpCodes.Stfld, field);
                return;
            }
            case OpNum.GetstaticI:
            case OpNum.GetstaticF:
            case OpNum.GetstaticR:
            {
                var field = ((FieldDescr)op.Descr!).Field;
                E(OpCodes.Ldsfld, field); Accessors.EmitToRegister(_il, field.FieldType); Note("; to register");
                Store(op);
                return;
            }
            case OpNum.Setstatic:
            {
                var field = ((FieldDescr)op.Descr!).Field;
                Load(a[0]); FromRegister(field.FieldType); E(OpCodes.Stsfld, field);
                return;
            }
            case OpNum.GetarrayitemGcI:
            case OpNum.GetarrayitemGcF:
            case OpNum.GetarrayitemGcR:
            {
                var descr = (ArrayDescr)op.Descr!;
                Receiver(a[0], descr.ArrayType); Load(a[1]); E(OpCodes.Conv_I);
                E(OpCodes.Ldelem, descr.ElementType); Accessors.EmitToRegister(_il, descr.ElementType); Note("; to register");
                Store(op);
                return;
            }
            case OpNum.SetarrayitemGc:
            {
                var descr = (ArrayDescr)op.Descr!;
                Receiver(a[0], descr.ArrayType); Load(a[1]); E(OpCodes.Conv_I);
                Load(a[2]); FromRegister(descr.ElementType);
                E(OpCodes.Stelem, descr.ElementType);
                return;
            }
            case OpNum.ArraylenGc:
                Receiver(a[0], ((ArrayDescr)op.Descr!).ArrayType); E(OpCodes.Ldlen); E(OpCodes.Conv_I8); Store(op);
                return;
            case OpNum.NewWithVtable:
                EmitNew(((TypeDescr)op.Descr!).Type);
                Store(op);
                return;
            case OpNum.NewArray:
            case OpNum.NewArrayClear:
                Load(a[0]); E(OpCodes.Conv_Ovf_I); E(OpCodes.Newarr, ((ArrayDescr)op.Descr!).ElementType); Store(op);
                return;
            case OpNum.Strlen:
                Receiver(a[0], typeof(string)); E(OpCodes.Call, StringLength); E(OpCodes.Conv_I8); Store(op);
                return;
            case OpNum.Strgetitem:
                Receiver(a[0], typeof(string)); Load(a[1]); E(OpCodes.Conv_Ovf_I4); E(OpCodes.Call, StringChars); E(OpCodes.Conv_U8);
                Store(op);
                return;
        }
        throw new NotSupportedException($"The CIL backend cannot compile {op.Name}.");
    }

    private void Bin(ResOperation op, OpCode code)
    {
        Load(op.Args[0]); Load(op.Args[1]); E(code); Store(op);
    }

    /// <summary>The count is taken modulo 64, as C# does (IL leaves counts of 64 and more unspecified).</summary>
    private void Shift(ResOperation op, OpCode code)
    {
        Load(op.Args[0]); Load(op.Args[1]); E(OpCodes.Conv_I4); E(OpCodes.Ldc_I4, 63); E(OpCodes.And); E(code); Store(op);
    }

    private void Cmp(ResOperation op, OpCode code, bool negate)
    {
        Load(op.Args[0]); Load(op.Args[1]); E(code);
        if (negate) { E(OpCodes.Ldc_I4_0); E(OpCodes.Ceq); }
        E(OpCodes.Conv_U8);
        Store(op);
    }

    private void FromRegister(Type type)
    {
        if (_trustTypes && !type.IsValueType) return;
        Accessors.EmitFromRegister(_il, type);
        if (_listing != null) Note("; from register " + type.Name);
    }

    private void EmitCall(ResOperation op, int p)
    {
        var next = p + 1 < _piece.End && _ops[p + 1].Num is OpNum.GuardNoException or OpNum.GuardException ? _ops[p + 1] : null;
        if (op.Num is >= OpNum.CallAssemblerI and <= OpNum.CallAssemblerN)
        {
            if (next != null) _handled.Add(next);
            EmitCallAssembler(op, next);
        }
        else if (next != null)
            EmitCallWithExceptionGuard(op, next);
        else
            EmitCallCore(op);
    }

    /// <summary>A direct call (or <c>newobj</c> for a constructor) of the exact method, arguments converted from registers.</summary>
    private void EmitCallCore(ResOperation op)
    {
        var descr = (CallDescr)op.Descr!;
        var method = descr.Method;
        if (descr.ArgKinds.Length != op.Args.Length)
            throw new InvalidOperationException($"{op.Name} of {descr.Name} has {op.Args.Length} args; the method takes {descr.ArgKinds.Length}.");
        int k = 0;
        if (!method.IsStatic && (method is not ConstructorInfo || descr.IsConstructorOnInstance))
        {
            var declaring = method.DeclaringType!;
            if (declaring.IsValueType)
            {
                // A method of a primitive receiver (e.g. long.ToString()): call it on a copy in a local.
                var copy = _il.DeclareLocal(declaring);
                Load(op.Args[0]); Accessors.EmitFromRegister(_il, declaring); E(OpCodes.Stloc, copy); E(OpCodes.Ldloca, copy);
            }
            else
            {
                Receiver(op.Args[0], declaring);
            }
            k = 1;
        }
        foreach (var parameter in method.GetParameters())
        {
            Load(op.Args[k++]);
            FromRegister(parameter.ParameterType);
        }
        Type result;
        if (method is ConstructorInfo ctor && descr.IsConstructorOnInstance)
        {
            E(OpCodes.Call, ctor); // a (base) constructor run on an object that exists, as Invokers do
            result = typeof(void);
        }
        else if (method is ConstructorInfo newobj)
        {
            E(OpCodes.Newobj, newobj);
            result = newobj.DeclaringType!;
        }
        else
        {
            E(OpCodes.Call, (MethodInfo)method);
            result = ((MethodInfo)method).ReturnType;
        }
        if (result == typeof(void))
        {
            if (op.Kind != ValueKind.Void) throw new InvalidOperationException($"{op.Name} expects a result but {descr.Name} returns void.");
            return;
        }
        Accessors.EmitToRegister(_il, result);
        if (op.Kind == ValueKind.Void) E(OpCodes.Pop);
        else Store(op);
    }

    /// <summary>
    /// call_assembler: the target's inputs go into a dead frame from the descr (by kind, in order), then the
    /// descr's <c>Invoke*</c> runs the target and returns the portal's result.
    /// </summary>
    private void EmitCallAssembler(ResOperation op, ResOperation? exceptionGuard = null)
    {
        var descr = (CallAssemblerDescr)op.Descr!;
        if (DirectEntry(descr) is { } framelessTarget && IsFramelessCall(descr) && (framelessTarget.Target != null || _frameless))
        {
            EmitFramelessCall(op, descr, framelessTarget);
            if (op.Kind != ValueKind.Void) Store(op);
            EmitRaisedCheck(descr, exceptionGuard);
            return;
        }
        var frame = _il.DeclareLocal(typeof(DeadFrame));
        if (descr.FramePool is { } pool)
        {
            LoadRef(pool);
            foreach (var kind in Kinds) E(OpCodes.Ldc_I4, op.Args.Count(a => a.Kind == kind));
            E(OpCodes.Call, PoolTakeMethod);
        }
        else
        {
            LoadRef(descr); E(OpCodes.Callvirt, TakeFrameMethod);
        }
        E(OpCodes.Stloc, frame);
        foreach (var kind in Kinds)
        {
            int slot = 0;
            foreach (var arg in op.Args)
            {
                if (arg.Kind != kind) continue;
                if (slot == 0) { E(OpCodes.Ldloc, frame); E(OpCodes.Ldfld, Bank(kind)); }
                E(OpCodes.Dup); E(OpCodes.Ldc_I4, slot++); BankSlot(kind); Load(arg); StoreInBank(kind);
            }
            if (slot > 0) E(OpCodes.Pop);
        }
        if (DirectEntry(descr) is { } direct)
        {
            EmitDirectCall(op, descr, frame, direct);
        }
        else
        {
            LoadRef(descr); E(OpCodes.Ldloc, frame);
            E(OpCodes.Call, op.Kind switch
            {
                ValueKind.Int => InvokeIntMethod,
                ValueKind.Float => InvokeFloatMethod,
                ValueKind.Ref => InvokeRefMethod,
                _ => InvokeVoidMethod,
            });
        }
        if (op.Kind != ValueKind.Void) Store(op);
        EmitRaisedCheck(descr, exceptionGuard);
    }

    /// <summary>
    /// After a call_assembler: what it raised (<see cref="CallAssemblerDescr.Raised"/>) goes to its exception guard
    /// as a try block's catch would give it; without a guard, it is thrown on.
    /// </summary>
    private void EmitRaisedCheck(CallAssemblerDescr descr, ResOperation? guard)
    {
        var done = _il.DefineLabel();
        var none = _il.DefineLabel();
        LoadRef(descr); E(OpCodes.Ldfld, RaisedField);
        E(OpCodes.Brfalse, none);
        LoadRef(descr); E(OpCodes.Call, TakeRaisedMethod);
        if (guard == null)
        {
            E(OpCodes.Call, RethrowMethod);
            Mark(none);
            return;
        }
        var fail = StubOf(guard);
        var exc = ExceptionLocal;
        E(OpCodes.Stloc, exc);
        if (guard.Num == OpNum.GuardNoException)
        {
            E(OpCodes.Br, fail);
            Mark(none);
            return;
        }
        // guard_exception: the exception must be of exactly the class; none at all fails too (exc is null then).
        E(OpCodes.Ldloc, exc); E(OpCodes.Callvirt, GetTypeMethod);
        E(OpCodes.Ldtoken, ((TypeDescr)guard.Descr!).Type); E(OpCodes.Call, TypeFromHandle); E(OpCodes.Call, TypeEquality);
        E(OpCodes.Brfalse, fail);
        E(OpCodes.Ldloc, exc); Store(guard);
        E(OpCodes.Ldnull); E(OpCodes.Stloc, exc); // the exception is consumed; exits store exc, so keep it null
        E(OpCodes.Br, done);
        Mark(none);
        E(OpCodes.Br, fail);
        Mark(done);
    }

    private static readonly MethodInfo PoolTakeMethod = typeof(DeadFramePool).GetMethod(nameof(DeadFramePool.Take), [typeof(int), typeof(int), typeof(int)])!;
    private static readonly MethodInfo TakeFrameMethod = typeof(CallAssemblerDescr).GetMethod(nameof(CallAssemblerDescr.TakeFrame))!;
    private static readonly MethodInfo InvokeIntMethod = typeof(CallAssemblerDescr).GetMethod(nameof(CallAssemblerDescr.InvokeIntCatching))!;
    private static readonly MethodInfo InvokeFloatMethod = typeof(CallAssemblerDescr).GetMethod(nameof(CallAssemblerDescr.InvokeFloatCatching))!;
    private static readonly MethodInfo InvokeRefMethod = typeof(CallAssemblerDescr).GetMethod(nameof(CallAssemblerDescr.InvokeRefCatching))!;
    private static readonly MethodInfo InvokeVoidMethod = typeof(CallAssemblerDescr).GetMethod(nameof(CallAssemblerDescr.InvokeVoidCatching))!;
    private static readonly FieldInfo RaisedField = typeof(CallAssemblerDescr).GetField(nameof(CallAssemblerDescr.Raised))!;
    private static readonly MethodInfo TakeRaisedMethod = typeof(CallAssemblerDescr).GetMethod(nameof(CallAssemblerDescr.TakeRaised))!;
    private static readonly MethodInfo RethrowMethod = typeof(System.Runtime.ExceptionServices.ExceptionDispatchInfo).GetMethod(nameof(System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw), [typeof(Exception)])!;
}
