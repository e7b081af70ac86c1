using MetaJit.Engine.Tracing;
using MetaJit.Engine.Runtime;
using MetaJit.Toolchain.Hosting;

namespace MetaJit.Lox.Tests;

/// <summary>What a run produced, with the JIT's statistics of the run (empty in native mode).</summary>
public sealed record LoxOutcome(string Stdout, string Stderr, int ExitCode)
{
    /// <summary>What the JIT did during the run.</summary>
    public JitStatistics Statistics { get; init; } = new();
}

/// <summary>
/// The one place that runs a Lox program for the tests, in a given <see cref="LoxMode"/>. The engine is
/// process-wide, so runs are serialized: each attaches the engine its mode needs and detaches it after.
/// </summary>
public static class LoxRunner
{
    private static readonly object Gate = new();

    /// <summary>Runs <paramref name="source"/> in-process and captures everything.</summary>
    public static LoxOutcome Run(LoxMode mode, string source, string? path = null, IReadOnlyDictionary<string, string>? parameters = null,
        TextWriter? traceLog = null) =>
        InMode(mode, (stdout, stderr) => LoxMain.Run(source, path, TextReader.Null, stdout, stderr), parameters, traceLog);

    /// <summary>Runs the REPL over <paramref name="input"/>.</summary>
    public static LoxOutcome Repl(LoxMode mode, string input) =>
        InMode(mode, (stdout, stderr) => LoxMain.Repl(new StringReader(input), stdout, stderr));

    private static LoxOutcome InMode(LoxMode mode, Func<TextWriter, TextWriter, int> run, IReadOnlyDictionary<string, string>? parameters = null,
        TextWriter? traceLog = null)
    {
        lock (Gate)
        {
            var stdout = new StringWriter { NewLine = "\n" };
            var stderr = new StringWriter { NewLine = "\n" };
            JitParams.Reset();
            if (mode == LoxMode.Jit) JitParams.Set("threshold", "1");
            foreach (var (name, value) in parameters ?? new Dictionary<string, string>()) JitParams.Set(name, value);
            var engine = JitHost.Start(typeof(LoxMain).Assembly, new EngineOptions
            {
                Mode = mode switch { LoxMode.Blackhole => EngineMode.Blackhole, LoxMode.Jit => EngineMode.Jit, _ => EngineMode.Native },
                Log = traceLog != null ? LogFlags.Traces : LogFlags.None,
                LogWriter = traceLog ?? TextWriter.Null,
            });
            long stale = TraceHeapCache.StaleHits;
            try
            {
                int exit = run(stdout, stderr);
                // A cached field read whose object held another value is never used, so outputs cannot show it.
                Assert.That(TraceHeapCache.StaleHits, Is.EqualTo(stale), "the tracer's heap cache missed a write");
                return new LoxOutcome(stdout.ToString(), stderr.ToString(), exit) { Statistics = engine?.Statistics ?? new JitStatistics() };
            }
            finally
            {
                engine?.Detach();
                JitParams.Reset();
            }
        }
    }
}
