using MetaJit.Engine.Descriptors;

namespace MetaJit.Engine.Optimizer;

/// <summary>
/// Whether accesses through two array descriptors may touch the same memory. Descriptors come from the static
/// element type, and .NET lets one array be seen under several array types: reference arrays are covariant
/// (a <c>string[]</c> is an <c>object[]</c>, a class implementing two interfaces makes their arrays one), and
/// integral arrays of one element size convert (<c>int[]</c> and <c>uint[]</c>, enums and their underlying type).
/// The heap pass asks this before trusting a cached item or keeping a store back across an access of another descriptor.
/// </summary>
internal static class ArrayAliasing
{
    public static bool MayAlias(ArrayDescr a, ArrayDescr b)
    {
        if (a == b) return true;
        if (a.Kind != b.Kind) return false;
        return a.Kind switch
        {
            ValueKind.Ref => !(IsSealedClass(a.ElementType) && IsSealedClass(b.ElementType)) || a.ElementType == b.ElementType,
            ValueKind.Int => SizeOf(a.ElementType) == SizeOf(b.ElementType),
            _ => a.ElementType == b.ElementType, // float[] and double[] never share memory
        };
    }

    /// <summary>True when a call with <paramref name="effect"/> may write items that <paramref name="array"/> reads.</summary>
    public static bool MayWrite(EffectInfo effect, ArrayDescr array) =>
        effect.WritesAnything || effect.WrittenArrays.Any(w => MayAlias(w, array));

    // A sealed class's array can only be seen as its own type or as arrays of its bases and interfaces, which
    // are not sealed classes; two different sealed element types therefore never name one array.
    private static bool IsSealedClass(Type t) => t.IsSealed && !t.IsInterface && !t.IsArray;

    private static int SizeOf(Type t)
    {
        if (t.IsEnum) t = Enum.GetUnderlyingType(t);
        return Type.GetTypeCode(t) switch
        {
            TypeCode.Boolean or TypeCode.Byte or TypeCode.SByte => 1,
            TypeCode.Char or TypeCode.Int16 or TypeCode.UInt16 => 2,
            TypeCode.Int32 or TypeCode.UInt32 => 4,
            TypeCode.Int64 or TypeCode.UInt64 => 8,
            _ => IntPtr.Size, // nint, nuint
        };
    }
}
