using System.Reflection;
using System.Reflection.Emit;

namespace MetaJit.Engine.Descriptors;

/// <summary>
/// Builds the small DynamicMethods behind descriptors: field getters and setters, array element access,
/// and call invokers. Each converts between the register representation (long, double, object) and the
/// member's own type exactly as IL does.
/// </summary>
internal static class Accessors
{
    public static Func<object?, T> Getter<T>(FieldInfo field)
    {
        var dm = new DynamicMethod("get_" + field.Name, typeof(T), new[] { typeof(object) }, typeof(Accessors).Module, skipVisibility: true);
        var il = dm.GetILGenerator();
        if (field.IsStatic)
        {
            il.Emit(OpCodes.Ldsfld, field);
        }
        else
        {
            il.Emit(OpCodes.Ldarg_0);
            EmitCastReceiver(il, field.DeclaringType!);
            il.Emit(OpCodes.Ldfld, field);
        }
        EmitToRegister(il, field.FieldType);
        il.Emit(OpCodes.Ret);
        return dm.CreateDelegate<Func<object?, T>>();
    }

    public static Action<object?, T> Setter<T>(FieldInfo field)
    {
        var dm = new DynamicMethod("set_" + field.Name, typeof(void), new[] { typeof(object), typeof(T) }, typeof(Accessors).Module, skipVisibility: true);
        var il = dm.GetILGenerator();
        if (!field.IsStatic)
        {
            il.Emit(OpCodes.Ldarg_0);
            EmitCastReceiver(il, field.DeclaringType!);
        }
        il.Emit(OpCodes.Ldarg_1);
        EmitFromRegister(il, field.FieldType);
        il.Emit(field.IsStatic ? OpCodes.Stsfld : OpCodes.Stfld, field);
        il.Emit(OpCodes.Ret);
        return dm.CreateDelegate<Action<object?, T>>();
    }

    private static void EmitCastReceiver(ILGenerator il, Type declaring)
    {
        if (declaring.IsValueType) throw new NotSupportedException($"Fields of value type {declaring} are not RC#.");
        il.Emit(OpCodes.Castclass, declaring);
    }

    /// <summary>Converts the value of <paramref name="type"/> on the stack to its register form (long, double or object).</summary>
    public static void EmitToRegister(ILGenerator il, Type type)
    {
        if (type.IsEnum) type = Enum.GetUnderlyingType(type);
        switch (Type.GetTypeCode(type))
        {
            case TypeCode.Boolean:
            case TypeCode.Byte:
            case TypeCode.Char:
            case TypeCode.UInt16:
                il.Emit(OpCodes.Conv_U8);
                return;
            case TypeCode.SByte:
            case TypeCode.Int16:
            case TypeCode.Int32:
            case TypeCode.UInt32: // an int32 on the IL stack: kept sign-extended, whatever its C# signedness
                il.Emit(OpCodes.Conv_I8);
                return;
            case TypeCode.Int64:
            case TypeCode.UInt64:
                return;
            case TypeCode.Single:
                il.Emit(OpCodes.Conv_R8);
                return;
            case TypeCode.Double:
                return;
        }
        if (type == typeof(nint)) { il.Emit(OpCodes.Conv_I8); return; }
        if (type == typeof(nuint)) { il.Emit(OpCodes.Conv_U8); return; }
        if (type.IsValueType) throw new NotSupportedException($"Value type {type} cannot be held in a register.");
    }

    /// <summary>Converts a register value on the stack (long, double or object) to <paramref name="type"/>.</summary>
    public static void EmitFromRegister(ILGenerator il, Type type)
    {
        if (type.IsEnum) type = Enum.GetUnderlyingType(type);
        switch (Type.GetTypeCode(type))
        {
            case TypeCode.Boolean:
                il.Emit(OpCodes.Ldc_I4_0); il.Emit(OpCodes.Conv_I8); il.Emit(OpCodes.Cgt_Un);
                return;
            case TypeCode.Byte: il.Emit(OpCodes.Conv_U1); return;
            case TypeCode.SByte: il.Emit(OpCodes.Conv_I1); return;
            case TypeCode.Char:
            case TypeCode.UInt16: il.Emit(OpCodes.Conv_U2); return;
            case TypeCode.Int16: il.Emit(OpCodes.Conv_I2); return;
            case TypeCode.Int32: il.Emit(OpCodes.Conv_I4); return;
            case TypeCode.UInt32: il.Emit(OpCodes.Conv_U4); return;
            case TypeCode.Int64:
            case TypeCode.UInt64:
                return;
            case TypeCode.Single: il.Emit(OpCodes.Conv_R4); return;
            case TypeCode.Double: return;
        }
        if (type == typeof(nint)) { il.Emit(OpCodes.Conv_I); return; }
        if (type == typeof(nuint)) { il.Emit(OpCodes.Conv_U); return; }
        if (type.IsValueType) throw new NotSupportedException($"Value type {type} cannot be held in a register.");
        if (type != typeof(object)) il.Emit(OpCodes.Castclass, type);
    }
}
