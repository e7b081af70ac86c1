using Mono.Cecil;
using Mono.Cecil.Cil;
using Op = Mono.Cecil.Cil.Code;

namespace MetaJit.Toolchain.Checking.Rules;

/// <summary>
/// MJ009: managed references: ref/out/in parameters, ref returns, ref locals, and taking the address of a
/// local, argument, field or array element. Allowed, because the codewriter sees through them:
/// the ref arguments of <c>JitDriver.CanEnterJit</c> (and the lock-taken flag of a <c>lock</c>, which is MJ006); an address used as the receiver of a method of a
/// primitive or enum (<c>i.ToString()</c>); <c>a[i] += x</c> and <c>a[i]++</c> on an array element.
/// Addresses of structs and closures are left to MJ008 and MJ003.
/// </summary>
internal sealed class RefRule : IRcsRule
{
    private const string Fix = "return the value instead (or a small result object); RC# allows refs only as the arguments of JitDriver.CanEnterJit";

    public string Code => RuleCodes.Ref;

    public void Check(MethodContext method)
    {
        foreach (var p in method.Method.Parameters)
        {
            if (p.ParameterType is ByReferenceType)
                method.Report(Code, null, $"{Modifier(p)} parameter {p.Name}", Fix);
        }
        if (method.Method.ReturnType is ByReferenceType)
            method.Report(Code, null, "ref return", "return the value itself, or the object and an index");
        var allowed = AllowedAddresses(method);
        foreach (var ins in method.Instructions)
        {
            if (ins.OpCode.Code is Op.Stloc or Op.Stloc_S or Op.Stloc_0 or Op.Stloc_1 or Op.Stloc_2 or Op.Stloc_3
                && method.LocalOf(ins) is { VariableType: ByReferenceType, IsPinned: false } refLocal)
            {
                method.Report(Code, ins, $"ref local {method.LocalName(refLocal)}", "use the array and index (or object and field) directly");
                continue;
            }
            if (!IsAddressLoad(ins) || allowed.Contains(ins)) continue;
            if (ins.Next?.OpCode.Code is Op.Conv_U or Op.Conv_I || (ins.Next != null && method.LocalOf(ins.Next) is { IsPinned: true }))
                continue; // an address turned into a pointer (fixed): MJ007
            var target = AddressedType(method, ins);
            if (target != null && (TypeFacts.FindStruct(target) != null || TypeFacts.IsClosureType(target))) continue;
            method.Report(Code, ins, $"address of {Describe(method, ins)} (a ref/out/in argument or ref local)", Fix);
        }
    }

    private static string Modifier(ParameterDefinition p) => p.IsOut ? "out" : p.IsIn ? "in" : "ref";

    public static bool IsAddressLoad(Instruction ins) => ins.OpCode.Code is
        Op.Ldloca or Op.Ldloca_S or Op.Ldarga or Op.Ldarga_S or Op.Ldflda or Op.Ldsflda or Op.Ldelema;

    private static TypeReference? AddressedType(MethodContext method, Instruction ins) => ins.OpCode.Code switch
    {
        Op.Ldloca or Op.Ldloca_S => method.LocalOf(ins)?.VariableType,
        Op.Ldarga or Op.Ldarga_S => method.ParameterOf(ins)?.ParameterType,
        Op.Ldflda or Op.Ldsflda => (ins.Operand as FieldReference)?.FieldType,
        Op.Ldelema => ins.Operand as TypeReference,
        _ => null,
    };

    private static string Describe(MethodContext method, Instruction ins) => ins.OpCode.Code switch
    {
        Op.Ldloca or Op.Ldloca_S => $"local {method.LocalName(method.LocalOf(ins)!)}",
        Op.Ldarga or Op.Ldarga_S => $"parameter {method.ParameterOf(ins)?.Name ?? "this"}",
        Op.Ldflda or Op.Ldsflda => $"field {((FieldReference)ins.Operand).Name}",
        _ => "an array element",
    };

    /// <summary>The address loads one of the allowed shapes consumes.</summary>
    private static HashSet<Instruction> AllowedAddresses(MethodContext method)
    {
        var allowed = new HashSet<Instruction>();
        foreach (var ins in method.Instructions)
        {
            if (ins.OpCode.Code == Op.Ldelema && ins.Next?.OpCode.Code == Op.Dup && IsIndirectLoad(ins.Next.Next))
            {
                allowed.Add(ins); // a[i] op= x
                continue;
            }
            if (ins.OpCode.Code is not (Op.Call or Op.Callvirt or Op.Newobj) || ins.Operand is not MethodReference m) continue;
            var producers = method.Flow.ArgumentProducers(ins);
            if (producers == null) continue;
            // Refs handed to a struct's methods (new ReadOnlySpan<char>(ref c) for "s" + c) are part of MJ008.
            if (PortalFinder.IsCanEnterJit(ins) || LockRule.IsLockType(m.DeclaringType) || TypeFacts.FindStruct(m.DeclaringType) != null)
            {
                foreach (var p in producers)
                    if (p != null && IsAddressLoad(p)) allowed.Add(p);
            }
            else if (m.HasThis && producers.Length > 0 && producers[0] is { } receiver && IsAddressLoad(receiver) && IsPrimitiveReceiver(ins, m))
            {
                allowed.Add(receiver);
            }
        }
        return allowed;
    }

    private static bool IsIndirectLoad(Instruction? ins) => ins != null && ins.OpCode.Code is
        Op.Ldind_I1 or Op.Ldind_U1 or Op.Ldind_I2 or Op.Ldind_U2 or Op.Ldind_I4 or Op.Ldind_U4
        or Op.Ldind_I8 or Op.Ldind_I or Op.Ldind_R4 or Op.Ldind_R8 or Op.Ldind_Ref or Op.Ldobj;

    private static bool IsPrimitiveReceiver(Instruction call, MethodReference m)
    {
        var type = call.Previous?.OpCode.Code == Op.Constrained ? (TypeReference)call.Previous.Operand : m.DeclaringType;
        if (type is GenericParameter || TypeFacts.IsPrimitive(type)) return true;
        return TypeFacts.TryResolve(type) is { IsEnum: true };
    }
}
