namespace MetaJit.Engine.Optimizer;

/// <summary>
/// A closed range [Lo, Hi] of 64-bit integers known to contain a value (RPython's IntBound). Arithmetic on
/// bounds is done in 128 bits, so a result that may leave the 64-bit range is known to (maybe) wrap.
/// </summary>
internal readonly record struct IntBound(long Lo, long Hi)
{
    public static readonly IntBound Full = new(long.MinValue, long.MaxValue);
    public static readonly IntBound Bool = new(0, 1);
    public static readonly IntBound NonNegative = new(0, long.MaxValue);

    public static IntBound Exact(long v) => new(v, v);

    public bool IsConstant => Lo == Hi;
    public bool IsFull => Lo == long.MinValue && Hi == long.MaxValue;
    public bool IsNonNegative => Lo >= 0;
    public bool Contains(long v) => Lo <= v && v <= Hi;
    public bool Contains(IntBound o) => Lo <= o.Lo && o.Hi <= Hi;

    /// <summary>The intersection; null when empty (the code that learned it cannot run).</summary>
    public IntBound? Intersect(IntBound o)
    {
        long lo = Math.Max(Lo, o.Lo), hi = Math.Min(Hi, o.Hi);
        return lo <= hi ? new IntBound(lo, hi) : null;
    }

    /// <summary>The smallest bound containing both.</summary>
    public IntBound Union(IntBound o) => new(Math.Min(Lo, o.Lo), Math.Max(Hi, o.Hi));

    /// <summary>The range of a signed integer of <paramref name="bytes"/> bytes.</summary>
    public static IntBound OfBytes(long bytes) => bytes switch
    {
        1 => new(sbyte.MinValue, sbyte.MaxValue),
        2 => new(short.MinValue, short.MaxValue),
        4 => new(int.MinValue, int.MaxValue),
        _ => Full,
    };

    /// <summary>The range of values a .NET integral type holds in an Int register (see ValueKind).</summary>
    public static IntBound OfType(Type t)
    {
        if (t.IsEnum) t = Enum.GetUnderlyingType(t);
        return Type.GetTypeCode(t) switch
        {
            TypeCode.Boolean => Bool,
            TypeCode.Byte => new(0, byte.MaxValue),
            TypeCode.SByte => OfBytes(1),
            TypeCode.Char or TypeCode.UInt16 => new(0, ushort.MaxValue),
            TypeCode.Int16 => OfBytes(2),
            TypeCode.Int32 or TypeCode.UInt32 => OfBytes(4), // uint is kept sign-extended
            _ => Full,
        };
    }

    public override string ToString() => $"[{Lo}, {Hi}]";
}
