using EngineCorpus;
using MetaJit.Engine.Runtime;

namespace MetaJit.Examples.Tests;

/// <summary>
/// Differential tests of the engine on the small register machine of tests/EngineCorpus: each program runs
/// natively, on the blackhole and under the JIT at thresholds 1 and 2, and must print the same; the JIT
/// statistics show that the situation under test really happened in compiled code.
/// </summary>
[TestFixture]
[NonParallelizable]
public class EngineCorpusTests
{
    public static IEnumerable<TestCaseData> Modes()
    {
        yield return new TestCaseData(RunMode.Blackhole, 1).SetName("{m} on the blackhole");
        yield return new TestCaseData(RunMode.Jit, 1).SetName("{m} under the jit at threshold 1");
        yield return new TestCaseData(RunMode.Jit, 2).SetName("{m} under the jit at threshold 2");
    }

    /// <summary>Registers of the programs below: 0 loop counter, 1 its bound, 2 scratch.</summary>
    private const int I = 0, N = 1, T = 2;

    /// <summary>Each iteration calls Deep -> Middle -> Leaf; the branch in Leaf flips at iteration <paramref name="limit"/>.</summary>
    public static EngineCorpus.Program DeepCalls(int iterations, int limit) => new Assembler()
        .Const(N, iterations)
        .For(I, N, T, a => a.Const(3, limit).Call(3, Fn.Deep, I).Print(3))
        .Halt(3).Build();

    [TestCaseSource(nameof(Modes))]
    public void Guard_failure_in_a_deeply_inlined_call_restores_every_frame(RunMode mode, int threshold)
    {
        var stats = AssertSameAsNative(DeepCalls(60, 25), mode, threshold);
        if (mode == RunMode.Jit)
        {
            Assert.That(stats.LoopsCompiled, Is.GreaterThan(0), "loops compiled");
            Assert.That(stats.LoopEntries, Is.GreaterThan(0), "compiled loops entered");
            Assert.That(stats.GuardFailures, Is.GreaterThan(0), "the guard in Leaf failed");
        }
    }

    /// <summary>A branch of the user program that flips after <paramref name="flip"/> of <paramref name="iterations"/>.</summary>
    public static EngineCorpus.Program FlippingBranch(int iterations, int flip) => new Assembler()
        .Const(N, iterations).Const(4, flip).Const(5, 0)
        .For(I, N, T, a => a
            .Lt(6, I, 4).JumpIfZero(6, "else")
            .Add(5, 5, I).Jump("join")
            .Label("else").Add(5, 5, I).Add(5, 5, I)
            .Label("join").Print(5))
        .Halt(5).Build();

    [TestCaseSource(nameof(Modes))]
    public void A_loop_whose_branch_flips_gets_a_bridge_and_stays_correct(RunMode mode, int threshold)
    {
        var stats = AssertSameAsNative(FlippingBranch(700, 100), mode, threshold);
        if (mode == RunMode.Jit)
        {
            Assert.That(stats.LoopsCompiled, Is.GreaterThan(0), "loops compiled");
            Assert.That(stats.LoopEntries, Is.GreaterThan(0), "compiled loops entered");
            Assert.That(stats.BridgesCompiled, Is.GreaterThan(0), "bridges compiled");
        }
    }

    [TestCaseSource(nameof(Modes))]
    public void A_branch_that_flips_three_calls_deep_gets_a_bridge_and_stays_correct(RunMode mode, int threshold)
    {
        var stats = AssertSameAsNative(DeepCalls(700, 100), mode, threshold);
        if (mode == RunMode.Jit)
        {
            Assert.That(stats.LoopsCompiled, Is.GreaterThan(0), "loops compiled");
            Assert.That(stats.LoopEntries, Is.GreaterThan(0), "compiled loops entered");
            Assert.That(stats.BridgesCompiled, Is.GreaterThan(0), "bridges compiled");
        }
    }

    /// <summary>Calls <paramref name="fn"/> (Check or Safe), whose innermost call throws at iteration 30 of 50.</summary>
    public static EngineCorpus.Program Throwing(Fn fn) => new Assembler()
        .Const(N, 50)
        .For(I, N, T, a => a.Const(3, 30).Call(3, fn, I).Print(3))
        .Halt(3).Build();

    [TestCaseSource(nameof(Modes))]
    public void An_exception_thrown_three_calls_deep_in_a_compiled_loop_reaches_the_portals_caller(RunMode mode, int threshold)
    {
        var (output, stats) = Run(Throwing(Fn.Check), mode, threshold);
        Assert.That(output, Does.EndWith("error: limit 30 reached\nresult -1\n"));
        Assert.That(output, Is.EqualTo(Run(Throwing(Fn.Check), RunMode.Native, threshold).Output));
        if (mode == RunMode.Jit) AssertCompiledAndEntered(stats);
    }

    [TestCaseSource(nameof(Modes))]
    public void An_exception_thrown_in_a_compiled_loop_and_caught_by_an_inlined_helper_behaves_as_natively(RunMode mode, int threshold)
    {
        var (output, stats) = Run(Throwing(Fn.Safe), mode, threshold);
        Assert.That(output, Does.Contain("\n-790\n"), "iteration 30: -1000 + 30 * 7");
        Assert.That(output, Is.EqualTo(Run(Throwing(Fn.Safe), RunMode.Native, threshold).Output));
        if (mode == RunMode.Jit) AssertCompiledAndEntered(stats);
    }

    /// <summary>Pushes 25 values, then pops 40 times: the interpreter raises its error in the portal itself.</summary>
    public static EngineCorpus.Program PopTooMany() => new Assembler()
        .Const(N, 25).For(I, N, T, a => a.Push(I))
        .Const(N, 40).For(I, N, T, a => a.Pop(3).Print(3))
        .Halt(3).Build();

    [TestCaseSource(nameof(Modes))]
    public void An_exception_the_portal_raises_in_a_compiled_loop_reaches_the_portals_caller(RunMode mode, int threshold)
    {
        var (output, stats) = Run(PopTooMany(), mode, threshold);
        Assert.That(output, Does.Match(@"error: pop from an empty list at \d+\nresult -1\n$"));
        Assert.That(output, Is.EqualTo(Run(PopTooMany(), RunMode.Native, threshold).Output));
        if (mode == RunMode.Jit) AssertCompiledAndEntered(stats);
    }

    /// <summary>Three nested loops (5 x 6 x 7) accumulating i * j - k.</summary>
    public static EngineCorpus.Program NestedLoops() => new Assembler()
        .Const(1, 5).Const(4, 6).Const(7, 7).Const(9, 0)
        .For(0, 1, 2, a => a
            .For(3, 4, 5, b => b
                .For(6, 7, 8, c => c.Mul(10, 0, 3).Sub(10, 10, 6).Add(9, 9, 10).Print(9))
                .Print(3))
            .Print(0))
        .Halt(9).Build();

    [TestCaseSource(nameof(Modes))]
    public void Loops_nested_three_deep_print_what_they_print_natively(RunMode mode, int threshold)
    {
        var stats = AssertSameAsNative(NestedLoops(), mode, threshold);
        if (mode == RunMode.Jit) AssertCompiledAndEntered(stats);
    }

    /// <summary>
    /// 300 iterations each pushing two nodes, popping one, calling the residual Collect (a full GC every 7th
    /// call) and the allocating Deep chain; then 600 pops walk the whole list the GCs moved around.
    /// </summary>
    public static EngineCorpus.Program ManyCollections() => new Assembler()
        .Const(N, 300)
        .For(I, N, T, a => a
            .Push(I).Const(3, 5).Call(3, Fn.Collect, I).Push(3).Pop(4).Print(4)
            .Const(3, 1000).Call(3, Fn.Deep, I).Push(3).Print(3))
        .Const(N, 600).For(I, N, T, a => a.Pop(4).Print(4))
        .Halt(4).Build();

    [TestCaseSource(nameof(Modes))]
    public void Many_forced_collections_from_a_residual_call_keep_the_loops_references_intact(RunMode mode, int threshold)
    {
        int before = GC.CollectionCount(2);
        var stats = AssertSameAsNative(ManyCollections(), mode, threshold);
        Assert.That(GC.CollectionCount(2) - before, Is.GreaterThanOrEqualTo(2 * (300 / Helpers.CollectEvery) - 1), "full GCs, native and this mode");
        if (mode == RunMode.Jit) AssertCompiledAndEntered(stats);
    }

    /// <summary>A loop printing i * scale (a quasi-immutable field the JIT folds) runs twice; in between the
    /// interpreter itself sets the scale to 5, natively.</summary>
    public static EngineCorpus.Program ScaleSetBetweenTwoRuns() => new Assembler()
        .Const(N, 200).Const(9, 1)
        .Label("again")
        .For(I, N, T, a => a.Scale(3, I).Print(3))
        .JumpIfZero(9, "done")
        .Const(9, 0).Const(4, 5).SetScale(4)
        .Jump("again")
        .Label("done")
        .Halt(3).Build();

    [TestCaseSource(nameof(Modes))]
    public void A_quasi_immutable_field_the_interpreter_writes_invalidates_the_loop_that_folded_it(RunMode mode, int threshold)
    {
        var stats = AssertSameAsNative(ScaleSetBetweenTwoRuns, mode, threshold);
        if (mode == RunMode.Jit)
        {
            AssertCompiledAndEntered(stats);
            Assert.That(stats.LoopsInvalidated, Is.EqualTo(1), "invalidated loops");
            Assert.That(stats.LoopsCompiled, Is.GreaterThanOrEqualTo(2), "the loop was retraced");
        }
    }

    /// <summary>Each iteration calls the residual Rescale (which adds one to the scale at iteration 150), then
    /// prints i * scale: the write happens inside compiled code, before a read in the same iteration.</summary>
    public static EngineCorpus.Program ScaleChangedByAResidualCall() => new Assembler()
        .Const(N, 300).Const(5, 150)
        .For(I, N, T, a => a.Rescale(6, I, 5).Scale(3, I).Print(3))
        .Halt(3).Build();

    [TestCaseSource(nameof(Modes))]
    public void A_quasi_immutable_field_a_residual_call_writes_invalidates_the_running_loop(RunMode mode, int threshold)
    {
        var stats = AssertSameAsNative(ScaleChangedByAResidualCall, mode, threshold);
        if (mode == RunMode.Jit)
        {
            AssertCompiledAndEntered(stats);
            Assert.That(stats.LoopsInvalidated, Is.EqualTo(1), "invalidated loops");
            Assert.That(stats.LoopsCompiled, Is.GreaterThanOrEqualTo(2), "the loop was retraced");
        }
    }

    /// <summary>Each iteration calls <paramref name="fn"/> on i (with limit i for Safe, so it throws every time).</summary>
    public static EngineCorpus.Program CatchingEveryIteration(Fn fn) => new Assembler()
        .Const(N, 200).Const(7, 0)
        .For(I, N, T, a => a.Add(3, I, 7).Call(3, fn, I).Print(3))
        .Halt(3).Build();

    public static IEnumerable<TestCaseData> CatchingModes()
    {
        var raisers = new (Fn Fn, string What)[]
        {
            (Fn.Safe, "thrown three calls deep and caught by an inlined helper"),
            (Fn.CatchResidual, "thrown by a residual call"),
            (Fn.CatchNull, "raised by a null dereference"),
            (Fn.CatchDivide, "raised by a division by zero"),
            (Fn.CatchIndex, "raised by an index out of range"),
        };
        foreach (var (fn, what) in raisers)
            foreach (var (mode, threshold) in new[] { (RunMode.Blackhole, 1), (RunMode.Jit, 1), (RunMode.Jit, 2) })
                yield return new TestCaseData(fn, mode, threshold).SetName(
                    $"An exception {what} every iteration is traced through ({mode}, threshold {threshold})");
    }

    [TestCaseSource(nameof(CatchingModes))]
    public void An_exception_caught_inside_the_loop_is_followed_by_the_trace(Fn fn, RunMode mode, int threshold)
    {
        var stats = AssertSameAsNative(CatchingEveryIteration(fn), mode, threshold);
        if (mode != RunMode.Jit) return;
        AssertCompiledAndEntered(stats);
        Assert.That(stats.AbortReasons.Keys.Where(r => r.Contains("exception") || r.Contains("raise")), Is.Empty, "aborts because of exceptions");
        Assert.That(stats.GuardFailures, Is.LessThan(20), "the raising iterations run in compiled code, not through failing guards");
    }

    /// <summary>Each iteration slices, measures and reads strings (RString.Slice); every seventh builds them.</summary>
    public static EngineCorpus.Program StringSlices() => new Assembler()
        .Const(N, 200)
        .For(I, N, T, a => a.Const(3, 9).Call(3, Fn.Slices, I).Print(3))
        .Halt(3).Build();

    [TestCaseSource(nameof(Modes))]
    public void String_slices_kept_virtual_print_what_they_print_natively(RunMode mode, int threshold)
    {
        var stats = AssertSameAsNative(StringSlices(), mode, threshold);
        if (mode == RunMode.Jit) AssertCompiledAndEntered(stats);
    }

    /// <summary>
    /// Guards keep the slices and concatenations virtual (their resume data says how to make them), yet every
    /// iteration whose guard fails (each seventh builds the strings; trace_eagerness 1 gives those guards bridges at
    /// once, which start from the strings still virtual) prints what it prints natively. In the loop's first
    /// iteration only the slice whose character is read is made: the outer slice and the concatenation, which
    /// reach guards only, are not (forcing them at guards made two slices and a concatenation).
    /// </summary>
    [Test]
    public void Virtual_strings_cross_guards_into_bridges_and_resume()
    {
        var native = Run(StringSlices(), RunMode.Native, 1).Output;
        var log = new StringWriter();
        using var scope = EngineScope.Start(typeof(Vm), RunMode.Jit, threshold: 1, traceLog: log,
            parameters: new Dictionary<string, string> { ["trace_eagerness"] = "1" });
        var output = new Output();
        long result = Vm.Run(StringSlices(), output);
        Assert.That(output + "result " + result + "\n", Is.EqualTo(native));
        Assert.That(scope.Statistics.BridgesCompiled, Is.GreaterThan(0), "bridges compiled");
        var loop = OptimizedLoops(log.ToString()).First();
        var preamble = loop[..loop.IndexOf("label(", loop.IndexOf("label(") + 1)];
        Assert.That(Occurrences(preamble, "descr=RString.Slice"), Is.EqualTo(1), preamble);
        Assert.That(Occurrences(preamble, "descr=String.Concat"), Is.EqualTo(0), preamble);
    }

    private static int Occurrences(string text, string what) => (text.Length - text.Replace(what, "").Length) / what.Length;

    /// <summary>The optimized loops of a trace log, each as its text.</summary>
    private static IEnumerable<string> OptimizedLoops(string log)
    {
        var parts = log.Split("[metajit] ");
        return parts.Where(p => p.StartsWith("loop (optimized)", StringComparison.Ordinal));
    }

    /// <summary>Every program above, for the per-pass runs.</summary>
    public static IEnumerable<TestCaseData> ProgramsAndPasses()
    {
        var programs = new (string Name, Func<EngineCorpus.Program> Make)[]
        {
            ("deep calls", () => DeepCalls(300, 250)), ("a flipping branch", () => FlippingBranch(400, 100)),
            ("a throwing helper", () => Throwing(Fn.Check)), ("a catching helper", () => Throwing(Fn.Safe)),
            ("too many pops", PopTooMany), ("three nested loops", NestedLoops),
            ("a scale written natively", ScaleSetBetweenTwoRuns), ("a scale written by a residual call", ScaleChangedByAResidualCall),
            ("an exception caught every iteration", () => CatchingEveryIteration(Fn.Safe)),
            ("a residual exception caught every iteration", () => CatchingEveryIteration(Fn.CatchResidual)),
            ("a null dereference caught every other iteration", () => CatchingEveryIteration(Fn.CatchNull)),
            ("a division by zero caught every other iteration", () => CatchingEveryIteration(Fn.CatchDivide)),
            ("string slices", StringSlices),
        };
        foreach (var (name, make) in programs)
            foreach (var opts in MetaJit.Engine.Optimizer.OptimizerOptions.Names.Append("none"))
                yield return new TestCaseData(make, opts).SetName(opts == "none"
                    ? $"The program with {name} prints what it prints natively with no optimizer pass"
                    : $"The program with {name} prints what it prints natively with only the {opts} pass");
    }

    [TestCaseSource(nameof(ProgramsAndPasses))]
    public void Program_compiled_with_one_pass_prints_what_it_prints_natively(Func<EngineCorpus.Program> make, string opts)
    {
        var native = Run(make(), RunMode.Native, 1).Output;
        using var scope = EngineScope.Start(typeof(Vm), RunMode.Jit, threshold: 1, opts);
        var output = new Output();
        long result = Vm.Run(make(), output);
        Assert.That(output + "result " + result + "\n", Is.EqualTo(native));
        AssertCompiledAndEntered(scope.Statistics);
    }

    private static void AssertCompiledAndEntered(JitStatistics stats)
    {
        Assert.That(stats.LoopsCompiled, Is.GreaterThan(0), "loops compiled");
        Assert.That(stats.LoopEntries, Is.GreaterThan(0), "compiled loops entered");
    }

    /// <summary>Runs natively and in <paramref name="mode"/>; asserts the same output; returns the mode's statistics.</summary>
    private static JitStatistics AssertSameAsNative(EngineCorpus.Program program, RunMode mode, int threshold)
    {
        var native = Run(program, RunMode.Native, threshold).Output;
        var (output, stats) = Run(program, mode, threshold);
        Assert.That(output, Is.EqualTo(native));
        if (mode == RunMode.Blackhole) Assert.That(stats.BlackholeRuns, Is.GreaterThan(0), "the blackhole ran the portal");
        return stats;
    }

    /// <summary>As above for programs whose settings a run changes: each run gets a fresh program.</summary>
    private static JitStatistics AssertSameAsNative(Func<EngineCorpus.Program> make, RunMode mode, int threshold)
    {
        var native = Run(make(), RunMode.Native, threshold).Output;
        var (output, stats) = Run(make(), mode, threshold);
        Assert.That(output, Is.EqualTo(native));
        if (mode == RunMode.Blackhole) Assert.That(stats.BlackholeRuns, Is.GreaterThan(0), "the blackhole ran the portal");
        return stats;
    }

    /// <summary>Everything the program printed and its result, and the engine's statistics.</summary>
    private static (string Output, JitStatistics Stats) Run(EngineCorpus.Program program, RunMode mode, int threshold)
    {
        using var scope = EngineScope.Start(typeof(Vm), mode, threshold);
        var output = new Output();
        long result = Vm.Run(program, output);
        return (output + "result " + result + "\n", scope.Statistics);
    }
}
