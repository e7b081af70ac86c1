using MetaJit.Engine.Optimizer;
using MetaJit.Examples.Brainfuck;

namespace MetaJit.Examples.Tests;

/// <summary>Differential: every small program under the JIT (threshold 2) with each optimizer pass alone, and with none.</summary>
[TestFixture]
[NonParallelizable]
public class BrainfuckPassTests
{
    public static IEnumerable<TestCaseData> Cases()
    {
        foreach (var name in BrainfuckPrograms.Small().Where(BrainfuckPrograms.HasLoops))
            foreach (var opts in OptimizerOptions.Names.Append("none"))
                yield return new TestCaseData(name, opts)
                    .SetName(opts == "none"
                        ? $"{name} prints what it prints natively with no optimizer pass"
                        : $"{name} prints what it prints natively with only the {opts} pass");
    }

    [TestCaseSource(nameof(Cases))]
    public void Program_compiled_with_one_pass_prints_what_it_prints_natively(string name, string opts)
    {
        using var scope = EngineScope.Start(typeof(BfInterpreter), RunMode.Jit, threshold: 2, opts);
        var (exit, stdout, stderr) = BrainfuckPrograms.Run(name);
        Assert.That(stderr, Is.Empty);
        Assert.That(exit, Is.Zero);
        Assert.That(stdout, Is.EqualTo(BrainfuckPrograms.Expected(name)));
        Assert.That(scope.Statistics.LoopsCompiled, Is.GreaterThan(0), "loops compiled");
        Assert.That(scope.Statistics.LoopEntries, Is.GreaterThan(0), "compiled loops entered");
    }
}
