namespace MetaJit.Engine.Execution;

/// <summary>
/// Moving values between their .NET boxed form and register form: IL <c>box</c>/<c>unbox.any</c> of
/// primitives and enums, and the conversions at the engine's edges (test harness, CanEnterJit's refs).
/// </summary>
public static class BoxOps
{
    /// <summary>Boxes register value <paramref name="v"/> as <paramref name="type"/> (a primitive or enum).</summary>
    public static object Box(long v, Type type)
    {
        if (type.IsEnum) return Enum.ToObject(type, FromRegister(v, Enum.GetUnderlyingType(type)));
        return FromRegister(v, type);
    }

    /// <summary>Boxes a float register as float or double.</summary>
    public static object BoxFloat(double v, Type type) => type == typeof(float) ? (float)v : v;

    /// <summary>The boxed primitive of <paramref name="type"/> for a register value.</summary>
    public static object FromRegister(long v, Type type) => Type.GetTypeCode(type) switch
    {
        TypeCode.Boolean => v != 0,
        TypeCode.Char => (char)v,
        TypeCode.SByte => (sbyte)v,
        TypeCode.Byte => (byte)v,
        TypeCode.Int16 => (short)v,
        TypeCode.UInt16 => (ushort)v,
        TypeCode.Int32 => (int)v,
        TypeCode.UInt32 => (uint)v,
        TypeCode.Int64 => v,
        TypeCode.UInt64 => (ulong)v,
        _ when type.IsEnum => Enum.ToObject(type, FromRegister(v, Enum.GetUnderlyingType(type))),
        _ => throw new NotSupportedException($"{type} is not an integral type"),
    };

    /// <summary>The register value of a boxed integral (or enum) value; NullReferenceException on null.</summary>
    public static long ToRegister(object boxed)
    {
        if (boxed is null) throw new NullReferenceException();
        return boxed switch
        {
            bool b => b ? 1 : 0,
            char c => c,
            sbyte sb => sb,
            byte by => by,
            short s => s,
            ushort us => us,
            int i => i,
            uint ui => (int)ui,
            long l => l,
            ulong ul => (long)ul,
            Enum e => ToRegister(Convert.ChangeType(e, Enum.GetUnderlyingType(e.GetType()))),
            _ => throw new InvalidCastException($"Unable to cast object of type '{boxed.GetType()}' to an integral type."),
        };
    }

    /// <summary>IL <c>unbox.any</c> to integral <paramref name="type"/>: the box must hold that type
    /// (or, for enums, the same underlying type).</summary>
    public static long Unbox(object? boxed, Type type)
    {
        if (boxed is null) throw new NullReferenceException("Object reference not set to an instance of an object.");
        var actual = boxed.GetType();
        var want = type.IsEnum ? Enum.GetUnderlyingType(type) : type;
        var have = actual.IsEnum ? Enum.GetUnderlyingType(actual) : actual;
        if (want != have)
            throw new InvalidCastException($"Unable to cast object of type '{actual}' to type '{type}'.");
        return ToRegister(boxed);
    }

    /// <summary>IL <c>unbox.any</c> to float or double.</summary>
    public static double UnboxFloat(object? boxed, Type type)
    {
        if (boxed is null) throw new NullReferenceException("Object reference not set to an instance of an object.");
        if (type == typeof(float) && boxed is float f) return f;
        if (type == typeof(double) && boxed is double d) return d;
        throw new InvalidCastException($"Unable to cast object of type '{boxed.GetType()}' to type '{type}'.");
    }
}
