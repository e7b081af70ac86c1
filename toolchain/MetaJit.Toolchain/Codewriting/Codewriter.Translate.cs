using MetaJit.Engine.Descriptors;
using MetaJit.Engine.JitCodes;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace MetaJit.Toolchain.Codewriting;

internal sealed partial class Codewriter
{
    /// <summary>One IL instruction (long form: the body went through SimplifyMacros).</summary>
    private void Translate(Instruction i)
    {
        switch (i.OpCode.Code)
        {
            case Code.Nop: case Code.Break: case Code.Readonly: case Code.Volatile: case Code.Tail: return;
            case Code.Constrained: _constrained = InterpreterLoaderResolveType(i); return;

            case Code.Ldarg: { var a = Arg((ParameterDefinition)i.Operand); PushVariable(a.Kind, a.Reg, a.Type); return; }
            case Code.Ldloc: { var l = Local((VariableDefinition)i.Operand); PushVariable(l.Kind, l.Reg, l.Type); return; }
            case Code.Starg: { var a = Arg((ParameterDefinition)i.Operand); StoreVariable(a.Kind, a.Reg, a.Type); return; }
            case Code.Stloc: { var l = Local((VariableDefinition)i.Operand); StoreVariable(l.Kind, l.Reg, l.Type); return; }
            case Code.Ldarga: { var a = Arg((ParameterDefinition)i.Operand); PushAddress(a.Kind, a.Reg, a.Type); return; }
            case Code.Ldloca: { var l = Local((VariableDefinition)i.Operand); PushAddress(l.Kind, l.Reg, l.Type); return; }

            case Code.Ldnull:
            {
                int r = Push(ValueKind.Ref, StackType.Ref);
                _stack![^1].IsNull = true;
                EmitDef(JitOpcode.RefConst, r).Const = null;
                return;
            }
            case Code.Ldc_I4: EmitDef(JitOpcode.IntConst, Push(ValueKind.Int, StackType.I32)).Imm = (int)i.Operand; return;
            case Code.Ldc_I8: EmitDef(JitOpcode.IntConst, Push(ValueKind.Int, StackType.I64)).Imm = (long)i.Operand; return;
            case Code.Ldc_R4: EmitDef(JitOpcode.FloatConst, Push(ValueKind.Float, StackType.F32)).FImm = (float)i.Operand; return;
            case Code.Ldc_R8: EmitDef(JitOpcode.FloatConst, Push(ValueKind.Float, StackType.F64)).FImm = (double)i.Operand; return;
            case Code.Ldstr: EmitDef(JitOpcode.RefConst, Push(ValueKind.Ref, StackType.Ref, typeof(string))).Const = (string)i.Operand; return;

            case Code.Dup: _stack!.Add(_stack.Count > 0 ? _stack[^1].Clone() : throw Error("IL stack underflow.")); return;
            case Code.Pop: Pop(); return;

            case Code.Add: case Code.Sub: case Code.Mul: case Code.Div: case Code.Div_Un: case Code.Rem: case Code.Rem_Un:
            case Code.And: case Code.Or: case Code.Xor: case Code.Shl: case Code.Shr: case Code.Shr_Un:
            case Code.Add_Ovf: case Code.Add_Ovf_Un: case Code.Sub_Ovf: case Code.Sub_Ovf_Un: case Code.Mul_Ovf: case Code.Mul_Ovf_Un:
                Binary(i.OpCode.Code); return;
            case Code.Neg: case Code.Not: Unary(i.OpCode.Code); return;

            case Code.Conv_I1: case Code.Conv_I2: case Code.Conv_I4: case Code.Conv_I8: case Code.Conv_I:
            case Code.Conv_U1: case Code.Conv_U2: case Code.Conv_U4: case Code.Conv_U8: case Code.Conv_U:
            case Code.Conv_R4: case Code.Conv_R8: case Code.Conv_R_Un:
            case Code.Conv_Ovf_I1: case Code.Conv_Ovf_I2: case Code.Conv_Ovf_I4: case Code.Conv_Ovf_I8: case Code.Conv_Ovf_I:
            case Code.Conv_Ovf_U1: case Code.Conv_Ovf_U2: case Code.Conv_Ovf_U4: case Code.Conv_Ovf_U8: case Code.Conv_Ovf_U:
            case Code.Conv_Ovf_I1_Un: case Code.Conv_Ovf_I2_Un: case Code.Conv_Ovf_I4_Un: case Code.Conv_Ovf_I8_Un: case Code.Conv_Ovf_I_Un:
            case Code.Conv_Ovf_U1_Un: case Code.Conv_Ovf_U2_Un: case Code.Conv_Ovf_U4_Un: case Code.Conv_Ovf_U8_Un: case Code.Conv_Ovf_U_Un:
                Convert(i.OpCode.Code); return;

            case Code.Ceq: case Code.Cgt: case Code.Cgt_Un: case Code.Clt: case Code.Clt_Un: CompareValue(i.OpCode.Code); return;

            case Code.Br: Branch(i); return;
            case Code.Brtrue: case Code.Brfalse: BranchIf(i); return;
            case Code.Beq: case Code.Bne_Un: case Code.Bge: case Code.Bge_Un: case Code.Bgt: case Code.Bgt_Un:
            case Code.Ble: case Code.Ble_Un: case Code.Blt: case Code.Blt_Un:
                BranchCompare(i); return;
            case Code.Switch: SwitchOp(i); return;
            case Code.Ret: Return(); return;
            case Code.Throw: Emit(JitOpcode.Throw, 0, PopValue().Reg); _stack = null; return;
            case Code.Rethrow: Emit(JitOpcode.Throw, 0, CaughtExceptionRegister(i)); _stack = null; return;
            case Code.Leave: Leave(i); return;
            case Code.Endfinally: EndFinally(i); return;

            case Code.Ldfld: LoadField(i); return;
            case Code.Stfld: StoreField(i); return;
            case Code.Ldsfld: LoadStatic(i); return;
            case Code.Stsfld: StoreStatic(i); return;
            case Code.Ldflda: FieldAddress(i); return;

            case Code.Newarr: NewArray(i); return;
            case Code.Ldlen: { var a = PopValue(); EmitDef(JitOpcode.ArrayLen, Push(ValueKind.Int, StackType.I64), a.Reg); return; }
            case Code.Ldelem_I1: case Code.Ldelem_U1: case Code.Ldelem_I2: case Code.Ldelem_U2: case Code.Ldelem_I4: case Code.Ldelem_U4:
            case Code.Ldelem_I8: case Code.Ldelem_I: case Code.Ldelem_R4: case Code.Ldelem_R8: case Code.Ldelem_Ref: case Code.Ldelem_Any:
                LoadElement(i); return;
            case Code.Stelem_I1: case Code.Stelem_I2: case Code.Stelem_I4: case Code.Stelem_I8: case Code.Stelem_I:
            case Code.Stelem_R4: case Code.Stelem_R8: case Code.Stelem_Ref: case Code.Stelem_Any:
                StoreElement(i); return;
            case Code.Ldelema: ElementAddress(i); return;
            case Code.Ldind_I1: case Code.Ldind_U1: case Code.Ldind_I2: case Code.Ldind_U2: case Code.Ldind_I4: case Code.Ldind_U4:
            case Code.Ldind_I8: case Code.Ldind_I: case Code.Ldind_R4: case Code.Ldind_R8: case Code.Ldind_Ref: case Code.Ldobj:
                LoadIndirect(); return;
            case Code.Stind_I1: case Code.Stind_I2: case Code.Stind_I4: case Code.Stind_I8: case Code.Stind_I:
            case Code.Stind_R4: case Code.Stind_R8: case Code.Stind_Ref: case Code.Stobj:
                StoreIndirect(); return;
            case Code.Initobj: InitObject(); return;

            case Code.Box: Box(i); return;
            case Code.Unbox_Any: UnboxAny(i); return;
            case Code.Isinst: case Code.Castclass: TypeTest(i); return;
            case Code.Ldtoken: LoadToken(i); return;

            case Code.Call: case Code.Callvirt: Call(i); return;
            case Code.Newobj: NewObject(i); return;
            case Code.Ldftn: LoadFunction(i); return;

            default:
                throw Error($"The IL instruction '{i.OpCode.Name}' is not supported by the codewriter (not RC#).");
        }
    }

    private Type InterpreterLoaderResolveType(Instruction i) => Loading.InterpreterLoader.ResolveType(_method, (TypeReference)i.Operand);

    private void StoreVariable(ValueKind kind, int reg, Type type)
    {
        var v = PopValue();
        if (v.Kind != kind) throw Error($"Storing a {v.Kind} value into a {kind} variable.");
        bool round = type == typeof(float) && v.Type == StackType.F64;
        bool othersReadIt = _stack!.Any(s => s.Form == ItemForm.Value && s.Kind == kind && s.Reg == v.Reg);
        bool readsTarget = _stack!.Any(s => s.IsVariable && s.Kind == kind && s.Reg == reg);
        if (!round && !v.IsVariable && !othersReadIt && !readsTarget && _lastDef != null && _lastDefKind == kind && _lastDef.A == v.Reg && _insns.Count > 0 && _insns[^1] == _lastDef)
        {
            _lastDef.A = reg; // write the result straight into the variable
            _lastDef = null;
            return;
        }
        FlushVariable(kind, reg);
        if (round) Emit(JitOpcode.FloatRound32, reg, v.Reg);
        else EmitCopy(kind, reg, v.Reg);
    }

    private void PushAddress(ValueKind kind, int reg, Type type) =>
        _stack!.Add(new StackItem { Form = ItemForm.LocalAddr, Kind = kind, Reg = reg, ClrType = type, Type = StackType.I64 });

    private void Return()
    {
        if (_method is System.Reflection.MethodInfo mi && mi.ReturnType != typeof(void))
        {
            var v = PopValue();
            Emit(v.Kind switch { ValueKind.Int => JitOpcode.IntReturn, ValueKind.Float => JitOpcode.FloatReturn, _ => JitOpcode.RefReturn }, 0, v.Reg);
        }
        else Emit(JitOpcode.VoidReturn);
        _stack = null;
    }
}
