using System.Reflection;
using MetaJit.Engine.Descriptors;

namespace MetaJit.Toolchain.Analysis;

/// <summary>
/// The BCL members whose effects the JIT knows without looking inside: pure string accessors and
/// comparisons, <c>Math</c>, <c>char</c> classification. Everything not listed is an opaque call.
/// </summary>
internal static class KnownEffects
{
    private static readonly EffectInfo ElidableCanRaise = new() { IsElidable = true, WritesAnything = false, CanInvalidate = false, ReadsHeap = false };
    private static readonly EffectInfo WritesNothing = new() { WritesAnything = false, CanInvalidate = false, ReadsHeap = false };

    // The woven notification after a quasi-immutable write: touches no field the optimizer caches, cannot raise,
    // but invalidates compiled code (so the next quasi-immutable read must check again).
    private static readonly EffectInfo Invalidates = new() { WritesAnything = false, CanRaise = false, CanInvalidate = true };

    public static EffectInfo? Of(MethodBase method)
    {
        var t = method.DeclaringType;
        if (t == typeof(QuasiImmutable) && method.Name == nameof(QuasiImmutable.Changed)) return Invalidates;
        if (t == typeof(Math) || t == typeof(MathF))
            return method.Name is "DivRem" ? null : EffectInfo.PureCannotRaise;
        if (t == typeof(char) && method.IsStatic && method.Name.StartsWith("Is", StringComparison.Ordinal))
            return EffectInfo.PureCannotRaise;
        if (t == typeof(string))
        {
            return method.Name switch
            {
                "get_Length" => EffectInfo.PureCannotRaise,
                "op_Equality" or "op_Inequality" or "Equals" when method.IsStatic || method.GetParameters().Length == 1
                    && method.GetParameters()[0].ParameterType == typeof(string) => EffectInfo.PureCannotRaise,
                "get_Chars" or "Substring" or "CompareOrdinal" or "IndexOf" or "StartsWith" or "EndsWith" or "Contains" => ElidableCanRaise,
                "Concat" => WritesNothing, // allocates a new string, cannot be CSE'd by identity
                _ => null,
            };
        }
        return null;
    }
}
