using System.Runtime.CompilerServices;

namespace MetaJit.Engine.Descriptors;

/// <summary>
/// A class: what <c>new_with_vtable</c> allocates, what <c>guard_class</c> checks, what casts and type tests
/// test against (RPython's SizeDescr and vtable in one).
/// </summary>
public sealed class TypeDescr : Descr
{
    internal TypeDescr(Type type)
    {
        Type = type;
        Name = Pretty(type);
    }

    /// <summary>The type.</summary>
    public Type Type { get; }

    /// <inheritdoc/>
    public override string Name { get; }

    /// <summary>A new instance with all fields zero, its constructor not run (the JitCode calls it next).</summary>
    public object Allocate() => RuntimeHelpers.GetUninitializedObject(Type);

    /// <summary>True when <paramref name="obj"/> is non-null and an instance of the type (IL <c>isinst</c>).</summary>
    public bool IsInstance(object? obj) => obj != null && Type.IsInstanceOfType(obj);

    internal static string Pretty(Type t)
    {
        if (!t.IsGenericType) return t.IsNested ? t.DeclaringType!.Name + "." + t.Name : t.Name;
        var name = t.Name;
        int tick = name.IndexOf('`');
        if (tick >= 0) name = name[..tick];
        return name + "<" + string.Join(",", t.GetGenericArguments().Select(Pretty)) + ">";
    }
}
