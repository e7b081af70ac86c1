namespace MetaJit.Lox.Tests;

/// <summary>
/// Globals written once are constants in traces (GlobalCell's quasi-immutable fields); the second write moves a
/// global to a plain field for good, invalidating what read it as a constant once, not once per write.
/// </summary>
public class GlobalCellTests
{
    private static readonly Dictionary<string, string> Threshold = new() { ["threshold"] = "50", ["background_compile"] = "off" };

    [Test]
    public void A_global_function_called_in_a_loop_is_a_constant_in_the_trace()
    {
        const string program = """
            fun twice(x) { return x * 2; }
            var total = 0;
            for (var i = 0; i < 500; i = i + 1) total = total + twice(i);
            print total;
            """;
        var log = new StringWriter();
        var jit = LoxRunner.Run(LoxMode.Jit, program, parameters: Threshold, traceLog: log);
        Assert.That(jit.Stdout, Is.EqualTo("249500\n"));
        Assert.That(jit.Statistics.LoopsCompiled, Is.GreaterThan(0));
        var optimized = OptimizedTraces(log.ToString());
        Assert.That(optimized, Does.Contain("guard_not_invalidated"));
        Assert.That(optimized, Does.Not.Contain("LoxClosure.Function"), "the callee is known: no load of its function, no guard on it");
        Assert.That(optimized, Does.Contain("GlobalCell._value"), "total is assigned in the loop: read and written as a plain field");
    }

    [Test]
    public void Rebinding_a_global_function_invalidates_the_loop_that_calls_it_once()
    {
        const string program = """
            fun f(x) { return x + 1; }
            fun g(x) { return x + 100; }
            var total = 0;
            for (var round = 0; round < 6; round = round + 1) {
              for (var i = 0; i < 300; i = i + 1) total = total + f(i);
              f = g;
            }
            print total;
            """;
        var native = LoxRunner.Run(LoxMode.Native, program);
        var jit = LoxRunner.Run(LoxMode.Jit, program, parameters: Threshold);
        Assert.That(jit.Stdout, Is.EqualTo(native.Stdout));
        Assert.That(native.Stdout, Is.EqualTo("419400\n"));
        Assert.That(jit.Statistics.LoopsInvalidated, Is.InRange(1, 2), "f's second write moves it to a plain field: later writes invalidate nothing");
    }

    [Test]
    public void A_global_written_in_a_hot_loop_invalidates_at_most_once()
    {
        const string program = """
            var count = 0;
            var last = nil;
            for (var i = 0; i < 2000; i = i + 1) {
              count = count + 1;
              last = i;
            }
            print count;
            print last;
            """;
        var jit = LoxRunner.Run(LoxMode.Jit, program, parameters: Threshold);
        Assert.That(jit.Stdout, Is.EqualTo("2000\n1999\n"));
        Assert.That(jit.Statistics.LoopsInvalidated, Is.LessThanOrEqualTo(1));
        Assert.That(jit.Statistics.LoopsCompiled, Is.LessThanOrEqualTo(2));
    }

    [Test]
    public void An_undefined_global_is_still_an_error_in_compiled_code()
    {
        const string program = """
            fun read() { return later; }
            for (var i = 0; i < 300; i = i + 1) {
              if (i == 299) read();
            }
            """;
        var native = LoxRunner.Run(LoxMode.Native, program);
        var jit = LoxRunner.Run(LoxMode.Jit, program, parameters: Threshold);
        Assert.That(native.Stderr, Does.StartWith("Undefined variable 'later'."));
        Assert.That((jit.Stdout, jit.Stderr, jit.ExitCode), Is.EqualTo((native.Stdout, native.Stderr, native.ExitCode)));
    }

    /// <summary>The optimized traces of a trace log (what runs), without the recorded ones.</summary>
    private static string OptimizedTraces(string log)
    {
        var pieces = log.Split("[metajit] ");
        return string.Join("\n", pieces.Where(p => p.Contains("(optimized)")));
    }
}
