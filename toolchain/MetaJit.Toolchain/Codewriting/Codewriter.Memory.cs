using System.Reflection;
using MetaJit.Engine.Descriptors;
using MetaJit.Engine.JitCodes;
using MetaJit.Toolchain.Loading;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace MetaJit.Toolchain.Codewriting;

// Fields, statics, arrays, addresses of those (compound assignments), boxing and type tests.
internal sealed partial class Codewriter
{
    private static JitOpcode ByKind(ValueKind k, JitOpcode i, JitOpcode f, JitOpcode r) =>
        k switch { ValueKind.Int => i, ValueKind.Float => f, _ => r };

    private FieldInfo FieldOperand(Instruction i) => InterpreterLoader.ResolveField(_method, (MemberReference)i.Operand);

    private static bool IsDelegateCache(FieldInfo f) => f.DeclaringType?.Name == "<>O";

    private void LoadField(Instruction i)
    {
        var f = FieldOperand(i);
        var obj = Pop();
        if (obj.Form == ItemForm.LocalAddr || obj.Form == ItemForm.ElemAddr || obj.Form == ItemForm.FieldAddr || obj.Kind != ValueKind.Ref)
            throw Error($"Field '{f.Name}' of a struct: structs are not RC#.");
        var descr = Descrs.Field(f);
        EmitDef(ByKind(descr.Kind, JitOpcode.GetFieldInt, JitOpcode.GetFieldFloat, JitOpcode.GetFieldRef), Push(f.FieldType), obj.Reg).Descr = descr;
    }

    private void StoreField(Instruction i)
    {
        var f = FieldOperand(i);
        var v = PopValue();
        var obj = PopValue();
        if (obj.Kind != ValueKind.Ref) throw Error($"Field '{f.Name}' of a struct: structs are not RC#.");
        var descr = Descrs.Field(f);
        Emit(ByKind(descr.Kind, JitOpcode.SetFieldInt, JitOpcode.SetFieldFloat, JitOpcode.SetFieldRef), 0, obj.Reg, v.Reg).Descr = descr;
    }

    private void LoadStatic(Instruction i)
    {
        var f = FieldOperand(i);
        if (f.FieldType == typeof(JitDriver))
        {
            _stack!.Add(new StackItem { Form = ItemForm.Driver, Kind = ValueKind.Ref, Type = StackType.Ref, DriverField = f });
            return;
        }
        if (IsDelegateCache(f))
        {
            // The compiler's cache of a method-group delegate: only RecordKnownResult may use it; a null
            // makes the code take the path that names the method with ldftn.
            EmitDef(JitOpcode.RefConst, Push(ValueKind.Ref, StackType.Ref, f.FieldType)).Const = null;
            return;
        }
        var descr = Descrs.Field(f);
        EmitDef(ByKind(descr.Kind, JitOpcode.GetStaticInt, JitOpcode.GetStaticFloat, JitOpcode.GetStaticRef), Push(f.FieldType)).Descr = descr;
    }

    private void StoreStatic(Instruction i)
    {
        var f = FieldOperand(i);
        var v = PopValue();
        if (IsDelegateCache(f)) return;
        var descr = Descrs.Field(f);
        Emit(ByKind(descr.Kind, JitOpcode.SetStaticInt, JitOpcode.SetStaticFloat, JitOpcode.SetStaticRef), 0, 0, v.Reg).Descr = descr;
    }

    private void FieldAddress(Instruction i)
    {
        var f = FieldOperand(i);
        var obj = PopValue();
        if (obj.Kind != ValueKind.Ref) throw Error($"Field '{f.Name}' of a struct: structs are not RC#.");
        int objReg = NewReg(ValueKind.Ref);
        EmitCopy(ValueKind.Ref, objReg, obj.Reg);
        var descr = Descrs.Field(f);
        _stack!.Add(new StackItem { Form = ItemForm.FieldAddr, Kind = descr.Kind, Reg = objReg, Descr = descr, ClrType = f.FieldType, Type = StackType.I64 });
    }

    private void NewArray(Instruction i)
    {
        var elem = InterpreterLoader.ResolveType(_method, (TypeReference)i.Operand);
        var n = PopValue();
        EmitDef(JitOpcode.NewArray, Push(ValueKind.Ref, StackType.Ref, elem.MakeArrayType()), n.Reg).Descr = Descrs.Array(elem);
    }

    /// <summary>The array descriptor for an element access: the array's static element type when known,
    /// else the type the opcode names.</summary>
    private ArrayDescr ArrayOf(StackItem array, Instruction i)
    {
        if (array.ClrType is { IsArray: true } t && t.GetArrayRank() == 1 && !t.GetElementType()!.IsPointer) return Descrs.Array(t.GetElementType()!);
        Type elem = i.OpCode.Code switch
        {
            Code.Ldelem_I1 or Code.Stelem_I1 => typeof(sbyte), Code.Ldelem_U1 => typeof(byte),
            Code.Ldelem_I2 or Code.Stelem_I2 => typeof(short), Code.Ldelem_U2 => typeof(ushort),
            Code.Ldelem_I4 or Code.Stelem_I4 => typeof(int), Code.Ldelem_U4 => typeof(uint),
            Code.Ldelem_I8 or Code.Stelem_I8 => typeof(long), Code.Ldelem_I or Code.Stelem_I => typeof(nint),
            Code.Ldelem_R4 or Code.Stelem_R4 => typeof(float), Code.Ldelem_R8 or Code.Stelem_R8 => typeof(double),
            Code.Ldelem_Ref or Code.Stelem_Ref => typeof(object),
            _ => InterpreterLoader.ResolveType(_method, (TypeReference)i.Operand),
        };
        return Descrs.Array(elem);
    }

    private void LoadElement(Instruction i)
    {
        var idx = PopValue();
        var arr = PopValue();
        var descr = ArrayOf(arr, i);
        EmitDef(ByKind(descr.Kind, JitOpcode.GetArrayItemInt, JitOpcode.GetArrayItemFloat, JitOpcode.GetArrayItemRef),
            Push(descr.ElementType), arr.Reg, idx.Reg).Descr = descr;
    }

    private void StoreElement(Instruction i)
    {
        var v = PopValue();
        var idx = PopValue();
        var arr = PopValue();
        var descr = ArrayOf(arr, i);
        Emit(ByKind(descr.Kind, JitOpcode.SetArrayItemInt, JitOpcode.SetArrayItemFloat, JitOpcode.SetArrayItemRef), 0, arr.Reg, idx.Reg, v.Reg).Descr = descr;
    }

    private void ElementAddress(Instruction i)
    {
        var idx = PopValue();
        var arr = PopValue();
        var descr = ArrayOf(arr, i);
        if (descr.ElementType.IsValueType && !descr.ElementType.IsPrimitive && !descr.ElementType.IsEnum)
            throw Error($"Arrays of struct {descr.ElementType.Name} are not RC#.");
        int a = NewReg(ValueKind.Ref), x = NewReg(ValueKind.Int);
        EmitCopy(ValueKind.Ref, a, arr.Reg);
        EmitCopy(ValueKind.Int, x, idx.Reg);
        _stack!.Add(new StackItem { Form = ItemForm.ElemAddr, Kind = descr.Kind, Reg = a, Reg2 = x, Descr = descr, ClrType = descr.ElementType, Type = StackType.I64 });
    }

    /// <summary>Reads the value an address item points to into a register.</summary>
    private int LoadThrough(StackItem addr, int dst)
    {
        switch (addr.Form)
        {
            case ItemForm.LocalAddr: EmitCopy(addr.Kind, dst, addr.Reg); return dst;
            case ItemForm.ElemAddr:
                EmitDef(ByKind(addr.Kind, JitOpcode.GetArrayItemInt, JitOpcode.GetArrayItemFloat, JitOpcode.GetArrayItemRef), dst, addr.Reg, addr.Reg2).Descr = addr.Descr;
                return dst;
            case ItemForm.FieldAddr:
                EmitDef(ByKind(addr.Kind, JitOpcode.GetFieldInt, JitOpcode.GetFieldFloat, JitOpcode.GetFieldRef), dst, addr.Reg).Descr = addr.Descr;
                return dst;
            default: throw Error("Indirect load through a value that is not an address.");
        }
    }

    private void LoadIndirect()
    {
        var addr = Pop();
        if (addr.Form == ItemForm.LocalAddr) { PushVariable(addr.Kind, addr.Reg, addr.ClrType!); return; }
        int dst = Push(addr.ClrType!);
        LoadThrough(addr, dst);
    }

    private void StoreIndirect()
    {
        var v = PopValue();
        var addr = Pop();
        switch (addr.Form)
        {
            case ItemForm.LocalAddr:
                _stack!.Add(v);
                StoreVariable(addr.Kind, addr.Reg, addr.ClrType!);
                return;
            case ItemForm.ElemAddr:
                Emit(ByKind(addr.Kind, JitOpcode.SetArrayItemInt, JitOpcode.SetArrayItemFloat, JitOpcode.SetArrayItemRef), 0, addr.Reg, addr.Reg2, v.Reg).Descr = addr.Descr;
                return;
            case ItemForm.FieldAddr:
                Emit(ByKind(addr.Kind, JitOpcode.SetFieldInt, JitOpcode.SetFieldFloat, JitOpcode.SetFieldRef), 0, addr.Reg, v.Reg).Descr = addr.Descr;
                return;
            default: throw Error("Indirect store through a value that is not an address.");
        }
    }

    /// <summary><c>default(T)</c> in generic code: <c>ldloca x; initobj T</c>, zero after specialisation.</summary>
    private void InitObject()
    {
        var addr = Pop();
        if (addr.Form != ItemForm.LocalAddr) throw Error("initobj of a struct field or array item: structs are not RC#.");
        FlushVariable(addr.Kind, addr.Reg);
        switch (addr.Kind)
        {
            case ValueKind.Int: Emit(JitOpcode.IntConst, addr.Reg).Imm = 0; break;
            case ValueKind.Float: Emit(JitOpcode.FloatConst, addr.Reg).FImm = 0; break;
            default: Emit(JitOpcode.RefConst, addr.Reg).Const = null; break;
        }
    }

    private void Box(Instruction i)
    {
        var t = InterpreterLoader.ResolveType(_method, (TypeReference)i.Operand);
        var v = PopValue();
        if (!t.IsValueType) { _stack!.Add(v); return; } // box of a reference type (generic code): a no-op
        if (Nullable.GetUnderlyingType(t) != null) throw Error("Nullable value types are not RC#.");
        var kind = Kind(t);
        EmitDef(kind == ValueKind.Float ? JitOpcode.BoxFloat : JitOpcode.BoxInt, Push(ValueKind.Ref, StackType.Ref, typeof(object)), v.Reg).Descr = Descrs.Type(t);
    }

    private void UnboxAny(Instruction i)
    {
        var t = InterpreterLoader.ResolveType(_method, (TypeReference)i.Operand);
        var v = PopValue();
        if (!t.IsValueType)
        {
            EmitDef(JitOpcode.CastClass, Push(ValueKind.Ref, StackType.Ref, t), v.Reg).Descr = Descrs.Type(t);
            return;
        }
        if (Nullable.GetUnderlyingType(t) != null) throw Error("Nullable value types are not RC#.");
        var kind = Kind(t);
        EmitDef(kind == ValueKind.Float ? JitOpcode.UnboxFloat : JitOpcode.UnboxInt, Push(t), v.Reg).Descr = Descrs.Type(t);
    }

    private void TypeTest(Instruction i)
    {
        var t = InterpreterLoader.ResolveType(_method, (TypeReference)i.Operand);
        var v = PopValue();
        bool isinst = i.OpCode.Code == Code.Isinst;
        EmitDef(isinst ? JitOpcode.IsInst : JitOpcode.CastClass, Push(ValueKind.Ref, StackType.Ref, t.IsValueType ? typeof(object) : t), v.Reg).Descr = Descrs.Type(t);
    }

    private void LoadToken(Instruction i)
    {
        if (i.Operand is not TypeReference tr) throw Error("ldtoken of a method or field (reflection) is not RC#.");
        var t = InterpreterLoader.ResolveType(_method, tr);
        _stack!.Add(new StackItem { Form = ItemForm.TypeToken, Kind = ValueKind.Ref, Type = StackType.Ref, Token = t });
    }
}
