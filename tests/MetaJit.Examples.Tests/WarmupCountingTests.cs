using MetaJit.Examples.Brainfuck;

namespace MetaJit.Examples.Tests;

/// <summary>
/// Warm-up counting through the CanEnterJit hook: each green key counts its own backward jumps, tracing starts at
/// exactly the threshold, and counters decay at compilations. The hook's fast paths (a cache of recent cells
/// indexed by the first green, and quiet counting far from the threshold) must not change any of it.
/// Loops here are <c>[--&gt;+&lt;]</c> on a cell holding 2n: n iterations, n - 1 backward jumps (a step of 1 would
/// make the loop a multiply-add, with no backward jump).
/// </summary>
[TestFixture]
[NonParallelizable]
public class WarmupCountingTests
{
    private const int Threshold = 50;

    private static (Dictionary<long, int> Counters, MetaJit.Engine.Runtime.JitStatistics Stats) RunJit(string source, string decay = "40")
    {
        var path = Path.Combine(Path.GetTempPath(), $"metajit-warmup-{Guid.NewGuid():N}.b");
        File.WriteAllText(path, source);
        try
        {
            using var scope = EngineScope.Start(typeof(BfInterpreter), RunMode.Jit, Threshold,
                parameters: new Dictionary<string, string> { ["decay"] = decay });
            var stdout = new MemoryStream();
            var stderr = new StringWriter();
            int exit = BfMain.Run(path, new MemoryStream(), stdout, stderr);
            Assert.That(stderr.ToString(), Is.Empty);
            Assert.That(exit, Is.Zero);
            // Each key's counter at the end, by its pc (the first green).
            var counters = scope.Engine!.Portals.SelectMany(p => p.AllCells).ToDictionary(c => (long)c.Green(0)!, c => c.Counter);
            return (counters, scope.Statistics);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static string Loop(int n) => new string('+', 2 * n) + "[-->+<]";

    private static int TracesStarted(MetaJit.Engine.Runtime.JitStatistics stats) => stats.LoopsCompiled + stats.TracesAborted;

    [TestCase(Threshold, 0, TestName = "threshold - 1 backward jumps start no trace")]
    [TestCase(Threshold + 1, 1, TestName = "threshold backward jumps start one trace")]
    [TestCase(Threshold + 20, 1, TestName = "threshold + 19 backward jumps start one trace")]
    public void A_key_is_traced_at_exactly_the_threshold(int n, int traces)
    {
        var (_, stats) = RunJit(Loop(n));
        Assert.That(TracesStarted(stats), Is.EqualTo(traces));
    }

    [Test]
    public void Keys_that_share_a_recent_cell_entry_count_apart()
    {
        // Loop A and loop B have keys (pcs) 1024 apart, the recent-cell cache's size: they share an entry and
        // evict each other. Each makes 30 backward jumps: together 60 >= 50, apart neither is hot.
        var a = Loop(31); // ops: Add, [, -, >, +, <, ]; key: the pc after '['
        Assert.That(BfProgram.Parse(a).Length, Is.EqualTo(7));
        // Between the loops: 127 x 8 ops that leave every cell as it was, then a clear of the (zero) cell: 1 op.
        var source = a + string.Concat(Enumerable.Repeat("+>+<->-<", 127)) + "[-]" + a;
        var pcs = LoopKeys(BfProgram.Parse(source));
        Assert.That(pcs, Has.Count.EqualTo(2));
        Assert.That(pcs[1] - pcs[0], Is.EqualTo(1024), "the two keys share an entry of the recent-cell cache");

        var (_, stats) = RunJit(source);
        Assert.That(TracesStarted(stats), Is.Zero, "neither loop reached the threshold on its own");

        var (_, once) = RunJit(Loop(61));
        Assert.That(TracesStarted(once), Is.EqualTo(1), "control: one loop with 60 jumps is traced");
    }

    [Test]
    public void A_compilation_decays_counters_that_are_counting_quietly()
    {
        // The outer loop runs twice. Each time loop A makes 30 backward jumps (60 in all, past the threshold);
        // between them loop C (79 jumps) is compiled, which decays A's counter by 40%: 30 * 0.6 + 30 = 48 < 50.
        var source = "++[>" + Loop(31) + ">>" + Loop(80) + "<<<-]";
        var (counters, decayed) = RunJit(source, decay: "40");
        Assert.That(decayed.LoopsCompiled, Is.EqualTo(1), "only loop C: A's counter decayed below the threshold");
        var keyOfA = LoopKeys(BfProgram.Parse(source))[0]; // keys by the pc of each loop's end: A, C, the outer loop
        Assert.That(counters[keyOfA], Is.EqualTo(48), "A's 30 jumps decayed to 18 when C was compiled, then 30 more");
        var (_, kept) = RunJit(source, decay: "0");
        Assert.That(kept.LoopsCompiled, Is.EqualTo(2), "without decay A reaches the threshold on the second run");
    }

    private static List<int> LoopKeys(BfProgram program)
    {
        var keys = new List<int>();
        for (int pc = 0; pc < program.Length; pc++)
            if (program.Ops[pc] == BfOp.JumpIfNonZero) keys.Add(program.Args[pc]);
        return keys;
    }
}
