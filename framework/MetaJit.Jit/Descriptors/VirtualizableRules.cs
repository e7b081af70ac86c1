namespace MetaJit.Engine.Descriptors;

/// <summary>What a rule needs to know of one field named in a <c>[Virtualizable]</c> declaration.</summary>
/// <param name="IsInitOnly">Declared <c>readonly</c>.</param>
/// <param name="IsSZArray">Of a one-dimensional, zero-based array type.</param>
/// <param name="IsReference">Of a reference type (a class, an interface or an array).</param>
internal readonly record struct VirtualizableFieldFacts(bool IsInitOnly, bool IsSZArray, bool IsReference);

/// <summary>
/// The rules a <c>[Virtualizable]</c> declaration must follow, in one place for the two that apply them: the
/// engine at portal entry (<see cref="VirtualizableInfo"/>, over reflection) and the RC# checker (MJ015, over
/// Cecil, with the file and line of the class).
/// </summary>
internal static class VirtualizableRules
{
    /// <summary>
    /// The first problem with a declaration listing <paramref name="specs"/> (and naming
    /// <paramref name="privateWhileNull"/>, if not null) on a type (a value type when
    /// <paramref name="isValueType"/>), or null. <paramref name="field"/> finds an instance field by name
    /// (null: there is none).
    /// </summary>
    public static string? Problem(string typeName, bool isValueType, IReadOnlyList<string> specs, string? privateWhileNull,
        Func<string, VirtualizableFieldFacts?> field)
    {
        if (isValueType) return "a virtualizable must be a class";
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var spec in specs)
        {
            bool isArray = spec.EndsWith("[*]", StringComparison.Ordinal);
            var name = isArray ? spec[..^3] : spec;
            if (field(name) is not { } facts) return $"'{spec}' names no instance field of {typeName}";
            if (!seen.Add(name)) return $"'{spec}' is listed twice";
            if (isArray)
            {
                if (!facts.IsSZArray) return $"'{spec}' is marked [*] but {name} is not a one-dimensional array";
                if (!facts.IsInitOnly) return $"the array field {name} must be readonly (its length is fixed per object)";
            }
            else if (facts.IsInitOnly)
            {
                return $"'{spec}' is readonly: only fields that change need be virtualizable";
            }
        }
        if (specs.Count == 0) return "the attribute lists no fields";
        if (privateWhileNull == null) return null;
        if (field(privateWhileNull) is not { } privacy) return $"PrivateWhileNull names '{privateWhileNull}', no instance field of {typeName}";
        if (seen.Contains(privateWhileNull)) return $"PrivateWhileNull names '{privateWhileNull}', a virtualized field; it must be one the object itself holds";
        return privacy.IsReference ? null : $"PrivateWhileNull names '{privateWhileNull}', which is not of a reference type (it is tested against null)";
    }
}
