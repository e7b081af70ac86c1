using EngineCorpus;
using MetaJit.Engine.Runtime;

namespace MetaJit.Examples.Tests;

/// <summary>
/// Recursive portals, on <see cref="RecursiveVm"/> (the stack machine whose calls call its portal): the
/// programs of <see cref="VirtualizableTests"/> print what <see cref="StackVm"/> prints natively, on the
/// blackhole and under the JIT, with every optimizer pass and with each recursion depth the tracer may
/// inline; recursion without a loop is compiled from its function entry (traces that end in finish).
/// </summary>
[TestFixture]
[NonParallelizable]
public class RecursivePortalTests
{
    private static readonly (string Name, Func<SProgram> Make)[] Programs =
    {
        ("a loop on frame slots", () => VirtualizableTests.SumLoop(300)),
        ("deep calls with a branch that flips", () => VirtualizableTests.DeepCalls(400, 150)),
        ("fib", () => VirtualizableTests.Fib(15)),
        ("residual frame access", () => VirtualizableTests.ResidualFrameAccess(200)),
        ("a failing callee", () => VirtualizableTests.Failing(300, 200)),
    };

    public static IEnumerable<TestCaseData> Cases()
    {
        foreach (var (name, make) in Programs)
        {
            yield return new TestCaseData(make, RunMode.Blackhole, 1, "3").SetName($"The recursive vm runs {name} on the blackhole as natively");
            foreach (int threshold in new[] { 1, 2, 7 })
                foreach (var unroll in new[] { "1", "3" })
                    yield return new TestCaseData(make, RunMode.Jit, threshold, unroll)
                        .SetName($"The recursive vm runs {name} under the jit at threshold {threshold}, max_unroll_recursion {unroll}, as natively");
        }
    }

    [TestCaseSource(nameof(Cases))]
    public void Runs_as_the_explicit_frame_vm_does_natively(Func<SProgram> make, RunMode mode, int threshold, string unroll)
    {
        var expected = Run(typeof(StackVm), make(), RunMode.Native, 1, "3", out _);
        var output = Run(typeof(RecursiveVm), make(), mode, threshold, unroll, out var stats);
        Assert.That(output, Is.EqualTo(expected));
        if (mode == RunMode.Jit)
        {
            Assert.That(stats.LoopsCompiled, Is.GreaterThan(0));
            // At threshold 1 the entry of main is traced first, and the whole recursion under it runs (natively)
            // while that one trace records: nothing is left to enter. Higher thresholds must enter.
            if (threshold > 1) Assert.That(stats.LoopEntries, Is.GreaterThan(0));
        }
    }

    public static IEnumerable<TestCaseData> PassCases()
    {
        foreach (var (name, make) in Programs)
            foreach (var opts in MetaJit.Engine.Optimizer.OptimizerOptions.Names.Append("none"))
                yield return new TestCaseData(make, opts).SetName($"The recursive vm runs {name} as natively with optimizer passes: {opts}");
    }

    [TestCaseSource(nameof(PassCases))]
    public void Runs_as_natively_with_each_optimizer_pass(Func<SProgram> make, string opts)
    {
        var expected = Run(typeof(StackVm), make(), RunMode.Native, 1, "3", out _);
        using var scope = EngineScope.Start(typeof(RecursiveVm), RunMode.Jit, threshold: 1, opts);
        var output = new Output();
        long result = RecursiveVm.Run(make(), output);
        Assert.That(output + "result " + result + "\n", Is.EqualTo(expected));
    }

    /// <summary>fib has no loop: its entry is the only trace anchor. The trace runs to the return (finish), the
    /// recursive calls deeper than max_unroll_recursion are not inlined: they become call_assembler (the callee's
    /// compiled code called directly) or, with call_assembler off, calls of the portal, which enter the compiled
    /// trace through its CanEnterJit. Either way compiled code is entered about once per such call.</summary>
    [TestCase("on", "call_assembler_i(")]
    [TestCase("off", "descr=RecursiveVm.Execute")]
    public void Recursion_without_a_loop_is_compiled_from_the_function_entry_and_entered_by_its_own_calls(string callAssembler, string recursiveCall)
    {
        var log = new StringWriter();
        JitStatistics stats;
        string output;
        using (var scope = EngineScope.Start(typeof(RecursiveVm), RunMode.Jit, threshold: 50, traceLog: log,
                   parameters: new Dictionary<string, string> { ["max_unroll_recursion"] = "1", ["call_assembler"] = callAssembler, ["specialize_calls"] = "off" }))
        {
            var o = new Output();
            long result = RecursiveVm.Run(VirtualizableTests.Fib(18), o);
            output = o + "result " + result + "\n";
            stats = scope.Statistics;
        }
        Assert.That(output, Is.EqualTo("2584\nresult 0\n"));
        Assert.That(log.ToString(), Does.Contain("finish("), "a trace ends where the function returns");
        Assert.That(log.ToString(), Does.Contain(recursiveCall), "how deeper calls are made");
        if (callAssembler == "on") AssertCalleeSlotsNotWritten(log.ToString());
        Assert.That(stats.LoopEntries, Is.GreaterThan(2000), "fib(18) makes 8361 calls; most enter compiled code");
    }

    /// <summary>
    /// With specialized entries (the default), a recursive call passes the new frame's fields, not the frame: the
    /// function's entry is compiled a second time for frames made by the caller, which its own calls then call too.
    /// No optimized trace allocates a frame for a call, and the output is the same.
    /// </summary>
    [Test]
    public void Recursion_calls_a_specialized_entry_without_allocating_the_callee_frame()
    {
        var log = new StringWriter();
        JitStatistics stats;
        string output;
        using (var scope = EngineScope.Start(typeof(RecursiveVm), RunMode.Jit, threshold: 50, traceLog: log,
                   parameters: new Dictionary<string, string> { ["max_unroll_recursion"] = "1", ["background_compile"] = "off" }))
        {
            var o = new Output();
            long result = RecursiveVm.Run(VirtualizableTests.Fib(18), o);
            output = o + "result " + result + "\n";
            stats = scope.Statistics;
        }
        Assert.That(output, Is.EqualTo("2584\nresult 0\n"));
        Assert.That(stats.SpecializedEntriesCompiled, Is.EqualTo(1));
        Assert.That(log.ToString(), Does.Contain("specialized entry (optimized)"));
        // (The trace printer spells the descr's name without spaces and braces.)
        var specializedCalls = System.Text.RegularExpressions.Regex.Matches(log.ToString(), @"call_assembler_i\([^\n]*descr=call_assembler\S*\[SFrame_");
        Assert.That(specializedCalls.Count, Is.GreaterThan(0), "calls pass the frame's fields:\n" + log);
        var entry = log.ToString().Split("[metajit] ").Single(t => t.StartsWith("specialized entry (optimized)", StringComparison.Ordinal));
        Assert.That(entry, Does.Not.Contain("new_with_vtable(descr=SFrame)"), "the specialized entry allocates no frame, neither its own nor its callees'");
        Assert.That(stats.DirectCallEntries, Is.GreaterThan(2000), "fib(18) makes 8361 calls; most run the specialized code");
    }

    /// <summary>In the optimized traces, the frame a call_assembler passes was allocated with its slot array but
    /// no item written into it: the callee takes the slots from the call's arguments.</summary>
    private static void AssertCalleeSlotsNotWritten(string log)
    {
        int checkedCalls = 0;
        foreach (var trace in log.Split("[metajit] ").Where(t => t.Contains("(optimized)", StringComparison.Ordinal)))
        {
            var lines = trace.Split('\n');
            for (int i = 0; i < lines.Length; i++)
            {
                var call = System.Text.RegularExpressions.Regex.Match(lines[i], @"call_assembler_\w\((p\d+),");
                if (!call.Success) continue;
                string frame = call.Groups[1].Value;
                var slots = lines.Take(i).Select(l => System.Text.RegularExpressions.Regex.Match(l, $@"setfield_gc\({frame}, (p\d+), descr=SFrame\.Slots\)"))
                    .LastOrDefault(m => m.Success);
                Assert.That(slots, Is.Not.Null, $"the frame {frame} passed to call_assembler is allocated in the trace:\n{trace}");
                string array = slots!.Groups[1].Value;
                Assert.That(lines.Take(i).Any(l => l.StartsWith($"setarrayitem_gc({array},", StringComparison.Ordinal)), Is.False,
                    $"no item of {array} is written before the call:\n{trace}");
                checkedCalls++;
            }
        }
        Assert.That(checkedCalls, Is.GreaterThan(0));
    }

    private static string Run(Type vm, SProgram program, RunMode mode, int threshold, string unroll, out JitStatistics stats)
    {
        using var scope = EngineScope.Start(vm, mode, threshold, parameters: new Dictionary<string, string> { ["max_unroll_recursion"] = unroll });
        var output = new Output();
        long result = vm == typeof(StackVm) ? StackVm.Run(program, output) : RecursiveVm.Run(program, output);
        stats = scope.Statistics;
        return output + "result " + result + "\n";
    }
}
