namespace MetaJit.Engine.Runtime;

/// <summary>How portals run once the engine is attached.</summary>
public enum EngineMode
{
    /// <summary>Plain interpreter: the engine declines every driver (its hints keep their native meaning).</summary>
    Native,
    /// <summary>At the first CanEnterJit, the rest of the portal invocation runs on the blackhole interpreter
    /// (JitCodes, no recording): tests that the codewriter preserved the interpreter's meaning.</summary>
    Blackhole,
    /// <summary>Count, trace, compile, run compiled loops (the default).</summary>
    Jit,
}

/// <summary>What to log.</summary>
[Flags]
public enum LogFlags
{
    /// <summary>Nothing.</summary>
    None = 0,
    /// <summary>The statistics summary at exit (<c>METAJIT_LOG=summary</c>).</summary>
    Summary = 1,
    /// <summary>Every trace before and after optimization (<c>METAJIT_LOG=traces</c>).</summary>
    Traces = 2,
    /// <summary>Engine events: codewriting, aborts, compilations (<c>METAJIT_LOG=events</c>).</summary>
    Events = 4,
    /// <summary>The code the backend made for each compiled loop, bridge and tree: IL for the CIL backend
    /// (<c>METAJIT_LOG=code</c>).</summary>
    Code = 8,
    /// <summary>At exit, the keys whose loops the interpreter ran most, with what the JIT made of each
    /// (<c>METAJIT_LOG=profile</c>).</summary>
    Profile = 16,
}

/// <summary>Engine settings, normally read from the environment (<see cref="FromEnvironment"/>).</summary>
public sealed record EngineOptions
{
    /// <summary>The mode.</summary>
    public EngineMode Mode { get; init; } = EngineMode.Jit;

    /// <summary>What to log.</summary>
    public LogFlags Log { get; init; }

    /// <summary>Where logs go (stderr unless a test redirects it).</summary>
    public TextWriter LogWriter { get; init; } = Console.Error;

    /// <summary>
    /// Reads <c>METAJIT_MODE</c> (native|blackhole|jit), <c>METAJIT_THRESHOLD</c> (sets the <c>threshold</c>
    /// parameter), <c>METAJIT_LOG</c> (comma-separated: summary, traces, events, code, all) and <c>METAJIT_OPTS</c>
    /// (sets <c>enable_opts</c>), <c>METAJIT_PARAMS</c> (comma-separated <c>name=value</c>: any JIT parameter,
    /// e.g. <c>tree_eagerness=0</c>).
    /// </summary>
    /// <exception cref="ArgumentException">A malformed value, with the variable's name.</exception>
    public static EngineOptions FromEnvironment()
    {
        var options = new EngineOptions();
        var mode = Environment.GetEnvironmentVariable("METAJIT_MODE");
        if (!string.IsNullOrEmpty(mode))
        {
            options = options with
            {
                Mode = mode.ToLowerInvariant() switch
                {
                    "native" => EngineMode.Native,
                    "blackhole" => EngineMode.Blackhole,
                    "jit" => EngineMode.Jit,
                    _ => throw new ArgumentException($"METAJIT_MODE must be native, blackhole or jit, not '{mode}'."),
                },
            };
        }
        var threshold = Environment.GetEnvironmentVariable("METAJIT_THRESHOLD");
        if (!string.IsNullOrEmpty(threshold))
        {
            if (!int.TryParse(threshold, out var n) || n < 1)
                throw new ArgumentException($"METAJIT_THRESHOLD must be a positive integer, not '{threshold}'.");
            JitParams.Set("threshold", threshold);
        }
        var opts = Environment.GetEnvironmentVariable("METAJIT_OPTS");
        if (!string.IsNullOrEmpty(opts)) JitParams.Set("enable_opts", opts);
        var parameters = Environment.GetEnvironmentVariable("METAJIT_PARAMS");
        foreach (var pair in (parameters ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int eq = pair.IndexOf('=');
            if (eq <= 0) throw new ArgumentException($"METAJIT_PARAMS takes name=value pairs separated by commas, not '{pair}'.");
            JitParams.Set(pair[..eq], pair[(eq + 1)..]);
        }
        var log = Environment.GetEnvironmentVariable("METAJIT_LOG");
        if (!string.IsNullOrEmpty(log))
        {
            var flags = LogFlags.None;
            foreach (var word in log.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                flags |= word.ToLowerInvariant() switch
                {
                    "summary" => LogFlags.Summary,
                    "traces" => LogFlags.Traces,
                    "events" => LogFlags.Events,
                    "code" => LogFlags.Code,
                    "profile" => LogFlags.Profile,
                    "all" => LogFlags.Summary | LogFlags.Traces | LogFlags.Events | LogFlags.Code | LogFlags.Profile,
                    _ => throw new ArgumentException($"METAJIT_LOG takes summary, traces, events, code, profile or all, not '{word}'."),
                };
            }
            options = options with { Log = flags };
        }
        return options;
    }
}
