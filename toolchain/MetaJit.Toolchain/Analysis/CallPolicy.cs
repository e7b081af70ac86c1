using System.Reflection;
using MetaJit.Engine.Descriptors;

namespace MetaJit.Toolchain.Analysis;

/// <summary>
/// Decides, for each method the interpreter may call, whether the JIT looks inside it (it gets a JitCode and
/// must be RC#) or calls it residually (an opaque native call). The rule, as in RPython: look inside the
/// interpreter's own assemblies — the portal's assembly and any other assembly that references MetaJit.Hints
/// and is not the framework — unless the method is <c>[DontLookInside]</c>; everything else is residual.
/// </summary>
public sealed class CallPolicy
{
    private static readonly HashSet<string> Framework = new() { "MetaJit.Hints", "MetaJit.Jit", "MetaJit.Toolchain" };
    private readonly Dictionary<Assembly, bool> _interpreterAssemblies = new();
    private readonly Dictionary<MethodBase, (bool, string)> _decisions = new();

    /// <summary>A policy for the interpreter whose portal lives in <paramref name="portalAssembly"/>.</summary>
    public CallPolicy(Assembly portalAssembly)
    {
        PortalAssembly = portalAssembly;
        _interpreterAssemblies[portalAssembly] = true;
    }

    /// <summary>The assembly holding the portal(s).</summary>
    public Assembly PortalAssembly { get; }

    /// <summary>True for the interpreter's own assemblies.</summary>
    public bool IsInterpreterAssembly(Assembly assembly)
    {
        if (_interpreterAssemblies.TryGetValue(assembly, out bool yes)) return yes;
        var name = assembly.GetName().Name ?? "";
        yes = !Framework.Contains(name) && !assembly.IsDynamic
              && assembly.GetReferencedAssemblies().Any(r => r.Name == "MetaJit.Hints");
        return _interpreterAssemblies[assembly] = yes;
    }

    /// <summary>Whether the JIT looks inside <paramref name="method"/>, and why.</summary>
    public (bool LookInside, string Reason) Decide(MethodBase method)
    {
        if (_decisions.TryGetValue(method, out var d)) return d;
        return _decisions[method] = DecideUncached(method);
    }

    /// <summary>Shorthand for <c>Decide(method).LookInside</c>.</summary>
    public bool LooksInside(MethodBase method) => Decide(method).LookInside;

    private (bool, string) DecideUncached(MethodBase method)
    {
        var type = method.DeclaringType;
        if (type == null) return (false, "a module-level method");
        if (!IsInterpreterAssembly(type.Assembly)) return (false, $"outside the interpreter's assemblies ({type.Assembly.GetName().Name})");
        if (method.IsDefined(typeof(DontLookInsideAttribute), false)) return (false, "[DontLookInside]");
        if (method.IsAbstract) return (false, "abstract (calls dispatch to overrides)");
        if (typeof(Delegate).IsAssignableFrom(type)) return (false, "a delegate");
        if ((method.MethodImplementationFlags & (MethodImplAttributes.InternalCall | MethodImplAttributes.Runtime)) != 0
            || method.GetMethodBody() == null)
            return (false, "no IL body");
        if (method.IsDefined(typeof(LookInsideAttribute), false)) return (true, "[LookInside]");
        return (true, "interpreter code");
    }

    /// <summary>What a residual call to <paramref name="method"/> may do (effect info for the optimizer).</summary>
    public static EffectInfo EffectOf(MethodBase method)
    {
        if (method.IsDefined(typeof(ElidableAttribute), false))
            return new EffectInfo { IsElidable = true, WritesAnything = false, CanInvalidate = false };
        if (method.IsDefined(typeof(LoopInvariantAttribute), false))
            return new EffectInfo { IsLoopInvariant = true, WritesAnything = false, CanInvalidate = false };
        return KnownEffects.Of(method) ?? EffectInfo.Anything;
    }
}
