using Mono.Cecil;

namespace MetaJit.Toolchain.Checking;

/// <summary>Questions the rules ask about types and members, answered the same way everywhere.</summary>
internal static class TypeFacts
{
    /// <summary>Resolves without throwing; null when the defining assembly cannot be found.</summary>
    public static TypeDefinition? TryResolve(TypeReference type)
    {
        try { return type.Resolve(); }
        catch (AssemblyResolutionException) { return null; }
    }

    /// <summary>Resolves without throwing; null when the defining assembly cannot be found.</summary>
    public static MethodDefinition? TryResolve(MethodReference method)
    {
        try { return method.Resolve(); }
        catch (AssemblyResolutionException) { return null; }
    }

    /// <summary>The namespace of a type, or of its outermost declaring type when nested.</summary>
    public static string NamespaceOf(TypeReference type)
    {
        while (type.DeclaringType != null) type = type.DeclaringType;
        return type.Namespace;
    }

    /// <summary>True for <paramref name="ns"/> itself and its sub-namespaces.</summary>
    public static bool IsIn(TypeReference type, string ns)
    {
        string actual = NamespaceOf(type.GetElementType());
        return actual == ns || actual.StartsWith(ns + ".", StringComparison.Ordinal);
    }

    /// <summary>The C# primitive value types RC# allows (no nint/nuint, no decimal).</summary>
    public static bool IsPrimitive(TypeReference type) => type.MetadataType switch
    {
        MetadataType.Boolean or MetadataType.Char or MetadataType.SByte or MetadataType.Byte
            or MetadataType.Int16 or MetadataType.UInt16 or MetadataType.Int32 or MetadataType.UInt32
            or MetadataType.Int64 or MetadataType.UInt64 or MetadataType.Single or MetadataType.Double => true,
        _ => false,
    };

    /// <summary>Compiler-generated: a name Roslyn made up (<c>&lt;&gt;c</c>, <c>&lt;Run&gt;d__3</c>) or [CompilerGenerated], or nested in one.</summary>
    public static bool IsCompilerGenerated(TypeReference type)
    {
        for (TypeReference? t = type.GetElementType(); t != null; t = t.DeclaringType)
        {
            if (t.Name.StartsWith('<')) return true;
            if (t is TypeDefinition def && HasAttribute(def, "System.Runtime.CompilerServices.CompilerGeneratedAttribute")) return true;
        }
        return false;
    }

    /// <summary>A closure class or struct (<c>&lt;&gt;c__DisplayClass</c>) or the cached-lambda class <c>&lt;&gt;c</c>.</summary>
    public static bool IsClosureType(TypeReference type)
    {
        string name = type.GetElementType().Name;
        return name.StartsWith("<>c__DisplayClass", StringComparison.Ordinal) || name == "<>c";
    }

    /// <summary>A delegate type (derives from System.MulticastDelegate).</summary>
    public static bool IsDelegate(TypeReference type) =>
        TryResolve(type)?.BaseType?.FullName == "System.MulticastDelegate";

    /// <summary>True when <paramref name="provider"/> carries an attribute with this full name.</summary>
    public static bool HasAttribute(ICustomAttributeProvider provider, string fullName)
    {
        if (!provider.HasCustomAttributes) return false;
        foreach (var a in provider.CustomAttributes)
            if (a.AttributeType.FullName == fullName) return true;
        return false;
    }

    /// <summary>[DontLookInside]: the JIT never traces into the method, so it need not be RC#.</summary>
    public static bool IsDontLookInside(MethodDefinition method) => HasAttribute(method, "MetaJit.DontLookInsideAttribute");

    /// <summary>
    /// The first value type inside <paramref name="type"/> (itself, an element, a generic argument) that RC#
    /// forbids: anything but primitives and enums. Closure structs are left to the delegate rule and
    /// pointers to the pointer rule.
    /// </summary>
    public static TypeReference? FindStruct(TypeReference? type)
    {
        switch (type)
        {
            case null:
            case GenericParameter:
            case PointerType:
            case FunctionPointerType:
                return null;
            case ByReferenceType r:
                return FindStruct(r.ElementType);
            case PinnedType p:
                return FindStruct(p.ElementType);
            case IModifierType m:
                return FindStruct(m.ElementType);
            case ArrayType a:
                return FindStruct(a.ElementType);
            case GenericInstanceType g:
                if (IsForbiddenValueType(g.ElementType)) return g;
                foreach (var arg in g.GenericArguments)
                    if (FindStruct(arg) is { } found) return found;
                return null;
            default:
                return IsForbiddenValueType(type) ? type : null;
        }
    }

    private static bool IsForbiddenValueType(TypeReference type)
    {
        if (IsPrimitive(type)) return false;
        if (type.MetadataType is MetadataType.Void or MetadataType.String or MetadataType.Object) return false;
        if (IsClosureType(type)) return false;
        var def = TryResolve(type);
        if (def == null) return type.IsValueType;
        return def.IsValueType && !def.IsEnum;
    }

    /// <summary>The first pointer type inside <paramref name="type"/> (function pointers are MJ014's).</summary>
    public static TypeReference? FindPointer(TypeReference? type) => type switch
    {
        null => null,
        PointerType => type,
        ByReferenceType r => FindPointer(r.ElementType),
        PinnedType p => FindPointer(p.ElementType),
        IModifierType m => FindPointer(m.ElementType),
        ArrayType a => FindPointer(a.ElementType),
        GenericInstanceType g => g.GenericArguments.Select(FindPointer).FirstOrDefault(t => t != null),
        _ => null,
    };

    /// <summary>The first multi-dimensional array type inside <paramref name="type"/>.</summary>
    public static ArrayType? FindMultiDimensionalArray(TypeReference? type) => type switch
    {
        null => null,
        ArrayType { IsVector: false } a => a,
        ArrayType a => FindMultiDimensionalArray(a.ElementType),
        ByReferenceType r => FindMultiDimensionalArray(r.ElementType),
        IModifierType m => FindMultiDimensionalArray(m.ElementType),
        GenericInstanceType g => g.GenericArguments.Select(FindMultiDimensionalArray).FirstOrDefault(t => t != null),
        _ => null,
    };

    /// <summary>A short C#-like name for messages: <c>List&lt;int&gt;.Enumerator</c>, <c>ValueTuple&lt;int, string&gt;</c>.</summary>
    public static string Display(TypeReference type)
    {
        switch (type)
        {
            case GenericInstanceType { ElementType.DeclaringType: { } outer } g when !g.ElementType.Name.Contains('`'):
                // List<int>.Enumerator: the arguments belong to the declaring type.
                return DisplayOuter(outer) + "<" + string.Join(", ", g.GenericArguments.Select(Display)) + ">." + g.ElementType.Name;
            case GenericInstanceType g:
                return DisplayOuter(g.ElementType) + "<" + string.Join(", ", g.GenericArguments.Select(Display)) + ">";
            case ArrayType a:
                return Display(a.ElementType) + "[" + new string(',', a.Rank - 1) + "]";
            case ByReferenceType r:
                return "ref " + Display(r.ElementType);
            case PointerType p:
                return Display(p.ElementType) + "*";
        }
        return type.MetadataType switch
        {
            MetadataType.Boolean => "bool", MetadataType.Char => "char", MetadataType.SByte => "sbyte",
            MetadataType.Byte => "byte", MetadataType.Int16 => "short", MetadataType.UInt16 => "ushort",
            MetadataType.Int32 => "int", MetadataType.UInt32 => "uint", MetadataType.Int64 => "long",
            MetadataType.UInt64 => "ulong", MetadataType.Single => "float", MetadataType.Double => "double",
            MetadataType.String => "string", MetadataType.Object => "object", MetadataType.Void => "void",
            _ => DisplayOuter(type),
        };
    }

    private static string DisplayOuter(TypeReference type) =>
        (type.DeclaringType != null ? DisplayOuter(type.DeclaringType) + "." : "") + StripArity(type.Name);

    private static string StripArity(string name)
    {
        int tick = name.IndexOf('`');
        return tick < 0 ? name : name[..tick];
    }

    /// <summary>A short name for a method in messages: <c>Type.Method</c>.</summary>
    public static string Display(MethodReference method) => method.Name switch
    {
        ".ctor" => Display(method.DeclaringType) + " constructor",
        ".cctor" => Display(method.DeclaringType) + " static constructor",
        _ => Display(method.DeclaringType) + "." + method.Name,
    };
}
