namespace MetaJit.Engine.Descriptors;

/// <summary>
/// The three register banks of JitCodes and the three value kinds of traces (as RPython's 'i', 'f', 'r'),
/// plus <see cref="Void"/> for calls without a result. Every integral IL type (bool, char, byte ... long, enums)
/// lives in <see cref="Int"/> as a 64-bit value (32-bit and narrower values as IL keeps them on its stack: an int32,
/// sign-extended, so a uint 0xFFFFFFFF is held as -1 and only unsigned ops and conversions read it as unsigned); float and double in <see cref="Float"/>; references in <see cref="Ref"/>.
/// </summary>
public enum ValueKind : byte
{
    /// <summary>64-bit integer register ('i').</summary>
    Int = 0,
    /// <summary>Double register ('f').</summary>
    Float = 1,
    /// <summary>Object reference register ('r').</summary>
    Ref = 2,
    /// <summary>No value (void calls).</summary>
    Void = 3,
}

/// <summary>Mapping .NET types to kinds.</summary>
public static class ValueKinds
{
    /// <summary>The kind a value of <paramref name="type"/> is held in; enums by their underlying type.</summary>
    /// <exception cref="NotSupportedException">A user value type (struct), pointer or by-ref type.</exception>
    public static ValueKind Of(Type type)
    {
        if (type == typeof(void)) return ValueKind.Void;
        if (type.IsEnum) type = Enum.GetUnderlyingType(type);
        if (type == typeof(double) || type == typeof(float)) return ValueKind.Float;
        if (type.IsPrimitive) return ValueKind.Int; // bool, char, (s)byte, (u)short, (u)int, (u)long, nint, nuint
        if (!type.IsValueType && !type.IsPointer && !type.IsByRef) return ValueKind.Ref;
        throw new NotSupportedException($"Type {type} cannot be held in a JitCode register (structs, pointers and by-refs are not RC#).");
    }

    /// <summary>The one-letter name RPython uses: i, f, r, v.</summary>
    public static char Letter(this ValueKind kind) => kind switch
    {
        ValueKind.Int => 'i',
        ValueKind.Float => 'f',
        ValueKind.Ref => 'r',
        _ => 'v',
    };
}
