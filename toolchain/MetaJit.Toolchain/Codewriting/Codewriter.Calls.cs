using System.Reflection;
using MetaJit.Engine.Descriptors;
using MetaJit.Engine.JitCodes;
using MetaJit.Toolchain.Analysis;
using MetaJit.Toolchain.Loading;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace MetaJit.Toolchain.Codewriting;

// Calls: inline_call (looked inside), dispatch_call (virtual, some override looked inside), residual_call(_virtual)
// (everything else, with effect info), and the hints (JitDriver.*, Jit.*), which become their own ops.
internal sealed partial class Codewriter
{
    private void Call(Instruction i)
    {
        var m = InterpreterLoader.ResolveMethod(_method, (MemberReference)i.Operand);
        var constrained = _constrained;
        _constrained = null;
        bool virt = i.OpCode.Code == Code.Callvirt;

        if (m.DeclaringType == typeof(JitDriver)) { DriverHint(m); return; }
        if (m.DeclaringType == typeof(MetaJit.Jit) && Hint((MethodInfo)m)) return;
        if (m.DeclaringType == typeof(Type) && m.Name == nameof(Type.GetTypeFromHandle) && _stack!.Count > 0 && _stack[^1].Form == ItemForm.TypeToken)
        {
            var token = Pop().Token!;
            EmitDef(JitOpcode.RefConst, Push(ValueKind.Ref, StackType.Ref, typeof(Type))).Const = token;
            _stack[^1].ConstType = token;
            return;
        }

        var pars = m.GetParameters();
        bool hasThis = !m.IsStatic;
        var args = new StackItem[pars.Length];
        for (int k = pars.Length - 1; k >= 0; k--) args[k] = PopArg(pars[k].ParameterType);
        StackItem? recv = hasThis ? Pop() : null;

        if (m is ConstructorInfo ctor) // call .ctor on an existing object: a base (or this(...)) constructor
        {
            if (ctor.DeclaringType == typeof(object)) return;
            if (recv!.Form != ItemForm.Value) throw Error($"Constructing struct {ctor.DeclaringType!.Name} in place: structs are not RC#.");
            var cd = Descrs.ConstructorOnInstance(ctor);
            EmitCall(LooksInside(ctor) ? JitOpcode.InlineCall : JitOpcode.ResidualCall, cd, Prepend(recv.Reg, ValueKind.Ref, args), ValueKind.Void, null);
            return;
        }

        var mi = (MethodInfo)m;
        if (recv != null && recv.Form != ItemForm.Value)
        {
            // A method called on an address: a primitive's method (ldloca x; call int32::ToString), or a
            // constrained. call in generic code.
            var valueType = constrained ?? mi.DeclaringType!;
            if (!valueType.IsValueType)
            {
                int r = LoadThrough(recv, NewReg(ValueKind.Ref));
                recv = new StackItem { Kind = ValueKind.Ref, Type = StackType.Ref, Reg = r, ClrType = valueType };
            }
            else
            {
                if (!valueType.IsPrimitive && !valueType.IsEnum) throw Error($"Methods of struct {valueType.Name} are not RC#.");
                var kind = Kind(valueType);
                int value = LoadThrough(recv, NewReg(kind));
                var impl = ImplementationOn(valueType, mi);
                if (impl != null)
                {
                    EmitCall(JitOpcode.ResidualCall, Residual(impl), Prepend(value, kind, args), Kind(impl.ReturnType), impl.ReturnType);
                    return;
                }
                int boxed = NewReg(ValueKind.Ref);
                Emit(kind == ValueKind.Float ? JitOpcode.BoxFloat : JitOpcode.BoxInt, boxed, value).Descr = Descrs.Type(valueType);
                EmitCall(JitOpcode.ResidualCallVirtual, Residual(mi), Prepend(boxed, ValueKind.Ref, args), Kind(mi.ReturnType), mi.ReturnType);
                return;
            }
        }
        if (recv != null && recv.Kind != ValueKind.Ref)
            throw Error($"Calling {mi.Name} on a {recv.Kind} value without its address.");

        var argRegs = recv != null ? Prepend(recv.Reg, ValueKind.Ref, args) : args.Select(a => new Reg(a.Kind, a.Reg).Encode()).ToArray();
        var descr = Descrs.Call(mi);
        var resultKind = Kind(mi.ReturnType);
        if (virt && descr.IsVirtual)
        {
            bool inside = LooksInside(mi) || (_graph?.Overrides(mi).Any(LooksInside) ?? false);
            if (inside)
            {
                SetResidualEffects(mi);
                EmitCall(JitOpcode.DispatchCall, descr, argRegs, resultKind, mi.ReturnType);
            }
            else EmitCall(JitOpcode.ResidualCallVirtual, Residual(mi), argRegs, resultKind, mi.ReturnType);
            return;
        }
        if (LooksInside(mi))
        {
            if (virt && recv != null && !IsThis(recv)) NullCheck(recv.Reg);
            EmitCall(JitOpcode.InlineCall, descr, argRegs, resultKind, mi.ReturnType);
        }
        else EmitCall(virt ? JitOpcode.ResidualCallVirtual : JitOpcode.ResidualCall, Residual(mi), argRegs, resultKind, mi.ReturnType);
    }

    private bool LooksInside(MethodBase m) => _graph?.LooksInside(m) ?? _policy.LooksInside(m);

    private StackItem PopArg(Type parameterType)
    {
        if (parameterType.IsByRef) throw Error("Passing ref/out arguments is not RC# (only to CanEnterJit).");
        return PopValue();
    }

    private bool IsThis(StackItem item) => !_method.IsStatic && item.IsVariable && item.Kind == ValueKind.Ref && item.Reg == _args[0].Reg;

    /// <summary>callvirt of a non-virtual method throws NullReferenceException on a null receiver; throwing
    /// the null register does exactly that.</summary>
    private void NullCheck(int reg)
    {
        Emit(JitOpcode.GotoIfNonNull, 0, reg).Target = _insns.Count + 1;
        Emit(JitOpcode.Throw, 0, reg);
    }

    private static int[] Prepend(int reg, ValueKind kind, StackItem[] args)
    {
        var r = new int[args.Length + 1];
        r[0] = new Reg(kind, reg).Encode();
        for (int k = 0; k < args.Length; k++) r[k + 1] = new Reg(args[k].Kind, args[k].Reg).Encode();
        return r;
    }

    private void EmitCall(JitOpcode op, CallDescr descr, int[] args, ValueKind resultKind, Type? resultType)
    {
        if (resultKind == ValueKind.Void)
        {
            Emit(op).Descr = descr;
            _insns[^1].Args = args;
            return;
        }
        int dst = Push(resultType!);
        var insn = EmitDef(op, dst);
        insn.Descr = descr;
        insn.Args = args;
    }

    private static CallDescr Residual(MethodBase m)
    {
        var d = m is ConstructorInfo c ? Descrs.Call(c) : Descrs.Call(m);
        if (ReferenceEquals(d.Effect, EffectInfo.Anything)) d.Effect = CallPolicy.EffectOf(m);
        return d;
    }

    private void SetResidualEffects(MethodInfo m)
    {
        Residual(m);
        if (_graph == null) return;
        foreach (var o in _graph.Overrides(m))
            if (!LooksInside(o)) Residual(o);
    }

    /// <summary>The method <paramref name="valueType"/> itself declares for <paramref name="m"/>, or null
    /// (then the value is boxed and the call dispatches on the box).</summary>
    private static MethodInfo? ImplementationOn(Type valueType, MethodInfo m)
    {
        if (m.DeclaringType == valueType) return m;
        if (m.DeclaringType!.IsInterface)
        {
            if (!m.DeclaringType.IsAssignableFrom(valueType)) return null;
            var map = valueType.GetInterfaceMap(m.DeclaringType);
            int k = Array.IndexOf(map.InterfaceMethods, m);
            return k >= 0 && map.TargetMethods[k].DeclaringType == valueType ? map.TargetMethods[k] : null;
        }
        var types = m.GetParameters().Select(p => p.ParameterType).ToArray();
        var own = valueType.GetMethod(m.Name, BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly, types);
        return own != null && own.GetBaseDefinition() == m.GetBaseDefinition() ? own : null;
    }

    private void NewObject(Instruction i)
    {
        var ctor = (ConstructorInfo)InterpreterLoader.ResolveMethod(_method, (MemberReference)i.Operand);
        var type = ctor.DeclaringType!;
        if (typeof(Delegate).IsAssignableFrom(type)) { NewDelegate(type); return; }
        if (type.IsValueType) throw Error($"Creating struct {type.Name}: structs are not RC#.");
        var pars = ctor.GetParameters();
        var args = new StackItem[pars.Length];
        for (int k = pars.Length - 1; k >= 0; k--) args[k] = PopArg(pars[k].ParameterType);
        if (LooksInside(ctor))
        {
            // new + the constructor run on it. The object is built in a register above the arguments (so it
            // clobbers none of them) and moved to its stack slot afterwards.
            int obj = Temp(ValueKind.Ref, _stack!.Count + args.Length + 1);
            Emit(JitOpcode.New, obj).Descr = Descrs.Type(type);
            var call = Emit(JitOpcode.InlineCall);
            call.Descr = Descrs.ConstructorOnInstance(ctor);
            call.Args = Prepend(obj, ValueKind.Ref, args);
            EmitDef(JitOpcode.RefCopy, Push(ValueKind.Ref, StackType.Ref, type), obj);
            return;
        }
        var descr = Residual(ctor);
        int dst = Push(ValueKind.Ref, StackType.Ref, type);
        var insn = EmitDef(JitOpcode.ResidualCall, dst);
        insn.Descr = descr;
        insn.Args = args.Select(a => new Reg(a.Kind, a.Reg).Encode()).ToArray();
    }

    private void LoadFunction(Instruction i)
    {
        var m = InterpreterLoader.ResolveMethod(_method, (MemberReference)i.Operand);
        _lastFunction = m;
        EmitDef(JitOpcode.IntConst, Push(ValueKind.Int, StackType.I64)).Imm = 0;
        _stack![^1].Function = m;
    }

    /// <summary>A delegate of an [Elidable] method, as passed to Jit.RecordKnownResult; any other delegate
    /// (lambdas, closures) is not RC#.</summary>
    private void NewDelegate(Type type)
    {
        var fn = PopValue();
        PopValue(); // the target object (null for static methods)
        if (fn.Function == null || !fn.Function.IsDefined(typeof(ElidableAttribute), false))
            throw Error("Delegates and lambdas are not RC# (a method group is allowed only as the [Elidable] function of Jit.RecordKnownResult).");
        EmitDef(JitOpcode.RefConst, Push(ValueKind.Ref, StackType.Ref, type)).Const = null;
        _stack![^1].Function = fn.Function;
    }

    private void DriverHint(MethodBase m)
    {
        var pars = m.GetParameters();
        if (m.Name == nameof(JitDriver.JitMergePoint))
        {
            var args = PopValues(pars.Length);
            var driver = Pop();
            var portal = PortalOf(driver);
            foreach (var a in args)
                if (!a.IsVariable) throw Error("JitMergePoint must be passed plain variables (the greens and reds), not expressions.");
            var insn = Emit(JitOpcode.JitMergePoint);
            insn.Descr = portal;
            insn.Args = args.Select(a => new Reg(a.Kind, a.Reg).Encode()).ToArray();
            return;
        }
        if (m.Name == nameof(JitDriver.CanEnterJit))
        {
            var refs = new StackItem[pars.Length];
            for (int k = pars.Length - 1; k >= 0; k--) refs[k] = Pop();
            var driver = Pop();
            var portal = PortalOf(driver);
            foreach (var r in refs)
                if (r.Form != ItemForm.LocalAddr)
                    throw Error("CanEnterJit must be passed local variables or parameters (ref x, ..., out result), not fields or array items.");
            foreach (var r in refs) FlushVariable(r.Kind, r.Reg);
            var result = refs[^1];
            int dst = Push(ValueKind.Int, StackType.I32, typeof(bool));
            var insn = EmitDef(JitOpcode.CanEnterJit, dst, result.Reg);
            insn.Descr = portal;
            insn.Args = refs[..^1].Select(a => new Reg(a.Kind, a.Reg).Encode()).ToArray();
            return;
        }
        throw Error($"JitDriver.{m.Name} cannot be called from code the JIT looks inside; mark the caller [DontLookInside].");
    }

    private PortalDescr PortalOf(StackItem driver)
    {
        if (driver.Form != ItemForm.Driver || driver.DriverField == null)
            throw Error("JitMergePoint/CanEnterJit must be called on a JitDriver read from its static readonly field.");
        return _portals.TryGetValue(driver.DriverField, out var p) ? p
            : throw Error($"The JitDriver '{driver.DriverField.Name}' has no portal (no JitMergePoint found for it).");
    }

    /// <summary>Jit.* hints; false for the ones that are ordinary calls (SetParam...).</summary>
    private bool Hint(MethodInfo m)
    {
        switch (m.Name)
        {
            case nameof(MetaJit.Jit.Promote):
            {
                var v = PopValue();
                int dst = Push(m.ReturnType);
                EmitDef(ByKind(v.Kind, JitOpcode.PromoteInt, JitOpcode.PromoteFloat, JitOpcode.PromoteRef), dst, v.Reg);
                _stack![^1].Type = v.Type;
                return true;
            }
            case nameof(MetaJit.Jit.IsConstant):
            {
                var v = PopValue();
                var insn = EmitDef(JitOpcode.IsConstant, Push(ValueKind.Int, StackType.I32, typeof(bool)));
                insn.Args = new[] { new Reg(v.Kind, v.Reg).Encode() };
                return true;
            }
            case nameof(MetaJit.Jit.WeAreJitted):
                EmitDef(JitOpcode.WeAreJitted, Push(ValueKind.Int, StackType.I32, typeof(bool)));
                return true;
            case nameof(MetaJit.Jit.RecordExactClass):
            {
                var type = PopValue();
                var obj = PopValue();
                if (type.ConstType == null) throw Error("Jit.RecordExactClass needs a constant type: pass typeof(X).");
                Emit(JitOpcode.RecordExactClass, 0, obj.Reg).Descr = Descrs.Type(type.ConstType);
                return true;
            }
            case nameof(MetaJit.Jit.RecordKnownResult):
            {
                int n = m.GetParameters().Length;
                var args = PopValues(n - 2);
                var fn = PopValue();
                var result = PopValue();
                var target = fn.Function ?? _lastFunction
                             ?? throw Error("Jit.RecordKnownResult needs a method group of an [Elidable] method as its function.");
                var insn = Emit(JitOpcode.RecordKnownResult);
                insn.Descr = Residual(target);
                insn.Args = new[] { new Reg(result.Kind, result.Reg).Encode() }.Concat(args.Select(a => new Reg(a.Kind, a.Reg).Encode())).ToArray();
                return true;
            }
            default:
                return false;
        }
    }
}
