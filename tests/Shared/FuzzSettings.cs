namespace MetaJit.Tests.Shared;

/// <summary>
/// The knobs of the differential fuzzers (linked into each test project that has one): how many seeds, from
/// which seed, and the JIT parameters a seed draws.
/// </summary>
internal static class FuzzSettings
{
    /// <summary>How many programs (METAJIT_FUZZ_ITERATIONS; <paramref name="ciDefault"/> without it): CI runs a few
    /// dozen, a local campaign thousands.</summary>
    public static int Iterations(int ciDefault) =>
        int.TryParse(Environment.GetEnvironmentVariable("METAJIT_FUZZ_ITERATIONS"), out var n) ? n : ciDefault;

    /// <summary>The first seed (METAJIT_FUZZ_FIRST_SEED, default 1): a long local run can start past the seeds
    /// already run.</summary>
    public static int FirstSeed => int.TryParse(Environment.GetEnvironmentVariable("METAJIT_FUZZ_FIRST_SEED"), out var n) ? n : 1;

    /// <summary>
    /// JIT parameters drawn from <paramref name="seed"/>: a subset of the optimizer's passes (each pass in it with
    /// probability 1/2, so passes meet each other in every combination: a bug once needed rewrite, heap, pure and
    /// unroll together, and not virtualize), sometimes a short trace limit (traces abort, the largest inlined
    /// function stops being inlined), sometimes a short loop longevity (compiled loops are freed and traced again),
    /// and bridges, trees, compiling in the background (nothing, trees, everything), recursion inlining (in loops and in bridges),
    /// call_assembler and specialized entries at other settings.
    /// </summary>
    public static Dictionary<string, string> SomeParameters(int seed)
    {
        var rnd = new Random(seed * 7919);
        var chosen = JitParams.OptimizerPasses.Where(_ => rnd.Next(2) == 0).ToList();
        var parameters = new Dictionary<string, string> { ["enable_opts"] = chosen.Count == 0 ? "none" : string.Join(":", chosen) };
        if (rnd.Next(3) == 0) parameters["trace_limit"] = rnd.Next(2) == 0 ? "60" : "250";
        if (rnd.Next(3) == 0) parameters["loop_longevity"] = "3";
        if (rnd.Next(2) == 0) parameters["trace_eagerness"] = rnd.Next(1, 6).ToString();
        if (rnd.Next(3) == 0) parameters["tree_eagerness"] = rnd.Next(2).ToString();
        if (rnd.Next(3) == 0) parameters["max_unroll_recursion"] = rnd.Next(4).ToString();
        if (rnd.Next(4) == 0) parameters["call_assembler"] = "off";
        if (rnd.Next(3) == 0) parameters["bridge_unroll_recursion"] = rnd.Next(1, 4).ToString(); // drawn after the others: earlier draws as before
        parameters["background_compile"] = rnd.Next(3) switch { 0 => "off", 1 => "trees", _ => "all" }; // drawn after the others, for the same reason
        if (rnd.Next(4) == 0) parameters["specialize_calls"] = "off";
        else if (rnd.Next(3) == 0) parameters["max_specialized_entries"] = rnd.Next(1, 3).ToString();
        return parameters;
    }

    /// <summary>The parameters as <c>name=value</c> pairs, for a failure message.</summary>
    public static string Describe(Dictionary<string, string> parameters) => string.Join(", ", parameters.Select(p => p.Key + "=" + p.Value));
}
