namespace MetaJit.Lox.Tests;

/// <summary>
/// Lox's frame is private while it has no open upvalue (<c>PrivateWhileNull = "OpenUpvalues"</c>, docs/hints.md):
/// compiled code then keeps the caller's slots in registers across a call instead of writing them back before it
/// and reading them again after. A callee that reaches the caller's slots through an open upvalue must still see
/// them current, and the caller must see what the callee wrote.
/// </summary>
[TestFixture]
public class PrivateFrameTests
{
    private static Dictionary<string, string> Params(int threshold) => new()
    {
        ["threshold"] = threshold.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["function_threshold"] = threshold.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    // deep() recurses past the unrolling limit, so the loop calls its compiled code (call_assembler); at the bottom it
    // calls the closure, which reads and writes run's local x through the open upvalue.
    private const string CalleeWritesThroughAnUpvalue = """
        fun deep(f, n) { if (n == 0) return f(); return deep(f, n - 1) + 1; }
        fun run(k) {
          var x = 0;
          fun inc() { x = x + 1; return x; }
          var s = 0;
          for (var i = 0; i < k; i = i + 1) {
            s = s + deep(inc, 6);
            x = x + 10;
          }
          return s + x;
        }
        print run(400);
        """;

    // The upvalue is closed when its block ends: the frame is private again for the calls after it.
    private const string UpvalueClosedBeforeTheCalls = """
        fun sq(n) { if (n < 1) return 0; return sq(n - 1) + 2 * n - 1; }
        fun mix(n) {
          var acc = 0;
          {
            var local = n;
            fun get() { return local; }
            acc = get();
          }
          acc = acc + sq(n);
          return acc;
        }
        var t = 0;
        for (var i = 0; i < 300; i = i + 1) t = t + mix(i / 50);
        print t;
        """;

    // A runtime error deep in a call made while the caller's frame was private: the stack trace reads the
    // instruction index the caller's frame never had written before the call.
    private const string ErrorUnderAPrivateFrame = """
        fun down(n, v) { if (n == 0) return v + 1; return down(n - 1, v) + 1; }
        var s = 0;
        for (var i = 0; i < 400; i = i + 1) {
          var v = 1;
          if (i == 399) v = "x";
          s = s + down(6, v);
        }
        print s;
        """;

    // Each iteration calls from a private frame, then opens an upvalue on x (the frame is no longer private) and
    // calls a callee that writes x through it, then closes it at the block's end: private again for the next call.
    private const string PrivateThenOpenThenPrivate = """
        fun deep(f, n) { if (n == 0) return f(); return deep(f, n - 1) + 1; }
        fun one() { return 1; }
        fun run(k) {
          var s = 0;
          for (var i = 0; i < k; i = i + 1) {
            s = s + deep(one, 6);
            var x = i;
            fun inc() { x = x + 1; return x; }
            s = s + deep(inc, 6);
            s = s + x;
          }
          return s;
        }
        print run(300);
        """;

    private static IEnumerable<TestCaseData> Programs()
    {
        foreach (var (name, program) in new[]
                 {
                     ("callee writes through an upvalue", CalleeWritesThroughAnUpvalue),
                     ("upvalue closed before the calls", UpvalueClosedBeforeTheCalls),
                     ("error under a private frame", ErrorUnderAPrivateFrame),
                     ("private, then an open upvalue, then private again", PrivateThenOpenThenPrivate),
                 })
            foreach (int threshold in new[] { 1, 2, 50 })
                yield return new TestCaseData(program, threshold).SetName($"{name}, threshold {threshold}");
    }

    [TestCaseSource(nameof(Programs))]
    public void Prints_what_it_prints_natively(string program, int threshold)
    {
        var native = LoxRunner.Run(LoxMode.Native, program);
        var jit = LoxRunner.Run(LoxMode.Jit, program, parameters: Params(threshold));
        Assert.That((jit.Stdout, jit.Stderr, jit.ExitCode), Is.EqualTo((native.Stdout, native.Stderr, native.ExitCode)));
        Assert.That(jit.Statistics.LoopsCompiled, Is.GreaterThan(0));
        Assert.That(jit.Statistics.LoopEntries, Is.GreaterThan(0));
    }

    /// <summary>The optimized traces (loops and bridges) of fib(20) at threshold 50, after checking its output.</summary>
    private static List<string> OptimizedFibTraces()
    {
        const string program = "fun fib(n) { if (n < 2) return n; return fib(n - 2) + fib(n - 1); }\nprint fib(20);\n";
        var log = new StringWriter();
        var jit = LoxRunner.Run(LoxMode.Jit, program, parameters: Params(50), traceLog: log);
        Assert.That(jit.Stdout, Is.EqualTo("6765\n"));
        return log.ToString().Split("[metajit] ").Where(t => t.Contains("(optimized)", StringComparison.Ordinal)).ToList();
    }

    /// <summary>fib's frame never has an open upvalue: its calls are guarded by a null check of the field, and
    /// neither write its scalar fields back nor read anything again after the call.</summary>
    [Test]
    public void A_call_from_a_private_frame_keeps_its_scalars_in_registers_and_reads_nothing_again()
    {
        var optimized = string.Concat(OptimizedFibTraces());
        Assert.That(optimized, Does.Contain("call_assembler_r("));
        Assert.That(optimized, Does.Contain("descr=Frame.OpenUpvalues)\nguard_isnull("));
        Assert.That(optimized, Does.Not.Contain("descr=Frame.Sp)"));
        Assert.That(optimized, Does.Not.Contain(" = getarrayitem_gc_r("), "nothing is read back after a call");
    }

    /// <summary>A call cannot reach a private frame, so the frame is still private after it: fib's second call is
    /// not preceded by another read and check of the field.</summary>
    [Test]
    public void A_frame_private_at_a_call_is_not_checked_again_before_the_next_one()
    {
        var withTwoCalls = OptimizedFibTraces().Where(t => t.Split("call_assembler_r(").Length > 2).ToList();
        Assert.That(withTwoCalls, Is.Not.Empty);
        foreach (var trace in withTwoCalls)
        {
            var between = trace.Split("call_assembler_r(")[1..^1];
            foreach (var stretch in between)
                Assert.That(stretch, Does.Not.Contain("descr=Frame.OpenUpvalues)"), trace);
        }
    }

    /// <summary>fib(n - 2)'s result waits on the caller's stack while fib(n - 1) is called. When the trace computed
    /// it by inlining (a number the optimizer keeps unboxed, read back from the inlined frame's slots), the slot is
    /// cleared before the private call rather than given a box allocated only for that store.</summary>
    [Test]
    public void A_number_the_trace_computed_is_not_boxed_to_be_stored_in_a_private_frame()
    {
        var optimized = OptimizedFibTraces();
        Assert.That(optimized.Count(t => t.Contains("call_assembler_r(", StringComparison.Ordinal)), Is.GreaterThan(0));
        foreach (var trace in optimized)
        {
            var boxes = System.Text.RegularExpressions.Regex.Matches(trace, @"(p\d+) = new_with_vtable\(descr=LoxNumber\)").Select(m => m.Groups[1].Value);
            foreach (var box in boxes)
                Assert.That(trace, Does.Not.Match($@"setarrayitem_gc\(p\d+, \d+, {box}, "), trace);
        }
    }

    /// <summary>With an upvalue open, the frame is written back before the call (the new value of x reaches the
    /// callee) and read again after it.</summary>
    [Test]
    public void A_call_from_a_frame_with_an_open_upvalue_writes_it_back_and_reads_it_again()
    {
        var log = new StringWriter();
        var jit = LoxRunner.Run(LoxMode.Jit, CalleeWritesThroughAnUpvalue, parameters: Params(50), traceLog: log);
        Assert.That(jit.Stdout, Is.EqualTo(LoxRunner.Run(LoxMode.Native, CalleeWritesThroughAnUpvalue).Stdout));
        // run's loop (deep's own trace calls itself from a frame without upvalues)
        var loop = log.ToString().Split("[metajit] ").First(t => t.StartsWith("loop (optimized)", StringComparison.Ordinal)
            && t.Contains("'run line", StringComparison.Ordinal) && t.Contains("call_assembler", StringComparison.Ordinal));
        var lines = loop.Split('\n');
        int call = Array.FindIndex(lines, l => l.Contains("call_assembler_", StringComparison.Ordinal));
        Assert.That(lines[..call].Any(l => l.StartsWith("setarrayitem_gc(", StringComparison.Ordinal)), loop);
        Assert.That(lines[call..].Any(l => l.Contains(" = getarrayitem_gc_r(", StringComparison.Ordinal)), loop);
    }
}
