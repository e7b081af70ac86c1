using System.Reflection;
using MetaJit.Engine.JitCodes;
using MetaJit.Engine.Runtime;
using MetaJit.Toolchain.Persistence;

namespace MetaJit.Toolchain.Hosting;

/// <summary>
/// Puts an interpreter under the JIT: gets its JitCodes (codewriting them, or loading the persisted ones)
/// and attaches a <see cref="JitEngine"/> in the requested mode. What the <c>metajit</c> command and the
/// differential tests call before running a program.
/// <code>
/// var engine = JitHost.StartFromEnvironment(typeof(MyInterpreter).Assembly);   // METAJIT_MODE etc.
/// </code>
/// </summary>
public static class JitHost
{
    private static readonly Dictionary<Assembly, JitCodeSet> Cache = new();

    /// <summary>Attaches an engine configured from the environment (<c>METAJIT_MODE</c>, <c>METAJIT_THRESHOLD</c>,
    /// <c>METAJIT_LOG</c>, <c>METAJIT_OPTS</c>); in native mode nothing is attached and null is returned.</summary>
    public static JitEngine? StartFromEnvironment(Assembly interpreter) => Start(interpreter, EngineOptions.FromEnvironment());

    /// <summary>Attaches an engine for <paramref name="interpreter"/> with <paramref name="options"/>
    /// (null in native mode, after detaching any engine; with logs asked for, one line says why they stay empty).</summary>
    public static JitEngine? Start(Assembly interpreter, EngineOptions options)
    {
        JitEngine.Current?.Detach();
        if (options.Mode == EngineMode.Native)
        {
            // Silence would look like a JIT that did nothing.
            if (options.Log != LogFlags.None)
                options.LogWriter.WriteLine("[metajit] METAJIT_MODE=native: no engine is attached, so METAJIT_LOG has nothing to report");
            return null;
        }
        JitEngine.WarmUpInBackground(options); // overlaps loading the JitCodes
        var set = JitCodesFor(interpreter, options);
        return JitEngine.Attach(set, options);
    }

    /// <summary>The JitCodes of <paramref name="interpreter"/>: loaded from its <c>.jitcodes</c> file when current,
    /// else codewritten; once per process.</summary>
    public static JitCodeSet JitCodesFor(Assembly interpreter, EngineOptions? options = null)
    {
        lock (Cache)
        {
            if (Cache.TryGetValue(interpreter, out var set)) return set;
            long start = System.Diagnostics.Stopwatch.GetTimestamp();
            set = JitCodeFile.Load(interpreter);
            if (options != null && options.Log.HasFlag(LogFlags.Events))
                options.LogWriter.WriteLine(set.CodewritingTime is { } t
                    ? $"[metajit] codewrote {interpreter.GetName().Name}: {set.JitCodes.Count()} JitCodes in {t.TotalMilliseconds:F0} ms"
                    : $"[metajit] read the portals of {interpreter.GetName().Name} from {JitCodeFile.PathFor(interpreter)} in {System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalMilliseconds:F1} ms (its JitCodes are read at the first hot key)");
            Cache[interpreter] = set;
            return set;
        }
    }
}
