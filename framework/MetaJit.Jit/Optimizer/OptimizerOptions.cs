namespace MetaJit.Engine.Optimizer;

/// <summary>The optimizer passes, in the order they run (RPython's names).</summary>
[Flags]
public enum OptimizerPasses
{
    /// <summary>No pass: the trace is only copied and cleaned of dead pure ops.</summary>
    None = 0,
    /// <summary>Integer ranges; removes proven guards, overflow checks and sign extensions.</summary>
    IntBounds = 1,
    /// <summary>Constant folding, algebraic identities, guard strengthening and implied guards.</summary>
    Rewrite = 2,
    /// <summary>Allocation removal (virtual objects and fixed-size arrays).</summary>
    Virtualize = 4,
    /// <summary>String operations on known strings.</summary>
    String = 8,
    /// <summary>Cached field and array-item reads, lazy field writes.</summary>
    Heap = 16,
    /// <summary>Common subexpression elimination of pure ops and elidable calls.</summary>
    Pure = 32,
    /// <summary>Loop peeling: preamble plus a loop optimized against it.</summary>
    Unroll = 64,
    /// <summary>Every pass.</summary>
    All = IntBounds | Rewrite | Virtualize | String | Heap | Pure | Unroll,
}

/// <summary>
/// Which passes run. Parsed from the JIT parameter <c>enable_opts</c> ("all", "none" or names joined by ':',
/// e.g. <c>intbounds:rewrite:virtualize:string:heap:pure:unroll</c>), which <c>METAJIT_OPTS</c> sets.
/// </summary>
/// <example><code>var options = OptimizerOptions.Parse("rewrite:heap"); var loop = TraceOptimizer.OptimizeLoop(trace, options);</code></example>
public sealed record OptimizerOptions(OptimizerPasses Passes)
{
    /// <summary>The pass names in order, as <c>enable_opts</c> spells them (the parameter's own list: the bits of
    /// <see cref="OptimizerPasses"/> follow it).</summary>
    public static IReadOnlyList<string> Names => JitParams.OptimizerPasses;

    /// <summary>Every pass.</summary>
    public static OptimizerOptions All { get; } = new(OptimizerPasses.All);

    /// <summary>No pass.</summary>
    public static OptimizerOptions None { get; } = new(OptimizerPasses.None);

    /// <summary>True when <paramref name="pass"/> is on.</summary>
    public bool Has(OptimizerPasses pass) => (Passes & pass) != 0;

    /// <summary>Keep held-back array-item stores held back past ordinary guards too (recorded in their resume
    /// data) instead of doing them before the guard. Off by default: it made mandel.b's guard exits large enough
    /// to cost more compile time than the stores saved (docs/optimizer.md). Field stores always ride through.</summary>
    public bool KeepItemsThroughGuards { get; init; }

    /// <summary>The options the JIT parameter <c>enable_opts</c> asks for.</summary>
    public static OptimizerOptions FromParams() => Parse(JitParams.Get("enable_opts"));

    /// <summary>Parses "all", "none" or pass names joined by ':'.</summary>
    /// <exception cref="ArgumentException">An unknown pass name; the message lists the known ones.</exception>
    public static OptimizerOptions Parse(string text)
    {
        text = text.Trim().ToLowerInvariant();
        if (text is "all" or "") return All;
        if (text == "none") return None;
        var passes = OptimizerPasses.None;
        foreach (var name in text.Split(':', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int i = Names.ToList().IndexOf(name);
            if (i < 0) throw new ArgumentException($"enable_opts: unknown optimizer pass '{name}'. Use 'all', 'none' or some of {string.Join(":", Names)}.", nameof(text));
            passes |= (OptimizerPasses)(1 << i);
        }
        return new OptimizerOptions(passes);
    }

    /// <inheritdoc/>
    public override string ToString() => Passes == OptimizerPasses.All ? "all" : Passes == OptimizerPasses.None ? "none"
        : string.Join(":", Names.Where((_, i) => Has((OptimizerPasses)(1 << i))));
}
