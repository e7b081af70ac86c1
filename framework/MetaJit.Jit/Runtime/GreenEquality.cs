using System.Runtime.CompilerServices;

namespace MetaJit.Engine.Runtime;

/// <summary>
/// Green values against a cell's key, as <see cref="JitCellTable"/> matches them (references by identity, floats
/// by their bits, integers by value), straight from the hook's typed arguments. The hooks keep a small cache of
/// recent cells (<see cref="RecentSlot{T}"/> picks the entry from the first green) and use it to recognise a
/// key without filling and probing the table: a loop running in the interpreter asks for its key at each
/// backward jump, and nested loops alternate between a few keys. The type tests fold away per instantiation.
/// </summary>
internal static class GreenEquality
{
    /// <summary>Entries of a hook's recent-cell cache (a power of two).</summary>
    public const int RecentSize = 1024;

    /// <summary>True when green <paramref name="i"/> of <paramref name="cell"/>'s key is <paramref name="value"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Is<T>(T value, JitCell cell, int i)
    {
        if (!typeof(T).IsValueType) return ReferenceEquals(cell.GreenRefs[i], value);
        if (typeof(T) == typeof(int)) return cell.GreenInts[i] == Unsafe.As<T, int>(ref value);
        if (typeof(T) == typeof(long)) return cell.GreenInts[i] == Unsafe.As<T, long>(ref value);
        if (typeof(T) == typeof(double)) return BitConverter.DoubleToInt64Bits(cell.GreenFloats[i]) == BitConverter.DoubleToInt64Bits(Unsafe.As<T, double>(ref value));
        // Other register types (bool, enums, small integers, float) convert to the register value the key holds.
        return RegConv<T>.Kind switch
        {
            Descriptors.ValueKind.Int => cell.GreenInts[i] == RegConv<T>.ToInt(value),
            Descriptors.ValueKind.Float => BitConverter.DoubleToInt64Bits(cell.GreenFloats[i]) == BitConverter.DoubleToInt64Bits(RegConv<T>.ToFloat(value)),
            _ => ReferenceEquals(cell.GreenRefs[i], RegConv<T>.ToRef(value)),
        };
    }

    /// <summary>The recent-cache entry for a key whose first green is <paramref name="value"/>: integers (the
    /// usual pc) spread by value; other kinds share entry 0, which then holds the key seen last.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int RecentSlot<T>(T value)
    {
        if (typeof(T) == typeof(int)) return Unsafe.As<T, int>(ref value) & (RecentSize - 1);
        if (typeof(T) == typeof(long)) return (int)Unsafe.As<T, long>(ref value) & (RecentSize - 1);
        return 0;
    }
}
