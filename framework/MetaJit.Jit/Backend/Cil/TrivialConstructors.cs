using System.Collections.Concurrent;
using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.CompilerServices;

namespace MetaJit.Engine.Backend.Cil;

/// <summary>
/// Finds, for <c>new_with_vtable</c>, a constructor that can allocate an object of a class without changing
/// anything the allocation alone would not: its body only calls a base constructor of the same kind (down to
/// <see cref="object"/>'s) and stores its own arguments into the object's fields. Called with default arguments
/// it leaves every field zero, exactly as <see cref="System.Runtime.CompilerServices.RuntimeHelpers.GetUninitializedObject"/>
/// does, but <c>newobj</c> takes the runtime's inline allocation path instead of a call through reflection's
/// cache, with an exactly typed result (in compiled Lox traces: a field-heavy loop -48%, ackermann -17%,
/// backend-cil.md). The trace's own <c>setfield</c>s follow, as after any allocation.
/// </summary>
internal static class TrivialConstructors
{
    private static readonly ConcurrentDictionary<Type, ConstructorInfo?> Found = new();

    /// <summary>A constructor of <paramref name="type"/> whose parameters are all of primitive or reference types and
    /// whose body is trivial (see the class), or null.</summary>
    public static ConstructorInfo? Of(Type type) => Found.GetOrAdd(type, Find);

    private static readonly MethodInfo TypeFromHandle = typeof(Type).GetMethod(nameof(Type.GetTypeFromHandle))!;
    private static readonly MethodInfo Uninitialized = typeof(RuntimeHelpers).GetMethod(nameof(RuntimeHelpers.GetUninitializedObject))!;

    /// <summary>Pushes a new object of <paramref name="type"/> with every field zero: <c>newobj</c> of its trivial
    /// constructor with zero arguments where it has one (the runtime's inline allocation), else
    /// <see cref="RuntimeHelpers.GetUninitializedObject"/>.</summary>
    public static void EmitNew(ILGenerator il, Type type)
    {
        if (Of(type) is not { } ctor)
        {
            il.Emit(OpCodes.Ldtoken, type); il.Emit(OpCodes.Call, TypeFromHandle); il.Emit(OpCodes.Call, Uninitialized);
            return;
        }
        foreach (var p in ctor.GetParameters())
        {
            var t = p.ParameterType.IsEnum ? Enum.GetUnderlyingType(p.ParameterType) : p.ParameterType;
            if (!t.IsValueType) il.Emit(OpCodes.Ldnull);
            else if (t == typeof(double)) il.Emit(OpCodes.Ldc_R8, 0.0);
            else if (t == typeof(float)) il.Emit(OpCodes.Ldc_R4, 0f);
            else if (t == typeof(long) || t == typeof(ulong)) il.Emit(OpCodes.Ldc_I8, 0L);
            else if (t == typeof(nint) || t == typeof(nuint)) { il.Emit(OpCodes.Ldc_I4_0); il.Emit(OpCodes.Conv_I); }
            else il.Emit(OpCodes.Ldc_I4_0);
        }
        il.Emit(OpCodes.Newobj, ctor);
    }

    private static ConstructorInfo? Find(Type type)
    {
        if (type.IsAbstract || type.IsValueType || type.ContainsGenericParameters || type.IsArray) return null;
        var ctors = type.GetConstructors(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic);
        return ctors.OrderBy(c => c.GetParameters().Length).FirstOrDefault(c => c.GetParameters().All(p => HasDefaultLiteral(p.ParameterType)) && IsTrivial(c));
    }

    /// <summary>Types whose default value a constant pushes (null, or a zero of a primitive type).</summary>
    private static bool HasDefaultLiteral(Type t) =>
        !t.IsByRef && !t.IsPointer && (!t.IsValueType || t.IsPrimitive || t.IsEnum);

    // Accepted IL: nop; ldarg (this, or an argument); stfld of an argument (not this) into this object's field; call
    // of a trivial base constructor on this with arguments (not this); ret. Anything else (field initializers with
    // constants, allocations, other calls) is not trivial. The stack is tracked as argument indexes.
    private static bool IsTrivial(ConstructorInfo ctor)
    {
        if (ctor.DeclaringType == typeof(object)) return true;
        var body = ctor.GetMethodBody();
        if (body == null || body.ExceptionHandlingClauses.Count > 0) return false;
        var il = body.GetILAsByteArray();
        if (il == null) return false;
        var module = ctor.Module;
        var type = ctor.DeclaringType!;
        var stack = new List<int>();
        for (int at = 0; at < il.Length;)
        {
            byte op = il[at++];
            switch (op)
            {
                case 0x00: break; // nop
                case 0x02: case 0x03: case 0x04: case 0x05: stack.Add(op - 0x02); break; // ldarg.0-3
                case 0x0E: stack.Add(il[at++]); break; // ldarg.s
                case 0x7D: // stfld
                {
                    var field = Resolve(() => module.ResolveField(Token(il, at), type.GetGenericArguments(), null));
                    at += 4;
                    if (field == null || field.IsStatic || !field.DeclaringType!.IsAssignableFrom(type)) return false;
                    if (stack.Count != 2 || stack[0] != 0 || stack[1] == 0) return false;
                    stack.Clear();
                    break;
                }
                case 0x28: // call: only a base constructor
                {
                    var callee = Resolve(() => module.ResolveMethod(Token(il, at), type.GetGenericArguments(), null));
                    at += 4;
                    if (callee is not ConstructorInfo baseCtor || baseCtor.DeclaringType != type.BaseType || !IsTrivial(baseCtor)) return false;
                    if (stack.Count != baseCtor.GetParameters().Length + 1 || stack[0] != 0 || stack.Skip(1).Any(k => k == 0)) return false;
                    stack.Clear();
                    break;
                }
                case 0x2A: return stack.Count == 0; // ret
                default: return false;
            }
        }
        return false;
    }

    private static int Token(byte[] il, int at) => BitConverter.ToInt32(il, at);

    private static T? Resolve<T>(Func<T?> resolve) where T : class
    {
        try
        {
            return resolve();
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}
