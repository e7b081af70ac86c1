using MetaJit.Engine.Tracing;
using MetaJit.Engine.Runtime;
using MetaJit.Toolchain.Hosting;

namespace MetaJit.Examples.Tests;

/// <summary>The modes a differential test runs an interpreter in.</summary>
public enum RunMode
{
    Native,
    Blackhole,
    Jit,
}

/// <summary>Attaches the engine in a mode for the duration of one run and detaches it afterwards.</summary>
public sealed class EngineScope : IDisposable
{
    private EngineScope(JitEngine? engine) => Engine = engine;

    // The tracer's heap cache never uses a cached field read whose object holds another value, so outputs cannot
    // show a write it missed; each scope checks that none happened.
    private readonly long _staleHits = TraceHeapCache.StaleHits;

    /// <summary>The attached engine (null in native mode).</summary>
    public JitEngine? Engine { get; }

    /// <summary>The engine's statistics (empty ones in native mode).</summary>
    public JitStatistics Statistics => Engine?.Statistics ?? new JitStatistics();

    /// <summary>Attaches the engine for the interpreter that defines <paramref name="interpreterType"/>; with a
    /// <paramref name="traceLog"/>, what <paramref name="logFlags"/> asks for is written to it.</summary>
    public static EngineScope Start(Type interpreterType, RunMode mode, int threshold = 1039, string opts = "all",
        TextWriter? traceLog = null, IReadOnlyDictionary<string, string>? parameters = null, LogFlags logFlags = LogFlags.Traces)
    {
        JitParams.Reset();
        JitParams.Set("threshold", threshold.ToString());
        JitParams.Set("enable_opts", opts);
        foreach (var (name, value) in parameters ?? new Dictionary<string, string>()) JitParams.Set(name, value);
        var options = new EngineOptions
        {
            Mode = mode switch { RunMode.Blackhole => EngineMode.Blackhole, RunMode.Jit => EngineMode.Jit, _ => EngineMode.Native },
            Log = traceLog != null ? logFlags : EngineOptions.FromEnvironment().Log, // METAJIT_LOG=traces while debugging a test
            LogWriter = traceLog ?? Console.Error,
        };
        return new EngineScope(JitHost.Start(interpreterType.Assembly, options));
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        Engine?.Detach();
        JitParams.Reset();
        Assert.That(TraceHeapCache.StaleHits, Is.EqualTo(_staleHits), "the tracer's heap cache missed a write");
    }
}
