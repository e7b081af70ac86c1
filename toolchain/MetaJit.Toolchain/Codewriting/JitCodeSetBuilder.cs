using System.Diagnostics;
using System.Reflection;
using MetaJit.Engine.JitCodes;
using MetaJit.Toolchain.Analysis;
using MetaJit.Toolchain.Loading;

namespace MetaJit.Toolchain.Codewriting;

/// <summary>
/// The codewriter's entry point: interpreter assembly in, <see cref="JitCodeSet"/> out.
/// Steps: <see cref="PortalFinder"/> (drivers, greens, reds, portal methods) -> <see cref="CallGraph"/> under the
/// <see cref="CallPolicy"/> -> a JitCode per looked-inside method (<c>Codewriter</c>, then <see cref="Liveness"/>)
/// -> linked into the set (each CallDescr learns its JitCode).
/// </summary>
/// <example><code>
/// var set = JitCodeSetBuilder.Build(typeof(BfInterpreter).Assembly);
/// var portal = set.Portals[0];   // greens [pc, program], reds [tape, pos, io]
/// </code></example>
public static class JitCodeSetBuilder
{
    /// <summary>Codewrites every portal of <paramref name="interpreterAssembly"/> and everything they reach;
    /// <paramref name="extraRoots"/> adds methods to codewrite even without a portal (tests, tools).</summary>
    /// <param name="interpreterAssembly">The interpreter, loaded in this process (its file and PDB are read with Cecil).</param>
    /// <param name="extraRoots">Methods to codewrite even when no portal reaches them.</param>
    /// <param name="portalRoots">False to codewrite only <paramref name="extraRoots"/> (portals are still described).</param>
    /// <exception cref="CodewriterException">Interpreter code the codewriter cannot translate, or a misused hint.</exception>
    public static JitCodeSet Build(Assembly interpreterAssembly, IEnumerable<MethodBase>? extraRoots = null, bool portalRoots = true)
    {
        var sw = Stopwatch.StartNew();
        var loader = new InterpreterLoader();
        var portals = PortalFinder.Find(interpreterAssembly, loader);
        var policy = new CallPolicy(interpreterAssembly);
        var roots = (portalRoots ? portals.Select(p => p.Method) : Enumerable.Empty<MethodBase>()).Concat(extraRoots ?? Array.Empty<MethodBase>());
        var graph = CallGraph.Build(policy, loader, roots);
        var byField = portals.ToDictionary(p => p.Portal.DriverField, p => p.Portal);
        var set = new JitCodeSet();
        foreach (var method in graph.LookedInside)
            set.Add(new Codewriter(method, loader, policy, graph, byField).Write());
        foreach (var (portal, _) in portals) if (portal.JitCode != null) set.AddPortal(portal);
        set.CodewritingTime = sw.Elapsed;
        Graph = graph;
        return set;
    }

    /// <summary>The call graph of the last <see cref="Build"/> on this thread (for tools that want both).</summary>
    [ThreadStatic] public static CallGraph? Graph;
}
