using System.Text.RegularExpressions;
using MetaJit.Engine.Runtime;
using MetaJit.Examples.Brainfuck;

namespace MetaJit.Examples.Tests;

/// <summary><c>METAJIT_LOG=code</c>: the backend's code (IL for the CIL backend) of every loop, bridge and tree.</summary>
[TestFixture]
[NonParallelizable]
public class CodeLogTests
{
    [Test]
    public void The_code_of_every_loop_bridge_and_tree_is_logged()
    {
        var log = new StringWriter();
        // Bridges after 2 failures and trees after one bridge run per op (compiled at once), so squares.b gets all three.
        var parameters = new Dictionary<string, string> { ["trace_eagerness"] = "2", ["tree_eagerness"] = "1", ["background_compile"] = "off" };
        JitStatistics stats;
        using (var scope = EngineScope.Start(typeof(BfInterpreter), RunMode.Jit, threshold: 1, traceLog: log,
                   parameters: parameters, logFlags: LogFlags.Code))
        {
            var (exit, stdout, _) = BrainfuckPrograms.Run("squares");
            Assert.That(exit, Is.Zero);
            Assert.That(stdout, Is.EqualTo(BrainfuckPrograms.Expected("squares")));
            stats = scope.Statistics;
        }
        var text = log.ToString();
        Assert.That(stats.TreesCompiled, Is.GreaterThan(0), "the settings above make trees");
        Assert.That(Count(text, @"^\[metajit\] code of loop: "), Is.EqualTo(stats.LoopsCompiled));
        Assert.That(Count(text, @"^\[metajit\] code of bridge: "), Is.EqualTo(stats.BridgesCompiled));
        Assert.That(Count(text, @"^\[metajit\] code of tree: "), Is.EqualTo(stats.TreesCompiled));
        Assert.That(Count(text, @"^-- method \d+$"), Is.GreaterThanOrEqualTo(stats.LoopsCompiled + stats.BridgesCompiled + stats.TreesCompiled));
        Assert.That(text, Does.Contain("ldarg.2").And.Contain("ret"), "IL instructions, one per line");
        Assert.That(text, Does.Not.Contain("(recorded)"), "traces are another flag");
    }

    private static int Count(string text, string pattern) => Regex.Matches(text, pattern, RegexOptions.Multiline).Count;
}
