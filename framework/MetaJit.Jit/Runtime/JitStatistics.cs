using System.Diagnostics;

namespace MetaJit.Engine.Runtime;

/// <summary>
/// What the JIT did, as counts and times: the public way for tests to check that a loop was really compiled
/// and entered (never infer it from timing), and what <c>METAJIT_LOG=summary</c> prints.
/// </summary>
public sealed class JitStatistics
{
    private readonly Dictionary<string, int> _abortReasons = new();

    /// <summary>Loops compiled.</summary>
    public int LoopsCompiled { get; internal set; }
    /// <summary>Bridges compiled.</summary>
    public int BridgesCompiled { get; internal set; }
    /// <summary>Traces aborted (see <see cref="AbortReasons"/>).</summary>
    public int TracesAborted { get; internal set; }
    /// <summary>Guard failures that left compiled code.</summary>
    public long GuardFailures { get; internal set; }
    /// <summary>Entries into compiled loops: from the interpreter, from call_assemblers, and the direct calls
    /// compiled code makes of itself (<see cref="DirectCallEntries"/>).</summary>
    public long LoopEntries => _loopEntries + DirectCallEntries;

    private long _loopEntries;

    internal void CountLoopEntry() => _loopEntries++;

    /// <summary>call_assemblers whose compiled code called its own method for them (docs/backend-cil.md).</summary>
    public long DirectCallEntries
    {
        get
        {
            long n = 0;
            foreach (var site in _directSites) n += site.DirectEntries;
            return n;
        }
    }

    /// <summary>Those of <see cref="FramelessCallEntries"/> whose result came back unboxed (docs/backend-cil.md,
    /// "Unboxed results").</summary>
    public long UnboxedCallResults
    {
        get
        {
            long n = 0;
            foreach (var site in _directSites) n += site.UnboxedResults;
            return n;
        }
    }

    /// <summary>Those of <see cref="DirectCallEntries"/> made without a frame (frameless calls, docs/backend-cil.md).</summary>
    public long FramelessCallEntries
    {
        get
        {
            long n = 0;
            foreach (var site in _directSites) n += site.FramelessEntries;
            return n;
        }
    }

    // Compiled code counts its direct calls in their descr (one field increment), not here.
    private readonly List<Descriptors.CallAssemblerDescr> _directSites = new();

    internal void CountDirectEntriesOf(Descriptors.CallAssemblerDescr site) => _directSites.Add(site);
    /// <summary>Portal invocations finished on the blackhole interpreter (blackhole mode, or after a guard failure when the portal returned).</summary>
    public long BlackholeRuns { get; internal set; }
    /// <summary>Compiled loops invalidated by a write of a quasi-immutable field they read as a constant.</summary>
    public int LoopsInvalidated { get; internal set; }
    /// <summary>Operations recorded by the tracer (before optimization).</summary>
    public long OpsRecorded { get; internal set; }
    /// <summary>Operations in compiled traces (after optimization).</summary>
    public long OpsCompiled { get; internal set; }
    /// <summary>Time spent tracing.</summary>
    public TimeSpan TracingTime { get; internal set; }
    /// <summary>Time spent optimizing.</summary>
    public TimeSpan OptimizingTime { get; internal set; }
    /// <summary>Time spent in the backend (including <see cref="TreeCompilingTime"/>).</summary>
    public TimeSpan CompilingTime { get; internal set; }
    /// <summary>The part of <see cref="CompilingTime"/> spent making machine code (RyuJIT, for the CIL backend).</summary>
    public TimeSpan MachineCodeTime { get; internal set; }
    /// <summary>Loops recompiled together with their bridges into one piece of code (trace trees; each recompilation counts).</summary>
    public int TreesCompiled { get; internal set; }
    /// <summary>Time spent recompiling loops as trees.</summary>
    public TimeSpan TreeCompilingTime { get; internal set; }
    /// <summary>The part of <see cref="CompilingTime"/> (trees', and with <c>background_compile=all</c> loops' and
    /// bridges') spent on a background thread while the program went on.</summary>
    public TimeSpan BackgroundCompilingTime { get; internal set; }

    /// <summary>Entries compiled again for calls whose arguments have a given shape, some virtual (specialized
    /// entries: docs/engine.md).</summary>
    public int SpecializedEntriesCompiled { get; internal set; }

    /// <summary>Aborted traces by reason.</summary>
    public IReadOnlyDictionary<string, int> AbortReasons => _abortReasons;

    internal void Abort(string reason)
    {
        TracesAborted++;
        _abortReasons[reason] = _abortReasons.GetValueOrDefault(reason) + 1;
    }

    /// <summary>Back to zero (for tests that reuse a process).</summary>
    public void Reset()
    {
        LoopsCompiled = BridgesCompiled = TracesAborted = LoopsInvalidated = TreesCompiled = SpecializedEntriesCompiled = 0;
        GuardFailures = _loopEntries = BlackholeRuns = OpsRecorded = OpsCompiled = 0;
        foreach (var site in _directSites) site.DirectEntries = site.FramelessEntries = site.UnboxedResults = 0;
        TracingTime = OptimizingTime = CompilingTime = TreeCompilingTime = MachineCodeTime = BackgroundCompilingTime = TimeSpan.Zero;
        _abortReasons.Clear();
    }

    /// <summary>The summary lines (the first five are a stable format tests and tools read).</summary>
    public IEnumerable<string> SummaryLines()
    {
        yield return $"loops compiled: {LoopsCompiled}";
        yield return $"bridges compiled: {BridgesCompiled}";
        yield return $"traces aborted: {TracesAborted}";
        yield return $"guard failures: {GuardFailures}";
        yield return $"loop entries: {LoopEntries}";
        if (DirectCallEntries > 0) yield return $"  of which direct calls: {DirectCallEntries}";
        if (FramelessCallEntries > 0) yield return $"    of which frameless: {FramelessCallEntries}";
        if (UnboxedCallResults > 0) yield return $"      of which returned unboxed: {UnboxedCallResults}";
        foreach (var (reason, count) in _abortReasons.OrderBy(r => r.Key))
            yield return $"  aborted ({reason}): {count}";
        yield return $"blackhole runs: {BlackholeRuns}";
        yield return $"ops recorded: {OpsRecorded}";
        yield return $"ops compiled: {OpsCompiled}";
        yield return $"time tracing: {TracingTime.TotalMilliseconds:F1} ms";
        yield return $"time optimizing: {OptimizingTime.TotalMilliseconds:F1} ms";
        yield return $"time compiling: {CompilingTime.TotalMilliseconds:F1} ms";
        yield return $"  of which machine code: {MachineCodeTime.TotalMilliseconds:F1} ms";
        yield return $"invalidated loops: {LoopsInvalidated}";
        yield return $"specialized entries compiled: {SpecializedEntriesCompiled}";
        yield return $"trees compiled: {TreesCompiled}";
        yield return $"time compiling trees: {TreeCompilingTime.TotalMilliseconds:F1} ms";
        yield return $"time compiling in the background: {BackgroundCompilingTime.TotalMilliseconds:F1} ms";
    }

    /// <summary>Adds the time since <paramref name="startTimestamp"/> (a <see cref="Stopwatch.GetTimestamp"/>).</summary>
    internal static TimeSpan Since(long startTimestamp) => Stopwatch.GetElapsedTime(startTimestamp);
}
