using System.Collections.Concurrent;
using System.Reflection;

namespace MetaJit.Engine.Descriptors;

/// <summary>
/// The interned descriptors of the process: one descriptor per field, array type, class and method, so
/// descriptors compare by reference in JitCodes, traces and the optimizer.
/// </summary>
public static class Descrs
{
    private static readonly ConcurrentDictionary<FieldInfo, FieldDescr> Fields = new();
    private static readonly ConcurrentDictionary<Type, ArrayDescr> Arrays = new();
    private static readonly ConcurrentDictionary<Type, TypeDescr> Types = new();
    private static readonly ConcurrentDictionary<MethodBase, CallDescr> Calls = new();
    private static readonly ConcurrentDictionary<ConstructorInfo, CallDescr> ConstructorsOnInstance = new();

    /// <summary>The descriptor of a field.</summary>
    public static FieldDescr Field(FieldInfo field) => Fields.GetOrAdd(field, f => new FieldDescr(f));

    /// <summary>The descriptor of arrays of <paramref name="elementType"/>.</summary>
    public static ArrayDescr Array(Type elementType) => Arrays.GetOrAdd(elementType, t => new ArrayDescr(t));

    /// <summary>The descriptor of a class.</summary>
    public static TypeDescr Type(Type type) => Types.GetOrAdd(type, t => new TypeDescr(t));

    /// <summary>The descriptor of a method or constructor.</summary>
    public static CallDescr Call(MethodBase method) => Calls.GetOrAdd(method, m => new CallDescr(m));

    /// <summary>The descriptor of running constructor <paramref name="ctor"/> on an existing object (see
    /// <see cref="CallDescr.IsConstructorOnInstance"/>).</summary>
    public static CallDescr ConstructorOnInstance(ConstructorInfo ctor) =>
        ConstructorsOnInstance.GetOrAdd(ctor, c => new CallDescr(c, constructorOnInstance: true));
}
