using MetaJit.Examples.Brainfuck;

namespace MetaJit.Examples.Tests;

/// <summary>Differential: every bundled program prints the same natively, on the blackhole and under the JIT.</summary>
[TestFixture]
[NonParallelizable]
public class BrainfuckModesTests
{
    public static IEnumerable<TestCaseData> Cases()
    {
        foreach (var name in BrainfuckPrograms.Small())
        {
            yield return new TestCaseData(name, RunMode.Blackhole, 1039).SetName($"{name} on the blackhole");
            foreach (var threshold in new[] { 1, 2, 1039 })
                yield return new TestCaseData(name, RunMode.Jit, threshold).SetName($"{name} jit threshold {threshold}");
        }
    }

    [TestCaseSource(nameof(Cases))]
    public void Program_prints_what_it_prints_natively(string name, RunMode mode, int threshold)
    {
        using var scope = EngineScope.Start(typeof(BfInterpreter), mode, threshold);
        var (exit, stdout, stderr) = BrainfuckPrograms.Run(name);
        Assert.That(stderr, Is.Empty);
        Assert.That(exit, Is.Zero);
        Assert.That(stdout, Is.EqualTo(BrainfuckPrograms.Expected(name)));
        var stats = scope.Statistics;
        if (!BrainfuckPrograms.HasLoops(name))
        {
            Assert.That(stats.LoopsCompiled + stats.TracesAborted + stats.BlackholeRuns, Is.Zero, "nothing to compile");
        }
        else if (mode == RunMode.Blackhole)
        {
            Assert.That(stats.BlackholeRuns, Is.GreaterThan(0), "the blackhole ran the portal");
        }
        else if (threshold <= 2)
        {
            Assert.That(stats.LoopsCompiled, Is.GreaterThan(0), "loops compiled");
            Assert.That(stats.LoopEntries, Is.GreaterThan(0), "compiled loops entered");
        }
    }

    public static IEnumerable<TestCaseData> BackgroundCases() =>
        BrainfuckPrograms.Small().Select(name => new TestCaseData(name).SetName($"{name} jit threshold 1, everything compiled in the background"));

    [TestCaseSource(nameof(BackgroundCases))]
    public void Program_prints_the_same_when_loops_and_bridges_are_compiled_in_the_background(string name)
    {
        // Loops interpreted and guards failing into the blackhole until their code is installed, whenever that is.
        var parameters = new Dictionary<string, string> { ["trace_eagerness"] = "2", ["background_compile"] = "all" };
        using var scope = EngineScope.Start(typeof(BfInterpreter), RunMode.Jit, threshold: 1, parameters: parameters);
        var (exit, stdout, stderr) = BrainfuckPrograms.Run(name);
        Assert.That(stderr, Is.Empty);
        Assert.That(exit, Is.Zero);
        Assert.That(stdout, Is.EqualTo(BrainfuckPrograms.Expected(name)));
    }

    // Programs whose bridges run enough at these settings that some loop is recompiled as a tree.
    // (nested and primes had trees too, before their inner loops became multiply-adds; the fuzzer's programs get trees.)
    private static readonly string[] ProgramsWithTrees = ["squares"];

    public static IEnumerable<TestCaseData> TreeCases() =>
        BrainfuckPrograms.Small().Select(name => new TestCaseData(name).SetName($"{name} jit threshold 1, loops recompiled as trees"));

    [TestCaseSource(nameof(TreeCases))]
    public void Program_prints_the_same_when_loops_are_recompiled_with_their_bridges(string name)
    {
        // Bridges after 2 failures, trees after one bridge run per op: every program gets bridges and most get trees
        // (compiled at once, so these short runs count them).
        var parameters = new Dictionary<string, string> { ["trace_eagerness"] = "2", ["tree_eagerness"] = "1", ["background_compile"] = "off" };
        using var scope = EngineScope.Start(typeof(BfInterpreter), RunMode.Jit, threshold: 1, parameters: parameters);
        var (exit, stdout, stderr) = BrainfuckPrograms.Run(name);
        Assert.That(stderr, Is.Empty);
        Assert.That(exit, Is.Zero);
        Assert.That(stdout, Is.EqualTo(BrainfuckPrograms.Expected(name)));
        if (ProgramsWithTrees.Contains(name)) Assert.That(scope.Statistics.TreesCompiled, Is.GreaterThan(0), "trees compiled");
    }

    // mandel runs for seconds; what it compiles in the background is ready within milliseconds.
    [TestCase("trees")]
    [TestCase("all")]
    public void Mandel_under_the_jit_compiles_and_enters_loops_and_bridges(string backgroundCompile)
    {
        var parameters = new Dictionary<string, string> { ["background_compile"] = backgroundCompile };
        using var scope = EngineScope.Start(typeof(BfInterpreter), RunMode.Jit, threshold: 1039, parameters: parameters);
        var (exit, stdout, _) = BrainfuckPrograms.Run("mandel");
        Assert.That(exit, Is.Zero);
        Assert.That(stdout, Is.EqualTo(BrainfuckPrograms.Expected("mandel")));
        Assert.That(scope.Statistics.LoopsCompiled, Is.GreaterThan(0));
        Assert.That(scope.Statistics.LoopEntries, Is.GreaterThan(0));
        Assert.That(scope.Statistics.BridgesCompiled, Is.GreaterThan(0));
        Assert.That(scope.Statistics.TreesCompiled, Is.GreaterThan(0));
        Assert.That(scope.Statistics.BackgroundCompilingTime, Is.GreaterThan(TimeSpan.Zero));
    }
}
