using EngineCorpus;
using MetaJit.Engine.Runtime;

namespace MetaJit.Examples.Tests;

/// <summary>
/// The virtualizable frame, on the stack machine of tests/EngineCorpus (<see cref="StackVm"/>, whose
/// <see cref="SFrame"/> is <c>[Virtualizable("Sp", "Acc", "Slots[*]")]</c>): every program runs natively, on
/// the blackhole and under the JIT at thresholds 1 and 2 and must print the same; statistics show the JIT
/// compiled and entered loops; one test reads the optimized trace to see the frame kept in registers.
/// </summary>
[TestFixture]
[NonParallelizable]
public class VirtualizableTests
{
    public static IEnumerable<TestCaseData> Modes()
    {
        yield return new TestCaseData(RunMode.Blackhole, 1).SetName("{m} on the blackhole");
        yield return new TestCaseData(RunMode.Jit, 1).SetName("{m} under the jit at threshold 1");
        yield return new TestCaseData(RunMode.Jit, 2).SetName("{m} under the jit at threshold 2");
    }

    /// <summary>Locals of main: 0 loop counter, 1 its bound, 2 accumulator, 3 scratch.</summary>
    private const int I = 0, N = 1, Acc = 2, T = 3;

    private static SFunction MainFunction(Action<StackAssembler> body) =>
        body.Apply(new StackAssembler()).Op(SOp.Load, Acc).Op(SOp.Print).Op(SOp.Push, 0).Op(SOp.Ret).Build(4, 9);

    /// <summary>acc += i for i below n; prints acc once at the end (no call in the loop).</summary>
    public static SProgram SumLoop(int n) => new(new[]
    {
        MainFunction(a => a.Op(SOp.Push, n).Op(SOp.Store, N)
            .For(I, N, b => b.Op(SOp.Load, Acc).Op(SOp.Load, I).Op(SOp.Add).Op(SOp.Store, Acc))),
    });

    /// <summary>g(x) = x &lt; limit ? x : -x, f(x) = g(x) + 1; main prints acc += f(i) every iteration: calls that
    /// switch frames, a branch two calls deep that flips at <paramref name="limit"/>, a residual print each time.</summary>
    public static SProgram DeepCalls(int n, int limit) => new(new[]
    {
        MainFunction(a => a.Op(SOp.Push, n).Op(SOp.Store, N)
            .For(I, N, b => b.Op(SOp.Load, Acc).Op(SOp.Load, I).Op(SOp.Call, 1, 1).Op(SOp.Add).Op(SOp.Store, Acc)
                .Op(SOp.Load, Acc).Op(SOp.Print))),
        new StackAssembler().Op(SOp.Load, 0).Op(SOp.Call, 2, 1).Op(SOp.Push, 1).Op(SOp.Add).Op(SOp.Ret).Build(1, 4),
        new StackAssembler().Op(SOp.Load, 0).Op(SOp.Push, limit).Op(SOp.Lt).To(SOp.JumpIfZero, "neg")
            .Op(SOp.Load, 0).Op(SOp.Ret)
            .Label("neg").Op(SOp.Push, 0).Op(SOp.Load, 0).Op(SOp.Sub).Op(SOp.Ret).Build(1, 4),
    });

    /// <summary>fib(n) by recursion: traces start at a function's entry and close with another frame.</summary>
    public static SProgram Fib(int n) => new(new[]
    {
        new StackAssembler().Op(SOp.Push, n).Op(SOp.Call, 1, 1).Op(SOp.Print).Op(SOp.Push, 0).Op(SOp.Ret).Build(0, 3),
        new StackAssembler().Op(SOp.Load, 0).Op(SOp.Push, 2).Op(SOp.Lt).To(SOp.JumpIfZero, "rec")
            .Op(SOp.Load, 0).Op(SOp.Ret)
            .Label("rec").Op(SOp.Load, 0).Op(SOp.Push, 1).Op(SOp.Sub).Op(SOp.Call, 1, 1)
            .Op(SOp.Load, 0).Op(SOp.Push, 2).Op(SOp.Sub).Op(SOp.Call, 1, 1).Op(SOp.Add).Op(SOp.Ret).Build(1, 5),
    });

    /// <summary>Each iteration a residual call writes local 3 and the frame's Acc field, another reads every
    /// slot of the frame; the loop then uses what they wrote.</summary>
    public static SProgram ResidualFrameAccess(int n) => new(new[]
    {
        MainFunction(a => a.Op(SOp.Push, n).Op(SOp.Store, N)
            .For(I, N, b => b.Op(SOp.Load, I).Op(SOp.Poke, T).Op(SOp.Push, 7).Op(SOp.SumFrame).Op(SOp.Add).Op(SOp.Print)
                .Op(SOp.Load, Acc).Op(SOp.Load, T).Op(SOp.Add).Op(SOp.Acc).Op(SOp.Add).Op(SOp.Store, Acc))),
    });

    /// <summary>acc += f(i) where f fails (throws) when its argument reaches <paramref name="failAt"/>.</summary>
    public static SProgram Failing(int n, int failAt) => new(new[]
    {
        MainFunction(a => a.Op(SOp.Push, n).Op(SOp.Store, N)
            .For(I, N, b => b.Op(SOp.Load, Acc).Op(SOp.Load, I).Op(SOp.Call, 1, 1).Op(SOp.Add).Op(SOp.Store, Acc))),
        new StackAssembler().Op(SOp.Load, 0).Op(SOp.FailIf, failAt).Op(SOp.Load, 0).Op(SOp.Load, 0).Op(SOp.Add).Op(SOp.Ret).Build(1, 4),
    });

    [TestCaseSource(nameof(Modes))]
    public void A_loop_on_frame_slots_prints_what_it_prints_natively(RunMode mode, int threshold) =>
        AssertCompiledIfJit(AssertSameAsNative(() => SumLoop(500), mode, threshold), mode);

    [TestCaseSource(nameof(Modes))]
    public void Calls_that_switch_frames_and_a_guard_failing_two_calls_deep_keep_every_frame_right(RunMode mode, int threshold)
    {
        var stats = AssertSameAsNative(() => DeepCalls(400, 150), mode, threshold);
        AssertCompiledIfJit(stats, mode);
        if (mode == RunMode.Jit) Assert.That(stats.GuardFailures, Is.GreaterThan(0), "the branch in g failed its guard");
    }

    [TestCaseSource(nameof(Modes))]
    public void Recursion_that_closes_traces_on_another_frame_prints_what_it_prints_natively(RunMode mode, int threshold) =>
        AssertCompiledIfJit(AssertSameAsNative(() => Fib(16), mode, threshold), mode);

    [TestCaseSource(nameof(Modes))]
    public void Residual_calls_that_read_and_write_the_frame_see_and_leave_its_current_fields(RunMode mode, int threshold) =>
        AssertCompiledIfJit(AssertSameAsNative(() => ResidualFrameAccess(300), mode, threshold), mode);

    [TestCaseSource(nameof(Modes))]
    public void An_exception_leaving_a_compiled_loop_reaches_the_portals_caller(RunMode mode, int threshold)
    {
        var (output, stats) = Run(Failing(400, 250), mode, threshold);
        Assert.That(output, Does.EndWith("error: failed at 1\nresult -1\n"));
        Assert.That(output, Is.EqualTo(Run(Failing(400, 250), RunMode.Native, threshold).Output));
        AssertCompiledIfJit(stats, mode);
    }

    /// <summary>Every program above with one optimizer pass at a time, and none.</summary>
    public static IEnumerable<TestCaseData> ProgramsAndPasses()
    {
        var programs = new (string Name, Func<SProgram> Make)[]
        {
            ("a loop on frame slots", () => SumLoop(300)), ("deep calls", () => DeepCalls(300, 100)),
            ("recursion", () => Fib(12)), ("residual frame access", () => ResidualFrameAccess(200)),
            ("a failing callee", () => Failing(300, 200)),
        };
        foreach (var (name, make) in programs)
            foreach (var opts in MetaJit.Engine.Optimizer.OptimizerOptions.Names.Append("none"))
                yield return new TestCaseData(make, opts).SetName(opts == "none"
                    ? $"The stack program with {name} prints what it prints natively with no optimizer pass"
                    : $"The stack program with {name} prints what it prints natively with only the {opts} pass");
    }

    [TestCaseSource(nameof(ProgramsAndPasses))]
    public void Stack_program_compiled_with_one_pass_prints_what_it_prints_natively(Func<SProgram> make, string opts)
    {
        var native = Run(make(), RunMode.Native, 1).Output;
        using var scope = EngineScope.Start(typeof(StackVm), RunMode.Jit, threshold: 1, opts);
        var output = new Output();
        long result = StackVm.Run(make(), output);
        Assert.That(output + "result " + result + "\n", Is.EqualTo(native));
        AssertCompiledIfJit(scope.Statistics, RunMode.Jit);
    }

    /// <summary>
    /// Traces aborted for length at every possible point (limits 1..120 ops): an abort must never make the
    /// blackhole run an instruction the tracer already ran for real (a residual call, then the frame re-read
    /// after it, used to hit the limit after the call had happened).
    /// </summary>
    [Test]
    public void Traces_aborted_for_length_anywhere_leave_the_program_running_as_natively()
    {
        var programs = new (string Name, Func<SProgram> Make)[]
        {
            ("residual frame access", () => ResidualFrameAccess(40)),
            ("deep calls", () => DeepCalls(40, 25)),
            ("fib", () => Fib(12)),
        };
        foreach (var (name, make) in programs)
        {
            var native = Run(make(), RunMode.Native, 1).Output;
            for (int limit = 1; limit <= 120; limit += 7)
            {
                using var scope = EngineScope.Start(typeof(StackVm), RunMode.Jit, threshold: 1);
                JitParams.Set("trace_limit", limit.ToString());
                var output = new Output();
                long result = StackVm.Run(make(), output);
                Assert.That(output + "result " + result + "\n", Is.EqualTo(native), $"{name}, trace_limit {limit}");
            }
        }
    }

    [Test]
    public void The_frames_fields_are_input_args_of_the_loop_and_no_heap_op_touches_them()
    {
        var log = new StringWriter();
        using (var scope = EngineScope.Start(typeof(StackVm), RunMode.Jit, threshold: 2, traceLog: log))
        {
            StackVm.Run(SumLoop(100), new Output());
            AssertCompiledIfJit(scope.Statistics, RunMode.Jit);
        }
        var text = log.ToString();
        int at = text.IndexOf("loop (optimized)", StringComparison.Ordinal);
        Assert.That(at, Is.GreaterThanOrEqualTo(0), text);
        var lines = text[at..].Split('\n').Skip(1).TakeWhile(l => l.Length > 0).ToArray();
        // [frame, output, Sp, Acc, 9 slots]
        Assert.That(lines[0].Split(',').Length, Is.EqualTo(2 + 2 + 9), lines[0]);
        var heap = lines.Where(l => l.Contains("descr=SFrame.Sp") || l.Contains("descr=SFrame.Acc")
                                    || l.Contains("arrayitem_gc") || l.Contains("setfield_gc")).ToArray();
        Assert.That(heap, Is.Empty, string.Join("\n", lines));
    }

    private static void AssertCompiledIfJit(JitStatistics stats, RunMode mode)
    {
        if (mode != RunMode.Jit) return;
        Assert.That(stats.LoopsCompiled, Is.GreaterThan(0), "loops compiled");
        Assert.That(stats.LoopEntries, Is.GreaterThan(0), "compiled loops entered");
    }

    private static JitStatistics AssertSameAsNative(Func<SProgram> program, RunMode mode, int threshold)
    {
        var native = Run(program(), RunMode.Native, threshold).Output;
        var (output, stats) = Run(program(), mode, threshold);
        Assert.That(output, Is.EqualTo(native));
        if (mode == RunMode.Blackhole) Assert.That(stats.BlackholeRuns, Is.GreaterThan(0), "the blackhole ran the portal");
        return stats;
    }

    private static (string Output, JitStatistics Stats) Run(SProgram program, RunMode mode, int threshold)
    {
        using var scope = EngineScope.Start(typeof(StackVm), mode, threshold);
        var output = new Output();
        long result = StackVm.Run(program, output);
        return (output + "result " + result + "\n", scope.Statistics);
    }
}

internal static class AssemblerExtensions
{
    public static StackAssembler Apply(this Action<StackAssembler> body, StackAssembler a)
    {
        body(a);
        return a;
    }
}
