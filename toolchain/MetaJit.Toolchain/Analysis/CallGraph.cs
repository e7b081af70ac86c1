using System.Reflection;
using MetaJit.Engine.Descriptors;
using MetaJit.Toolchain.Loading;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace MetaJit.Toolchain.Analysis;

/// <summary>One method reachable from a portal, with the call policy's decision about it.</summary>
/// <param name="Method">The method (closed when generic: one node per instantiation used).</param>
/// <param name="LookInside">True when the JIT looks inside it (it gets a JitCode and must be RC#).</param>
/// <param name="Reason">Why, e.g. <c>interpreter code</c>, <c>[DontLookInside]</c>, <c>outside the interpreter's assemblies (System.Runtime)</c>.</param>
/// <param name="Definition">Its Cecil definition when looked inside (for the RC# checker), else null.</param>
public sealed record CallGraphNode(MethodBase Method, bool LookInside, string Reason, MethodDefinition? Definition);

/// <summary>
/// The methods reachable from the portals under the <see cref="CallPolicy"/>: every call, <c>newobj</c> and
/// <c>ldftn</c> of looked-inside code, with virtual and interface calls expanded to every override among the
/// interpreter's classes (and the generic instantiations in use). The RC# checker consumes it to know which
/// methods must be RC#; the codewriter writes a JitCode for each looked-inside node.
/// </summary>
/// <example><code>
/// var graph = CallGraph.Build(new CallPolicy(asm), loader, portalMethods);
/// foreach (var n in graph.Nodes.Where(n => n.LookInside)) Check(n.Definition!);
/// </code></example>
public sealed class CallGraph
{
    private readonly Dictionary<MethodBase, CallGraphNode> _nodes = new();
    private readonly List<MethodBase> _order = new();

    private CallGraph(CallPolicy policy) => Policy = policy;

    /// <summary>The policy the graph was built with.</summary>
    public CallPolicy Policy { get; }

    /// <summary>Every reachable method, looked inside or residual, in discovery order (portals first).</summary>
    public IEnumerable<CallGraphNode> Nodes => _order.Select(m => _nodes[m]);

    /// <summary>The looked-inside methods.</summary>
    public IEnumerable<MethodBase> LookedInside => _order.Where(m => _nodes[m].LookInside);

    /// <summary>Whether the JIT looks inside <paramref name="method"/>: the node's decision when reachable
    /// (which also rules out methods the codewriter cannot take), else the policy's.</summary>
    public bool LooksInside(MethodBase method) => _nodes.TryGetValue(method, out var n) ? n.LookInside : Policy.LooksInside(method);

    /// <summary>The node of <paramref name="method"/>, or null when it is not reachable.</summary>
    public CallGraphNode? Find(MethodBase method) => _nodes.GetValueOrDefault(method);

    /// <summary>The classes of the interpreter a virtual call may dispatch to (non-generic classes of the
    /// interpreter's assemblies, plus closed generic classes seen in reachable code).</summary>
    public IReadOnlyCollection<Type> Classes => _classes;

    private readonly HashSet<Type> _classes = new();
    private readonly HashSet<MethodBase> _virtualTargets = new();

    /// <summary>The looked-inside overrides of virtual <paramref name="method"/> among <see cref="Classes"/>.</summary>
    public IEnumerable<MethodBase> Overrides(MethodBase method)
    {
        if (method is not MethodInfo || !Descrs.Call(method).IsVirtual) yield break;
        var declaring = method.DeclaringType!;
        var descr = Descrs.Call(method);
        foreach (var cls in _classes)
        {
            if (cls.IsAbstract || cls.IsInterface || !declaring.IsAssignableFrom(cls)) continue;
            MethodBase target;
            try { target = descr.Resolve(cls).Method; }
            catch (MissingMethodException) { continue; }
            yield return target;
        }
    }

    /// <summary>Walks from <paramref name="roots"/> (the portal methods).</summary>
    public static CallGraph Build(CallPolicy policy, InterpreterLoader loader, IEnumerable<MethodBase> roots)
    {
        var g = new CallGraph(policy);
        foreach (var t in SafeTypes(policy.PortalAssembly)) g.AddClass(t);
        var work = new Stack<MethodBase>();
        foreach (var r in roots) g.Visit(r, loader, work);
        while (true)
        {
            while (work.Count > 0) g.Scan(work.Pop(), loader, work);
            // New classes may add overrides to virtual calls already seen: repeat until nothing new.
            int before = g._order.Count;
            foreach (var v in g._virtualTargets.ToList())
                foreach (var o in g.Overrides(v)) g.Visit(o, loader, work);
            if (work.Count == 0 && g._order.Count == before) break;
        }
        return g;
    }

    private static IEnumerable<Type> SafeTypes(Assembly a)
    {
        try { return a.GetTypes(); }
        catch (ReflectionTypeLoadException e) { return e.Types.Where(t => t != null)!; }
    }

    private void AddClass(Type t)
    {
        if (t.ContainsGenericParameters || !t.IsClass) return;
        if (!_classes.Add(t)) return;
        if (t.IsGenericType && Policy.IsInterpreterAssembly(t.Assembly)) { /* closed generic class in use */ }
    }

    private void Visit(MethodBase m, InterpreterLoader loader, Stack<MethodBase> work)
    {
        if (_nodes.ContainsKey(m)) return;
        var (inside, reason) = Policy.Decide(m);
        MethodDefinition? def = null;
        if (inside)
        {
            if (m.ContainsGenericParameters) { inside = false; reason = "open generic (no instantiation reached)"; }
            else
            {
                def = loader.Definition(m);
                if (StructLocal(m, def) is { } s)
                {
                    // Typically string interpolation (DefaultInterpolatedStringHandler) on an error path: the JIT
                    // keeps no struct values, so such a method is called, not looked inside.
                    inside = false;
                    reason = $"uses a local of struct type {s.Name}: called residually (not RC#)";
                    def = null;
                }
            }
        }
        _nodes[m] = new CallGraphNode(m, inside, reason, def);
        _order.Add(m);
        if (inside) work.Push(m);
    }

    private static Type? StructLocal(MethodBase m, MethodDefinition def)
    {
        foreach (var v in def.Body.Variables)
        {
            var t = v.VariableType;
            if (!t.IsValueType || t.IsPrimitive || t is GenericParameter) continue;
            var type = InterpreterLoader.MapType(m, t);
            if (!type.IsPrimitive && !type.IsEnum && type.IsValueType) return type;
        }
        return null;
    }

    private void Scan(MethodBase m, InterpreterLoader loader, Stack<MethodBase> work)
    {
        var def = _nodes[m].Definition!;
        foreach (var insn in def.Body.Instructions)
        {
            switch (insn.OpCode.Code)
            {
                case Code.Call or Code.Callvirt or Code.Newobj or Code.Ldftn:
                {
                    var target = InterpreterLoader.ResolveMethod(m, (MemberReference)insn.Operand);
                    if (insn.OpCode.Code == Code.Newobj && target.DeclaringType != null) AddClass(target.DeclaringType);
                    if (target.DeclaringType == typeof(JitDriver) || target.DeclaringType == typeof(MetaJit.Jit)) break;
                    Visit(target, loader, work);
                    if (insn.OpCode.Code == Code.Callvirt && target is MethodInfo && Descrs.Call(target).IsVirtual)
                    {
                        _virtualTargets.Add(target);
                        foreach (var o in Overrides(target)) Visit(o, loader, work);
                    }
                    break;
                }
            }
        }
    }
}
