using System.Reflection;
using System.Reflection.Emit;

namespace MetaJit.Engine.Descriptors;

/// <summary>Builds <see cref="Invoker"/>s: DynamicMethods that unpack register arrays into a real call.</summary>
internal static class Invokers
{
    public static Invoker Build(CallDescr descr, bool virtualCall)
    {
        var method = descr.Method;
        var dm = new DynamicMethod("invoke_" + method.Name, typeof(void),
            new[] { typeof(long[]), typeof(double[]), typeof(object[]) }, typeof(Invokers).Module, skipVisibility: true);
        var il = dm.GetILGenerator();
        int ni = 0, nf = 0, nr = 0;
        int argIndex = 0;
        bool isInstance = !method.IsStatic && (method is not ConstructorInfo || descr.IsConstructorOnInstance);
        if (isInstance)
        {
            var declaring = method.DeclaringType!;
            if (declaring.IsValueType)
            {
                // A method of a primitive (e.g. int.ToString()): the receiver comes by value; call it on a copy.
                var local = il.DeclareLocal(declaring);
                LoadArg(il, descr.ArgKinds[0], ref ni, ref nf, ref nr);
                Accessors.EmitFromRegister(il, declaring);
                il.Emit(OpCodes.Stloc, local);
                il.Emit(OpCodes.Ldloca, local);
            }
            else
            {
                LoadArg(il, ValueKind.Ref, ref ni, ref nf, ref nr);
                il.Emit(OpCodes.Castclass, declaring);
            }
            argIndex = 1;
        }
        foreach (var p in method.GetParameters())
        {
            LoadArg(il, descr.ArgKinds[argIndex++], ref ni, ref nf, ref nr);
            Accessors.EmitFromRegister(il, p.ParameterType);
        }
        if (method is ConstructorInfo ctor) il.Emit(descr.IsConstructorOnInstance ? OpCodes.Call : OpCodes.Newobj, ctor);
        else if (virtualCall && descr.IsVirtual && !method.DeclaringType!.IsValueType) il.Emit(OpCodes.Callvirt, (MethodInfo)method);
        else il.Emit(OpCodes.Call, (MethodInfo)method);

        var resultType = method is ConstructorInfo ? (descr.IsConstructorOnInstance ? typeof(void) : method.DeclaringType!) : ((MethodInfo)method).ReturnType;
        if (resultType != typeof(void))
        {
            var result = il.DeclareLocal(descr.ResultKind switch
            {
                ValueKind.Int => typeof(long),
                ValueKind.Float => typeof(double),
                _ => typeof(object),
            });
            if (method is ConstructorInfo && resultType.IsValueType)
                throw new NotSupportedException($"Constructing value type {resultType} is not RC#.");
            Accessors.EmitToRegister(il, resultType);
            il.Emit(OpCodes.Stloc, result);
            il.Emit(descr.ResultKind switch { ValueKind.Int => OpCodes.Ldarg_0, ValueKind.Float => OpCodes.Ldarg_1, _ => OpCodes.Ldarg_2 });
            il.Emit(OpCodes.Ldc_I4_0);
            il.Emit(OpCodes.Ldloc, result);
            il.Emit(descr.ResultKind switch { ValueKind.Int => OpCodes.Stelem_I8, ValueKind.Float => OpCodes.Stelem_R8, _ => OpCodes.Stelem_Ref });
        }
        il.Emit(OpCodes.Ret);
        return dm.CreateDelegate<Invoker>();
    }

    private static void LoadArg(ILGenerator il, ValueKind kind, ref int ni, ref int nf, ref int nr)
    {
        switch (kind)
        {
            case ValueKind.Int: il.Emit(OpCodes.Ldarg_0); il.Emit(OpCodes.Ldc_I4, ni++); il.Emit(OpCodes.Ldelem_I8); break;
            case ValueKind.Float: il.Emit(OpCodes.Ldarg_1); il.Emit(OpCodes.Ldc_I4, nf++); il.Emit(OpCodes.Ldelem_R8); break;
            default: il.Emit(OpCodes.Ldarg_2); il.Emit(OpCodes.Ldc_I4, nr++); il.Emit(OpCodes.Ldelem_Ref); break;
        }
    }
}
