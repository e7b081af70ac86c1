using MetaJit.Engine.JitCodes;

namespace MetaJit.Engine.Runtime;

/// <summary>
/// The engine attached to the hints (<see cref="JitRuntime"/>): it knows the interpreter's JitCodes and
/// portals, gives each driver its CanEnterJit hook (<c>PortalHooks.cs</c>), holds the parameters and the
/// statistics, and prints the summary at exit. Tour: warm-up in <see cref="PortalRuntime"/>, tracing and
/// compiled code behind <see cref="IJitPipeline"/>, leaving compiled code through resume and the blackhole.
/// </summary>
public sealed class JitEngine : IJitEngine
{
    private readonly List<JitCodeSet> _sets = new();
    private readonly Dictionary<JitDriver, PortalRuntime> _portals = new(ReferenceEqualityComparer.Instance);
    private bool _summaryPrinted;

    private JitEngine(EngineOptions options)
    {
        Options = options;
        QuasiImmutables = new QuasiImmutableDependencies(this);
        ReadParams();
    }

    /// <summary>The engine attached last, if any.</summary>
    public static JitEngine? Current { get; private set; }

    /// <summary>Settings.</summary>
    public EngineOptions Options { get; }

    /// <summary>What the JIT did.</summary>
    public JitStatistics Statistics { get; } = new();

    /// <summary>Compiled loops that depend on quasi-immutable fields.</summary>
    internal QuasiImmutableDependencies QuasiImmutables { get; }

    internal int Threshold { get; private set; }

    /// <summary>Interpreter helpers the tracer no longer inlines: inlining one made a trace too long. The engine's,
    /// not the JitCodes': a process shares its JitCodes between the engines attached in turn (tests do that).</summary>
    internal HashSet<JitCode> NotInlined { get; } = new(ReferenceEqualityComparer.Instance);

    /// <summary>Compilations so far: warm-up counters decay by <c>decay</c> percent at each (lazily, see
    /// <see cref="Decayed"/>), so a key that was warm long ago does not stay nearly hot forever.</summary>
    internal int DecayEpoch { get; private set; }

    /// <summary>Bumped at each decay and parameter change: it ends every cell's quiet counting
    /// (<see cref="JitCell.QuietJumps"/>), so the next jump at each key takes the full path.</summary>
    internal int QuietEpoch;

    /// <summary>A compilation happened: counters decay (lazily) and quiet counting stops.</summary>
    internal void Decay()
    {
        DecayEpoch++;
        QuietEpoch++;
    }

    private double _decayFactor = 1.0;

    /// <summary><paramref name="counter"/> after <paramref name="epochs"/> decays.</summary>
    internal int Decayed(int counter, int epochs)
    {
        if (_decayFactor >= 1.0 || counter == 0) return counter;
        if (epochs >= 64) return 0;
        return (int)(counter * Math.Pow(_decayFactor, epochs));
    }
    internal bool JitEnabled { get; private set; }
    internal IJitPipeline? Pipeline { get; set; }

    /// <summary>
    /// Attaches a new engine for the interpreter described by <paramref name="jitCodes"/>; drivers already
    /// hooked to an earlier engine are reset so they ask this one.
    /// </summary>
    public static JitEngine Attach(JitCodeSet jitCodes, EngineOptions options)
    {
        var engine = new JitEngine(options);
        engine._sets.Add(jitCodes);
        foreach (var portal in jitCodes.Portals) portal.Driver.ResetHook();
        engine.Pipeline = (PipelineFactory ?? (e => new Tracing.JitPipeline(e, new Backend.Cil.CilBackend { KeepIL = options.Log.HasFlag(LogFlags.Code) })))(engine);
        Current = engine;
        JitRuntime.Attach(engine);
        WarmUpInBackground(options);
        if (options.Log.HasFlag(LogFlags.Summary))
            AppDomain.CurrentDomain.ProcessExit += (_, _) => engine.PrintSummary();
        if (options.Log.HasFlag(LogFlags.Profile))
            AppDomain.CurrentDomain.ProcessExit += (_, _) => engine.PrintProfile();
        return engine;
    }

    /// <summary>
    /// Starts the JIT's own warm-up (a background thread that runs the optimizer and backend once over a small
    /// synthetic trace, docs/engine.md) if an engine with <paramref name="options"/> would trace: jit mode, the
    /// <c>jit</c> and <c>warmup</c> parameters on. <see cref="Attach"/> calls it; a host may call it earlier, so the
    /// warm-up overlaps loading the interpreter's JitCodes. Once per process; later calls do nothing.
    /// </summary>
    public static void WarmUpInBackground(EngineOptions options)
    {
        if (options.Mode == EngineMode.Jit && JitParams.Get("jit") == "on" && JitParams.Get("warmup") == "on")
            Tracing.JitWarmup.Start();
    }

    /// <summary>Detaches the engine (drivers fall back to their native meaning).</summary>
    public void Detach()
    {
        foreach (var set in _sets)
            foreach (var portal in set.Portals)
                portal.Driver.ResetHook();
        JitRuntime.Detach();
        if (Current == this) Current = null;
    }

    /// <summary>Builds the JIT pipeline (tracer + optimizer + backend) for a new engine; set by the tracer's assembly part.</summary>
    internal static Func<JitEngine, IJitPipeline>? PipelineFactory { get; set; }

    /// <summary>Prints the statistics summary once (normally at process exit).</summary>
    public void PrintSummary()
    {
        if (_summaryPrinted) return;
        _summaryPrinted = true;
        var w = Options.LogWriter;
        w.WriteLine("[metajit] summary");
        foreach (var line in Statistics.SummaryLines()) w.WriteLine(line);
        foreach (var line in GcSummaryLines()) w.WriteLine(line);
        w.Flush();
    }

    /// <summary>The process's garbage collections so far (the summary's last lines): compiled code's speed on
    /// allocation-heavy programs follows them, and the interpreter's allocations are in them too.</summary>
    public static IEnumerable<string> GcSummaryLines()
    {
        yield return $"gc collections: {GC.CollectionCount(0)}";
        yield return $"  of which gen1: {GC.CollectionCount(1)}, gen2: {GC.CollectionCount(2)}";
        yield return $"time in gc pauses: {GC.GetTotalPauseDuration().TotalMilliseconds:F1} ms";
        yield return $"allocated: {GC.GetTotalAllocatedBytes() / (1024.0 * 1024.0):F1} MB";
    }

    /// <summary>Prints the profile once (normally at process exit): <see cref="JitProfile"/>.</summary>
    public void PrintProfile()
    {
        if (_profilePrinted) return;
        _profilePrinted = true;
        var w = Options.LogWriter;
        foreach (var line in JitProfile.Lines(Portals)) w.WriteLine(line);
        w.Flush();
    }

    private bool _profilePrinted;

    /// <summary>The runtime state of every portal the engine has met so far.</summary>
    public IReadOnlyCollection<PortalRuntime> Portals => _portals.Values;

    /// <summary>The runtime state of the portal of <paramref name="driver"/>, or null.</summary>
    public PortalRuntime? FindPortal(JitDriver driver) => _portals.GetValueOrDefault(driver);

    /// <inheritdoc/>
    public THook? CreateEnterHook<THook>(JitDriver driver, Type[] valueTypes) where THook : class
    {
        if (Options.Mode == EngineMode.Native) return null;
        if (!_portals.TryGetValue(driver, out var runtime))
        {
            var portal = _sets.Select(s => s.FindPortal(driver)).FirstOrDefault(p => p != null);
            if (portal == null)
            {
                Log($"no JitCodes for driver {driver.Name}: it runs natively");
                return null;
            }
            runtime = new PortalRuntime(this, portal);
            _portals[driver] = runtime;
        }
        var args = typeof(THook).GetGenericArguments();
        var hookType = HookTypes[args.Length - 2].MakeGenericType(args);
        return (THook)Activator.CreateInstance(hookType, runtime)!;
    }

    private static readonly Type[] HookTypes =
    {
        typeof(PortalHook1<,>), typeof(PortalHook2<,,>), typeof(PortalHook3<,,,>), typeof(PortalHook4<,,,,>),
        typeof(PortalHook5<,,,,,>), typeof(PortalHook6<,,,,,,>), typeof(PortalHook7<,,,,,,,>), typeof(PortalHook8<,,,,,,,,>),
    };

    /// <inheritdoc/>
    public void OnParamChanged(string name, string value) => ReadParams();

    /// <inheritdoc/>
    public void OnQuasiImmutableChanged(object obj, string field) => QuasiImmutables.Changed(obj, field);

    private void ReadParams()
    {
        Threshold = Math.Max(1, JitParams.GetInt("threshold"));
        _decayFactor = 1.0 - Math.Clamp(JitParams.GetInt("decay"), 0, 100) / 100.0;
        JitEnabled = JitParams.Get("jit") == "on";
        QuietEpoch++;
    }

    /// <summary>Writes an engine event to the log when events are on.</summary>
    internal void Log(string message)
    {
        if (Options.Log.HasFlag(LogFlags.Events)) Options.LogWriter.WriteLine("[metajit] " + message);
    }
}
