namespace MetaJit;

/// <summary>
/// The JIT's tunable parameters, named as in RPython's <c>set_param</c>. They live here, not in the
/// engine, so an interpreter can set them before any engine is attached.
/// </summary>
public static class JitParams
{
    /// <summary>Every parameter: name, default value, and whether it is an integer.</summary>
    public static readonly IReadOnlyDictionary<string, (string Default, bool IsInteger, string Meaning)> Known =
        new Dictionary<string, (string, bool, string)>
        {
            ["threshold"] = ("1039", true, "backward jumps at one green key before it is traced"),
            ["function_threshold"] = ("1619", true, "entries of a function before it is traced from its start"),
            ["trace_limit"] = ("6000", true, "longest trace, in recorded operations, before tracing aborts"),
            ["trace_eagerness"] = ("200", true, "failures of one guard before a bridge is traced from it"),
            ["bridge_budget"] = ("10", true, "each time this many more bridges are compiled, a guard needs trace_eagerness more failures before it gets a bridge (0: always trace_eagerness)"),
            ["tree_eagerness"] = ("20", true, "bridge runs per op of a loop's tree before the loop is recompiled with its bridges in one method (0: never)"),
            ["decay"] = ("40", true, "percent by which warm-up counters decay at each compilation"),
            ["loop_longevity"] = ("1000", true, "compilations a loop may go unused before it is freed"),
            ["max_unroll_recursion"] = ("3", true, "how many levels of a recursive function a trace inlines, the outermost included (0 and 1: a call into a function the trace is already in is never inlined; other calls are not limited)"),
            ["bridge_unroll_recursion"] = ("2", true, "how many levels of a recursive function a bridge inlines when its guard is already two or more levels deep in that recursion, those levels included (at most max_unroll_recursion)"),
            ["enable_opts"] = ("all", false, "optimizer passes, 'all', 'none' or names joined by ':' (intbounds, rewrite, virtualize, string, heap, pure, unroll)"),
            ["jit"] = ("on", false, "'on' or 'off': whether the JIT traces and runs compiled code"),
            ["warmup"] = ("on", false, "'on' or 'off': whether an engine in jit mode runs the optimizer and backend once over a small synthetic trace on a background thread at start, so the first real trace does not pay for their first use"),
            ["call_assembler"] = ("on", false, "'on' or 'off': whether a recursive portal call that is not inlined calls the callee's compiled code directly (off: it calls the portal)"),
            ["background_compile"] = ("trees", false, "what is compiled to machine code on a background thread while the program goes on: 'off' (nothing: all at once, on the engine's thread), 'trees' (loops recompiled with their bridges; the old code runs meanwhile) or 'all' (loops and bridges too: interpreted, or failing into the blackhole, until installed)"),
            ["specialize_calls"] = ("on", false, "'on' or 'off': whether a call_assembler whose arguments are virtual (a new frame, a boxed number) passes their fields to the target's code compiled for that shape instead of allocating them"),
            ["max_specialized_entries"] = ("4", true, "how many specialized entries (argument shapes) one compiled loop or function entry may get"),
            ["direct_calls"] = ("on", false, "'on' or 'off': whether compiled code calls a call_assembler's target directly when the target is compiled (off: through the call_assembler's descr)"),
            ["frameless_calls"] = ("on", false, "'on' or 'off': whether a direct call of a trace tree's label passes its arguments in its call site's argument frame and gets the result in the tree's context, taking a frame only when the call leaves through an exit (off: a pooled frame per call; needs direct_calls)"),
            ["unboxed_results"] = ("on", false, "'on' or 'off': whether a frameless call whose target finishes with a new object of a one-field class (a boxed number) gets the field's value instead, the object made only if the caller's code needs it (needs frameless_calls)"),
        };

    /// <summary>The optimizer's passes in the order they run, as <c>enable_opts</c> spells them (RPython's names).</summary>
    public static readonly IReadOnlyList<string> OptimizerPasses = ["intbounds", "rewrite", "virtualize", "string", "heap", "pure", "unroll"];

    private static readonly Dictionary<string, string> Values = new();
    private static readonly Dictionary<string, string> Defaults = new(); // an interpreter's own defaults
    private static readonly object Gate = new();

    /// <summary>Sets a parameter after validating it.</summary>
    /// <exception cref="ArgumentException">Unknown name or malformed value.</exception>
    public static void Set(string name, string value)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(value);
        Validate(name, value);
        lock (Gate) Values[name] = value;
    }

    /// <summary>
    /// Sets an interpreter's own default for a parameter: it replaces the framework's default, while a value
    /// from <see cref="Set"/> (the user's <c>METAJIT_PARAMS</c>, <c>METAJIT_THRESHOLD</c>, a test) still wins,
    /// whichever came first.
    /// </summary>
    /// <exception cref="ArgumentException">Unknown name or malformed value.</exception>
    public static void SetDefault(string name, string value)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(value);
        Validate(name, value);
        lock (Gate) Defaults[name] = value;
    }

    private static void Validate(string name, string value)
    {
        if (!Known.TryGetValue(name, out var info))
            throw new ArgumentException($"Unknown JIT parameter '{name}'. Known: {string.Join(", ", Known.Keys)}.", nameof(name));
        if (info.IsInteger && (!int.TryParse(value, out var n) || n < 0))
            throw new ArgumentException($"JIT parameter '{name}' takes a non-negative integer, not '{value}'.", nameof(value));
        if ((name == "jit" || name == "call_assembler" || name == "direct_calls" || name == "frameless_calls" || name == "unboxed_results" || name == "warmup" || name == "specialize_calls") && value != "on" && value != "off")
            throw new ArgumentException($"JIT parameter '{name}' takes 'on' or 'off', not '{value}'.", nameof(value));
        if (name == "background_compile" && value is not ("off" or "trees" or "all"))
            throw new ArgumentException($"JIT parameter 'background_compile' takes 'off', 'trees' or 'all', not '{value}'.", nameof(value));
        if (name == "decay" && int.Parse(value) > 100)
            throw new ArgumentException($"JIT parameter 'decay' is a percentage (0 to 100), not '{value}'.", nameof(value));
        // Checked here, not when the first loop is optimized: a typo must not end a run halfway, its output lost.
        if (name == "enable_opts" && OptimizerPassesIn(value) is { } unknown)
            throw new ArgumentException($"JIT parameter 'enable_opts': unknown optimizer pass '{unknown}'. Use 'all', 'none' or some of {string.Join(":", OptimizerPasses)}.", nameof(value));
    }

    /// <summary>The first word of an <c>enable_opts</c> value that names no pass, or null when it is valid.</summary>
    private static string? OptimizerPassesIn(string value)
    {
        string text = value.Trim().ToLowerInvariant();
        if (text is "all" or "none" or "") return null;
        foreach (var pass in text.Split(':', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            if (!OptimizerPasses.Contains(pass)) return pass;
        return null;
    }

    /// <summary>The current value of a parameter, as text (if never set: the interpreter's default from
    /// <see cref="SetDefault"/>, else the framework's).</summary>
    public static string Get(string name)
    {
        if (!Known.TryGetValue(name, out var info))
            throw new ArgumentException($"Unknown JIT parameter '{name}'. Known: {string.Join(", ", Known.Keys)}.", nameof(name));
        lock (Gate) return Values.TryGetValue(name, out var v) ? v : Defaults.TryGetValue(name, out var d) ? d : info.Default;
    }

    /// <summary>The current value of an integer parameter.</summary>
    public static int GetInt(string name) => int.Parse(Get(name));

    /// <summary>Forgets every value set, back to the defaults (for tests).</summary>
    public static void Reset()
    {
        lock (Gate)
        {
            Values.Clear();
            Defaults.Clear();
        }
    }
}
