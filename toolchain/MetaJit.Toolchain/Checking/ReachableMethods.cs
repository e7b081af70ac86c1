using Mono.Cecil;
using Mono.Cecil.Cil;

namespace MetaJit.Toolchain.Checking;

/// <summary>
/// The checker's own call graph: from each portal, every method reachable through <c>call</c>,
/// <c>callvirt</c> and <c>newobj</c> that lives in the interpreter's module and is not [DontLookInside].
/// A virtual or interface call reaches every override and implementation in the module.
/// </summary>
/// <remarks>
/// Conservative on purpose: an override counts when its name and parameter count match a virtual method
/// of a base class or interface (or it names the method in an explicit <c>.override</c>). The walk does not
/// follow <c>ldftn</c> (a delegate in looked-inside code is already an error at its creation) nor calls to
/// iterator/async methods and capturing local functions (errors at the call).
/// </remarks>
public sealed class ReachableMethods : IMethodSet
{
    private readonly InterpreterAssembly _assembly;
    private readonly List<MethodDefinition> _methods = new();
    private readonly HashSet<MethodDefinition> _seen = new();
    private readonly Dictionary<MethodDefinition, MethodDefinition?> _reachedFrom = new();
    private Dictionary<string, List<MethodDefinition>>? _virtualsByName;

    /// <summary>Finds the portals of <paramref name="assembly"/> and walks the calls from them.</summary>
    public ReachableMethods(InterpreterAssembly assembly)
    {
        _assembly = assembly;
        Portals = PortalFinder.Find(assembly.Module);
        var work = new Queue<MethodDefinition>();
        foreach (var p in Portals) Visit(p, null, work);
        while (work.Count > 0)
        {
            var method = work.Dequeue();
            foreach (var ins in method.Body.Instructions)
            {
                if (ins.OpCode.Code is not (Code.Call or Code.Callvirt or Code.Newobj) || ins.Operand is not MethodReference target) continue;
                if (CallRules.StopsTheWalk(target)) continue;
                var resolved = TypeFacts.TryResolve(target);
                if (resolved == null) continue;
                if (_assembly.Owns(resolved)) Visit(resolved, method, work);
                bool dispatched = ins.OpCode.Code == Code.Callvirt || ins.Previous?.OpCode.Code == Code.Constrained;
                if (dispatched && (resolved.IsVirtual || resolved.IsAbstract))
                {
                    foreach (var o in OverridesOf(resolved)) Visit(o, method, work);
                }
            }
        }
    }

    /// <inheritdoc/>
    public IReadOnlyList<MethodDefinition> Portals { get; }

    /// <inheritdoc/>
    public IReadOnlyList<MethodDefinition> Methods => _methods;

    /// <summary>The method whose call first reached <paramref name="method"/>; null for a portal.</summary>
    public MethodDefinition? ReachedFrom(MethodDefinition method) => _reachedFrom.GetValueOrDefault(method);

    private void Visit(MethodDefinition method, MethodDefinition? from, Queue<MethodDefinition> work)
    {
        // Methods of closure and state-machine classes are reached only through a delegate or an iterator,
        // which is already an error where it is created.
        if (!method.HasBody || TypeFacts.IsDontLookInside(method) || TypeFacts.IsCompilerGenerated(method.DeclaringType)) return;
        if (!_seen.Add(method)) return;
        _reachedFrom[method] = from;
        _methods.Add(method);
        work.Enqueue(method);
    }

    private IEnumerable<MethodDefinition> OverridesOf(MethodDefinition baseMethod)
    {
        _virtualsByName ??= IndexVirtuals();
        if (!_virtualsByName.TryGetValue(baseMethod.Name, out var candidates)) candidates = new List<MethodDefinition>();
        foreach (var m in candidates)
        {
            if (m != baseMethod && m.Parameters.Count == baseMethod.Parameters.Count && DerivesFrom(m.DeclaringType, baseMethod.DeclaringType))
                yield return m;
        }
        foreach (var type in _assembly.Module.GetTypes())
        {
            foreach (var m in type.Methods)
            {
                if (m.HasOverrides && m.Overrides.Any(o => TypeFacts.TryResolve(o) == baseMethod)) yield return m;
            }
        }
    }

    private Dictionary<string, List<MethodDefinition>> IndexVirtuals()
    {
        var index = new Dictionary<string, List<MethodDefinition>>();
        foreach (var type in _assembly.Module.GetTypes())
        {
            foreach (var m in type.Methods)
            {
                if (!m.IsVirtual) continue;
                if (!index.TryGetValue(m.Name, out var list)) index[m.Name] = list = new List<MethodDefinition>();
                list.Add(m);
            }
        }
        return index;
    }

    /// <summary>True when <paramref name="type"/> is, extends or implements <paramref name="baseType"/>.</summary>
    private static bool DerivesFrom(TypeDefinition type, TypeDefinition baseType)
    {
        var seen = new HashSet<TypeDefinition>();
        var pending = new Stack<TypeDefinition>();
        pending.Push(type);
        while (pending.Count > 0)
        {
            var t = pending.Pop();
            if (!seen.Add(t)) continue;
            if (t == baseType) return true;
            if (t.BaseType != null && TypeFacts.TryResolve(t.BaseType) is { } b) pending.Push(b);
            foreach (var i in t.Interfaces)
                if (TypeFacts.TryResolve(i.InterfaceType) is { } d) pending.Push(d);
        }
        return false;
    }
}
