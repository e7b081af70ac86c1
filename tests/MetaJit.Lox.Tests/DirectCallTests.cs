namespace MetaJit.Lox.Tests;

/// <summary>
/// A recursive function's tree calls its own method for its recursive calls (direct calls, docs/backend-cil.md):
/// output, errors and exit code stay the interpreter's, and the statistics show the calls went direct, as
/// frameless calls (arguments in the call site's argument frame, the result in the tree's context) unless
/// <c>frameless_calls</c> is off, and numbers coming back unboxed (the callee's new LoxNumber never made) unless
/// <c>unboxed_results</c> is off.
/// </summary>
[TestFixture]
public class DirectCallTests
{
    // Low thresholds and tree_eagerness 1, so the function's trace and its bridges become one tree early (compiled
    // at once, so the run is sure to use it).
    private static Dictionary<string, string> Params(string direct, string frameless = "on", string unboxed = "on") => new()
    {
        ["threshold"] = "50", ["function_threshold"] = "50", ["tree_eagerness"] = "1", ["direct_calls"] = direct,
        ["frameless_calls"] = frameless, ["unboxed_results"] = unboxed, ["background_compile"] = "off",
    };

    private const string Fib = """
        fun fib(n) { if (n < 2) return n; return fib(n - 2) + fib(n - 1); }
        var s = 0;
        for (var i = 0; i < 30; i = i + 1) s = s + fib(15);
        print s;
        """;

    // The base case turns into an error once the tree runs: the error leaves compiled callees, and the stack trace
    // names every level.
    private const string ErrorDeepInside = """
        fun f(n, boom) {
          if (n < 2) {
            if (boom and n == 1) return nil + 1;
            return n;
          }
          return f(n - 2, boom) + f(n - 1, boom);
        }
        var s = 0;
        for (var i = 0; i < 30; i = i + 1) s = s + f(15, false);
        print s;
        print f(12, true);
        """;

    // A string comes back from some calls: guards after the calls (and in the callees) fail, then it runs on.
    private const string ResultChangesType = """
        fun g(n, k) {
          if (n < 2) {
            if (n == k) return "x";
            return 1;
          }
          var a = g(n - 2, k);
          var b = g(n - 1, k);
          if (a == "x" or b == "x") return "x";
          return a + b;
        }
        var s = 0;
        for (var i = 0; i < 30; i = i + 1) s = s + g(15, 5);
        print s;
        print g(14, 0);
        for (var i = 0; i < 30; i = i + 1) s = s + g(15, 5);
        print s;
        """;

    // Two argument shapes (a number, and a call's result), so two specialized entries whose trees call each other:
    // frameless calls from one tree into another; then an error deep inside them.
    private const string Ackermann = """
        fun ack(m, n, boom) {
          if (m == 0) {
            if (boom and n == 30) return nil + 1;
            return n + 1;
          }
          if (n == 0) return ack(m - 1, 1, boom);
          return ack(m - 1, ack(m, n - 1, boom), boom);
        }
        var s = 0;
        for (var i = 0; i < 30; i = i + 1) s = s + ack(2, 20, false);
        print s;
        print ack(2, 20, true);
        """;

    [TestCase(Fib, TestName = "Recursive_calls_go_direct_and_print_what_the_interpreter_prints")]
    [TestCase(Ackermann, TestName = "Calls_between_two_trees_and_an_error_deep_inside_them_print_what_the_interpreter_prints")]
    [TestCase(ErrorDeepInside, TestName = "A_runtime_error_deep_in_direct_calls_prints_the_interpreters_stack_trace")]
    [TestCase(ResultChangesType, TestName = "Calls_whose_result_changes_type_leave_direct_calls_correctly")]
    public void Direct_calls_behave_as_the_interpreter(string program)
    {
        var native = LoxRunner.Run(LoxMode.Native, program);
        var jit = LoxRunner.Run(LoxMode.Jit, program, parameters: Params("on"));
        Assert.That((jit.Stdout, jit.Stderr, jit.ExitCode), Is.EqualTo((native.Stdout, native.Stderr, native.ExitCode)));
        Assert.That(jit.Statistics.TreesCompiled, Is.GreaterThan(0));
        Assert.That(jit.Statistics.DirectCallEntries, Is.GreaterThan(1000), "the tree's recursive calls went direct");
        Assert.That(jit.Statistics.LoopEntries, Is.GreaterThan(jit.Statistics.DirectCallEntries), "loop entries include the direct calls");
        Assert.That(jit.Statistics.FramelessCallEntries, Is.GreaterThan(1000), "the calls of the tree's labels were frameless");
        Assert.That(jit.Statistics.UnboxedCallResults, Is.GreaterThan(1000), "numbers came back unboxed");

        var boxed = LoxRunner.Run(LoxMode.Jit, program, parameters: Params("on", unboxed: "off"));
        Assert.That((boxed.Stdout, boxed.Stderr, boxed.ExitCode), Is.EqualTo((native.Stdout, native.Stderr, native.ExitCode)));
        Assert.That(boxed.Statistics.UnboxedCallResults, Is.Zero);
        Assert.That(boxed.Statistics.FramelessCallEntries, Is.GreaterThan(1000));

        var frames = LoxRunner.Run(LoxMode.Jit, program, parameters: Params("on", frameless: "off"));
        Assert.That((frames.Stdout, frames.Stderr, frames.ExitCode), Is.EqualTo((native.Stdout, native.Stderr, native.ExitCode)));
        Assert.That(frames.Statistics.FramelessCallEntries, Is.Zero);
        Assert.That(frames.Statistics.DirectCallEntries, Is.GreaterThan(1000));

        var off = LoxRunner.Run(LoxMode.Jit, program, parameters: Params("off"));
        Assert.That((off.Stdout, off.Stderr, off.ExitCode), Is.EqualTo((native.Stdout, native.Stderr, native.ExitCode)));
        Assert.That(off.Statistics.DirectCallEntries, Is.Zero);
    }
}
