using Mono.Cecil;

namespace MetaJit.Toolchain.Checking;

/// <summary>
/// Replaces generic parameters in a member's signature with the arguments at its use: the return type of
/// <c>List&lt;Point&gt;.get_Item</c> is <c>Point</c>, not <c>!0</c>.
/// </summary>
internal static class Generics
{
    public static TypeReference Substitute(TypeReference type, MethodReference use) =>
        Substitute(type, use.DeclaringType as GenericInstanceType, use as GenericInstanceMethod);

    public static TypeReference Substitute(TypeReference type, GenericInstanceType? owner, GenericInstanceMethod? method)
    {
        switch (type)
        {
            case GenericParameter { Type: GenericParameterType.Type } p when owner != null && p.Position < owner.GenericArguments.Count:
                return owner.GenericArguments[p.Position];
            case GenericParameter { Type: GenericParameterType.Method } p when method != null && p.Position < method.GenericArguments.Count:
                return method.GenericArguments[p.Position];
            case ArrayType a:
                return new ArrayType(Substitute(a.ElementType, owner, method), a.Rank);
            case ByReferenceType r:
                return new ByReferenceType(Substitute(r.ElementType, owner, method));
            case GenericInstanceType g:
                var result = new GenericInstanceType(g.ElementType);
                foreach (var arg in g.GenericArguments) result.GenericArguments.Add(Substitute(arg, owner, method));
                return result;
            default:
                return type;
        }
    }
}
