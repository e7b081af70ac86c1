using MetaJit.Engine.Descriptors;
using Mono.Cecil;

namespace MetaJit.Toolchain.Checking.Rules;

/// <summary>
/// MJ015: a <c>[Virtualizable]</c> declaration the engine could not use. The rules are the engine's own
/// (<see cref="VirtualizableRules"/>), applied here over Cecil so the error has the class's file and line
/// (the first line of code in the class) instead of surfacing when a portal is first entered.
/// Applies to the classes looked-inside code uses (a portal's frame class among them) that carry the attribute.
/// </summary>
internal static class VirtualizableRule
{
    private const string AttributeName = "MetaJit.VirtualizableAttribute";

    private const string Fix = "list instance fields that change, and arrays as readonly one-dimensional fields marked [*]; PrivateWhileNull names a reference field not listed (docs/hints.md)";

    /// <summary>Checks the classes in <paramref name="used"/> (each with a looked-inside method that uses it).</summary>
    public static void Check(IReadOnlyDictionary<TypeDefinition, MethodDefinition> used, List<RcsError> errors)
    {
        foreach (var (type, user) in used.OrderBy(u => u.Key.FullName, StringComparer.Ordinal))
        {
            var attr = type.CustomAttributes.FirstOrDefault(a => a.AttributeType.FullName == AttributeName);
            if (attr == null) continue;
            var specs = Specs(attr);
            var privacy = attr.Properties.FirstOrDefault(p => p.Name == "PrivateWhileNull").Argument.Value as string;
            var problem = VirtualizableRules.Problem(type.Name, type.IsValueType, specs, privacy, name =>
                FieldOf(type, name) is { } f ? new VirtualizableFieldFacts(f.IsInitOnly, f.FieldType is ArrayType { IsVector: true }, IsReference(f.FieldType)) : null);
            if (problem == null) continue;
            var (file, line) = Locate(type);
            errors.Add(new RcsError(file, line, RuleCodes.Virtualizable,
                $"[Virtualizable] on {TypeFacts.Display(type)} ({problem}) in looked-inside method {TypeFacts.Display(user)}: {Fix}", type.FullName));
        }
    }

    // The constructor argument is `params string[]`: Cecil gives an array of CustomAttributeArguments.
    private static List<string> Specs(CustomAttribute attr)
    {
        var specs = new List<string>();
        if (attr.ConstructorArguments.Count == 0) return specs;
        if (attr.ConstructorArguments[0].Value is CustomAttributeArgument[] items)
            foreach (var item in items)
                if (item.Value is string s) specs.Add(s);
        return specs;
    }

    // As reflection's GetField(name, Instance | Public | NonPublic): the type's own instance fields, then the
    // non-private instance fields of its bases.
    private static FieldDefinition? FieldOf(TypeDefinition type, string name)
    {
        var own = type.Fields.FirstOrDefault(f => !f.IsStatic && f.Name == name);
        if (own != null) return own;
        for (var b = type.BaseType?.Resolve(); b != null; b = b.BaseType?.Resolve())
        {
            var inherited = b.Fields.FirstOrDefault(f => !f.IsStatic && !f.IsPrivate && f.Name == name);
            if (inherited != null) return inherited;
        }
        return null;
    }

    // Cecil knows a type reference is a value type only once resolved (a struct from another assembly).
    private static bool IsReference(TypeReference type) =>
        type is ArrayType || !(type.IsValueType || type.IsPrimitive || type.IsGenericParameter || type.Resolve()?.IsValueType == true);

    private static (string File, int Line) Locate(TypeDefinition type)
    {
        (string File, int Line)? best = null;
        foreach (var method in type.Methods)
        {
            if (!method.DebugInformation.HasSequencePoints) continue;
            foreach (var p in method.DebugInformation.SequencePoints)
                if (!p.IsHidden && (best == null || p.StartLine < best.Value.Line))
                    best = (p.Document.Url, p.StartLine);
        }
        return best ?? ($"{type.Module.FileName ?? type.Module.Name}({type.FullName})", 0);
    }
}
