using System.Reflection.Emit;
using System.Runtime.CompilerServices;
using MetaJit.Engine.Descriptors;

namespace MetaJit.Engine.Runtime;

/// <summary>
/// Converts values of an interpreter's green/red/result type <typeparamref name="T"/> to and from register
/// form without boxing (compiled once per type), for the CanEnterJit hooks.
/// </summary>
internal static class RegConv<T>
{
    public static readonly ValueKind Kind = ValueKinds.Of(typeof(T));
    private static readonly Func<T, long>? ToIntFn;
    private static readonly Func<long, T>? FromIntFn;
    private static readonly Func<T, double>? ToFloatFn;
    private static readonly Func<double, T>? FromFloatFn;

    static RegConv()
    {
        // int, long, bool and double convert inline below: emitting for them would cost every start the first use
        // of Reflection.Emit and two RyuJIT compilations (~3 ms) for delegates never called.
        if (typeof(T) == typeof(int) || typeof(T) == typeof(long) || typeof(T) == typeof(bool) || typeof(T) == typeof(double)) return;
        if (Kind == ValueKind.Int)
        {
            ToIntFn = Build<Func<T, long>>(typeof(long), typeof(T), il => Accessors.EmitToRegister(il, typeof(T)));
            FromIntFn = Build<Func<long, T>>(typeof(T), typeof(long), il => Accessors.EmitFromRegister(il, typeof(T)));
        }
        else if (Kind == ValueKind.Float)
        {
            ToFloatFn = Build<Func<T, double>>(typeof(double), typeof(T), il => Accessors.EmitToRegister(il, typeof(T)));
            FromFloatFn = Build<Func<double, T>>(typeof(T), typeof(double), il => Accessors.EmitFromRegister(il, typeof(T)));
        }
    }

    private static TDelegate Build<TDelegate>(Type ret, Type arg, Action<ILGenerator> convert) where TDelegate : Delegate
    {
        var dm = new DynamicMethod("regconv", ret, new[] { arg }, typeof(RegConv<T>).Module, skipVisibility: true);
        var il = dm.GetILGenerator();
        il.Emit(OpCodes.Ldarg_0);
        convert(il);
        il.Emit(OpCodes.Ret);
        return dm.CreateDelegate<TDelegate>();
    }

    // The common register types convert inline (the JIT folds the type tests per instantiation): CanEnterJit
    // converts every green at every backward jump. Other types (enums, small ints) go through the emitted
    // conversion.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long ToInt(T value)
    {
        if (typeof(T) == typeof(int)) return Unsafe.As<T, int>(ref value);
        if (typeof(T) == typeof(long)) return Unsafe.As<T, long>(ref value);
        if (typeof(T) == typeof(bool)) return Unsafe.As<T, bool>(ref value) ? 1 : 0;
        return ToIntFn!(value);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T FromInt(long value)
    {
        if (typeof(T) == typeof(int)) { int v = (int)value; return Unsafe.As<int, T>(ref v); }
        if (typeof(T) == typeof(long)) return Unsafe.As<long, T>(ref value);
        if (typeof(T) == typeof(bool)) { bool v = value != 0; return Unsafe.As<bool, T>(ref v); }
        return FromIntFn!(value);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double ToFloat(T value) => typeof(T) == typeof(double) ? Unsafe.As<T, double>(ref value) : ToFloatFn!(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T FromFloat(double value) => typeof(T) == typeof(double) ? Unsafe.As<double, T>(ref value) : FromFloatFn!(value);

    public static object? ToRef(T value) => value;
    public static T FromRef(object? value) => (T)value!;
}
