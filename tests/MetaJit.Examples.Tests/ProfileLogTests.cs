using System.Text.RegularExpressions;
using MetaJit.Engine.Runtime;
using MetaJit.Examples.Brainfuck;

namespace MetaJit.Examples.Tests;

/// <summary><c>METAJIT_LOG=profile</c>: per key, the backward jumps the interpreter ran, the key's state and the
/// entries into compiled code (<see cref="JitProfile"/>, <see cref="JitCell.Jumps"/>, <see cref="JitCell.Entries"/>).</summary>
[TestFixture]
[NonParallelizable]
public class ProfileLogTests
{
    // Two loops stepping by 2 (so they stay loops, not multiply-adds): 100 and 20 iterations, 99 and 19 backward jumps.
    private const string TwoLoops = "++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++" +
                                    "++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++" +
                                    "[-->+<]>>\n++++++++++++++++++++++++++++++++++++++++[-->+<]";

    private static (List<string> Lines, List<JitCell> Cells) Profile(int threshold)
    {
        using var scope = EngineScope.Start(typeof(BfInterpreter), RunMode.Jit, threshold);
        BfInterpreter.Run(BfProgram.Parse(TwoLoops), new BfIo(new MemoryStream(), new MemoryStream()));
        var engine = scope.Engine!;
        return (JitProfile.Lines(engine.Portals).ToList(), engine.Portals.SelectMany(p => p.AllCells).Where(c => c.Jumps > 0).ToList());
    }

    [Test]
    public void The_profile_counts_each_keys_interpreted_backward_jumps()
    {
        var (lines, cells) = Profile(threshold: 1_000_000);
        Assert.That(cells.Select(c => c.Jumps).OrderBy(j => j), Is.EqualTo(new long[] { 19, 99 }));
        Assert.That(cells.All(c => c.Entries == 0 && c.State == JitCellState.Counting), Is.True);
        Assert.That(lines[0], Is.EqualTo("[metajit] profile of BfInterpreter.Driver: 118 interpreted jumps at 2 keys, 0 entries into compiled code"));
        Assert.That(lines[1], Does.Contain("jumps").And.Contain("entries").And.Contain("location"));
        Assert.That(lines[2], Does.Match(@"^\s+99\s+83\.9%\s+counting\s+0\s+0\s+pc=\d+ line 1 add -2$"), "the hottest key first, with its location");
        Assert.That(lines[3], Does.Match(@"^\s+19\s+16\.1%\s+counting\s+0\s+0\s+pc=\d+ line 2 add -2$"));
        Assert.That(lines, Has.Count.EqualTo(4));
    }

    [Test]
    public void A_compiled_key_shows_its_entries_and_fewer_interpreted_jumps()
    {
        var (lines, cells) = Profile(threshold: 3);
        var hot = cells.OrderByDescending(c => c.Entries).First();
        Assert.That(hot.State, Is.EqualTo(JitCellState.Compiled));
        Assert.That(hot.Entries, Is.GreaterThan(0));
        Assert.That(cells.Sum(c => c.Jumps), Is.LessThan(118), "iterations run by compiled code are not interpreted jumps");
        Assert.That(lines.Any(l => Regex.IsMatch(l, @"\s+compiled\s+[1-9]")), Is.True, string.Join("\n", lines));
    }

    [Test]
    public void A_run_that_counted_nothing_says_so()
    {
        using (var scope = EngineScope.Start(typeof(BfInterpreter), RunMode.Native))
        {
            BfInterpreter.Run(BfProgram.Parse(TwoLoops), new BfIo(new MemoryStream(), new MemoryStream()));
            Assert.That(scope.Engine, Is.Null, "native mode attaches no engine");
        }
        Assert.That(JitProfile.Lines(Array.Empty<PortalRuntime>()).Single(), Does.StartWith("[metajit] profile: nothing counted"));
    }
}
