using System.Collections.Concurrent;
using System.Reflection;
using MetaJit.Engine.JitCodes;

namespace MetaJit.Engine.Descriptors;

/// <summary>
/// A method as a call target: its argument and result kinds, its effect info, the JitCode the JIT may look
/// inside (null for residual calls), and an invoker that calls it natively from register values.
/// For a virtual or interface method, <see cref="Resolve"/> finds the override a receiver type runs.
/// </summary>
public sealed class CallDescr : Descr
{
    private Invoker? _invoker;
    private Invoker? _virtualInvoker;
    private readonly ConcurrentDictionary<Type, CallDescr> _overrides = new();

    internal CallDescr(MethodBase method, bool constructorOnInstance = false)
    {
        Method = method;
        IsConstructorOnInstance = constructorOnInstance && method is ConstructorInfo;
        var kinds = new List<ValueKind>();
        if (!method.IsStatic && (method is not ConstructorInfo || IsConstructorOnInstance))
            kinds.Add(method.DeclaringType!.IsValueType ? ValueKinds.Of(method.DeclaringType) : ValueKind.Ref);
        foreach (var p in method.GetParameters()) kinds.Add(ValueKinds.Of(p.ParameterType));
        ArgKinds = kinds.ToArray();
        ResultKind = method is ConstructorInfo ? (IsConstructorOnInstance ? ValueKind.Void : ValueKind.Ref) : ValueKinds.Of(((MethodInfo)method).ReturnType);
        IsVirtual = method.IsVirtual && !method.IsFinal && !(method.DeclaringType?.IsSealed ?? false);
        Name = $"{TypeDescr.Pretty(method.DeclaringType!)}.{method.Name}";
        Effect = EffectInfo.Anything;
    }

    /// <summary>The method (a constructor means <c>newobj</c>: allocate and construct, returning the object,
    /// unless <see cref="IsConstructorOnInstance"/>).</summary>
    public MethodBase Method { get; }

    /// <summary>A constructor run on an object that already exists (receiver first, no result): the IL
    /// <c>call .ctor</c> of a base constructor, or of a looked-inside class after <c>new</c>.</summary>
    public bool IsConstructorOnInstance { get; }

    /// <summary>Kinds of the arguments, receiver first for instance methods.</summary>
    public ValueKind[] ArgKinds { get; }

    /// <summary>Kind of the result (<see cref="ValueKind.Ref"/> for constructors).</summary>
    public ValueKind ResultKind { get; }

    /// <summary>True for an overridable method (a call may dispatch on the receiver's class).</summary>
    public bool IsVirtual { get; }

    /// <summary>What the call may do, for the optimizer.</summary>
    public EffectInfo Effect { get; internal set; }

    /// <summary>The JitCode of the method when the JIT looks inside it; null for residual calls.</summary>
    public JitCode? JitCode { get; internal set; }

    /// <inheritdoc/>
    public override string Name { get; }

    /// <summary>The override that a receiver of <paramref name="receiverType"/> runs (this descriptor if not virtual).</summary>
    public CallDescr Resolve(Type receiverType)
    {
        if (!IsVirtual || Method is not MethodInfo mi) return this;
        return _overrides.GetOrAdd(receiverType, t => Descrs.Call(FindOverride(mi, t)));
    }

    private static MethodInfo FindOverride(MethodInfo method, Type receiverType)
    {
        var declaring = method.DeclaringType!;
        if (declaring.IsInterface)
        {
            var map = receiverType.GetInterfaceMap(declaring);
            int i = Array.IndexOf(map.InterfaceMethods, method);
            if (i >= 0) return map.TargetMethods[i];
            throw new MissingMethodException($"{receiverType} does not implement {method}");
        }
        var baseDef = method.GetBaseDefinition();
        const BindingFlags flags = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;
        for (var t = receiverType; t != null; t = t.BaseType)
            foreach (var candidate in t.GetMethods(flags))
                if (candidate.IsVirtual && candidate.GetBaseDefinition() == baseDef
                    && candidate.Name == method.Name && SameParameters(candidate, method))
                    return candidate;
        return method;
    }

    private static bool SameParameters(MethodInfo a, MethodInfo b)
    {
        var pa = a.GetParameters();
        var pb = b.GetParameters();
        return pa.Length == pb.Length && pa.Select(p => p.ParameterType).SequenceEqual(pb.Select(p => p.ParameterType));
    }

    /// <summary>
    /// Calls the method natively (non-virtually: the exact method). Arguments are read per kind in order from
    /// <paramref name="ints"/>, <paramref name="floats"/> and <paramref name="refs"/>; the result, if any,
    /// is written to index 0 of the array of its kind after the call returns.
    /// </summary>
    public void Invoke(long[] ints, double[] floats, object?[] refs) => (_invoker ??= Invokers.Build(this, virtualCall: false))(ints, floats, refs);

    /// <summary>
    /// As <see cref="Invoke"/> with boxed values: <paramref name="args"/> in the method's order (a long, a double or
    /// an object per <see cref="ArgKinds"/>); returns the result boxed the same way (null for a void method).
    /// For the slow paths that hold values boxed: the trace interpreter, folding at optimization time, resume.
    /// </summary>
    public object? InvokeBoxed(IReadOnlyList<object?> args)
    {
        var ints = new long[Math.Max(1, ArgKinds.Count(k => k == ValueKind.Int))];
        var floats = new double[Math.Max(1, ArgKinds.Count(k => k == ValueKind.Float))];
        var refs = new object?[Math.Max(1, ArgKinds.Count(k => k == ValueKind.Ref))];
        int ni = 0, nf = 0, nr = 0;
        for (int k = 0; k < args.Count; k++)
        {
            switch (ArgKinds[k])
            {
                case ValueKind.Int: ints[ni++] = Convert.ToInt64(args[k], System.Globalization.CultureInfo.InvariantCulture); break;
                case ValueKind.Float: floats[nf++] = Convert.ToDouble(args[k], System.Globalization.CultureInfo.InvariantCulture); break;
                default: refs[nr++] = args[k]; break;
            }
        }
        Invoke(ints, floats, refs);
        return ResultKind switch { ValueKind.Int => ints[0], ValueKind.Float => floats[0], ValueKind.Ref => refs[0], _ => null };
    }

    /// <summary>As <see cref="Invoke"/>, but dispatching on the receiver (IL <c>callvirt</c>).</summary>
    public void InvokeVirtual(long[] ints, double[] floats, object?[] refs) => (_virtualInvoker ??= Invokers.Build(this, virtualCall: true))(ints, floats, refs);
}

/// <summary>A compiled native call from register values; see <see cref="CallDescr.Invoke"/>.</summary>
public delegate void Invoker(long[] ints, double[] floats, object?[] refs);
