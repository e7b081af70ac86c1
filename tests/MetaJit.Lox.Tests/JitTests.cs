namespace MetaJit.Lox.Tests;

/// <summary>The JIT really compiles and enters loops of Lox programs (checked by its statistics, never by timing).</summary>
[TestFixture]
public class JitTests
{
    private static LoxOutcome RunJit(string source) => LoxRunner.Run(LoxMode.Jit, source);

    /// <summary>
    /// Warm-up counters decay at each compilation (JIT parameter <c>decay</c>, percent): a loop that came close
    /// to the threshold and then waited while two other loops compiled needs more iterations afterwards.
    /// </summary>
    [TestCase("0", 3, TestName = "Without_decay_a_loop_warm_from_before_two_compilations_compiles")]
    [TestCase("40", 2, TestName = "With_decay_a_loop_warm_from_before_two_compilations_is_cooled_down")]
    public void Warm_up_counters_decay_at_each_compilation(string decay, int loops)
    {
        const string program = """
            fun warm(n) { var s = 0; for (var i = 0; i < n; i = i + 1) { s = s + i; } return s; }
            print warm(90);
            var b = 0;
            for (var j = 0; j < 200; j = j + 1) { b = b + 2; }
            var c = 0;
            while (c < 900) { c = c + 3; }
            print warm(30);
            print b + c;
            """;
        var outcome = LoxRunner.Run(LoxMode.Jit, program, null,
            new Dictionary<string, string> { ["threshold"] = "100", ["decay"] = decay, ["trace_eagerness"] = "100000" });
        Assert.That(outcome.Stdout, Is.EqualTo("4005\n435\n1300\n"));
        Assert.That(outcome.Statistics.LoopsCompiled, Is.EqualTo(loops));
    }

    /// <summary>
    /// A loop whose trace is too long because it inlines a long Lox function blames that function (its entry
    /// key: later traces call it), not the interpreter helper running at the limit (e.g. Frame.Push, which would
    /// make every later trace worse): the next loop compiles to exactly the ops it compiles to alone.
    /// </summary>
    [Test]
    public void A_trace_too_long_from_an_inlined_call_blames_the_user_function_only()
    {
        string big = "fun big(x) {\n" + string.Concat(Enumerable.Repeat("  x = x + 1;\n", 120)) + "  return x;\n}\n";
        const string second = "var u = 0;\nfor (var j = 0; j < 300; j = j + 1) { u = u + j; }\nprint u;\n";
        var parameters = new Dictionary<string, string> { ["trace_limit"] = "1200" };
        var aloneLog = new StringWriter();
        var alone = LoxRunner.Run(LoxMode.Jit, big + second, parameters: parameters, traceLog: aloneLog);
        var afterLog = new StringWriter();
        string program = big + "var t = 0;\nvar i = 0;\nwhile (i < 40) { t = t + big(i); i = i + 1; }\n" + second + "print t;\n";
        var after = LoxRunner.Run(LoxMode.Jit, program, parameters: parameters, traceLog: afterLog);
        Assert.That(after.Stdout, Is.EqualTo(LoxRunner.Run(LoxMode.Native, program).Stdout));
        Assert.That(after.Statistics.AbortReasons.Keys, Does.Contain("trace too long"));
        Assert.That(after.Statistics.LoopsCompiled, Is.GreaterThanOrEqualTo(2), "the while loop compiles once big is called, not inlined");
        Assert.That(LastLoopOps(afterLog.ToString()), Is.EqualTo(LastLoopOps(aloneLog.ToString())));
    }

    /// <summary>
    /// What a too-long trace blames belongs to its engine: a program traced with a tiny trace limit (whose aborts bar
    /// interpreter helpers from inlining) leaves nothing behind for the next engine in the same process, which traces
    /// exactly as a first one. The bar once lived on the shared JitCode, and every later run in the process (the
    /// next tests) traced without inlining those helpers.
    /// </summary>
    [Test]
    public void What_a_too_long_trace_blames_does_not_outlive_its_engine()
    {
        const string program = """
            class P { init(x) { this.x = x; } get() { return this.x; } }
            fun twice(p) { return p.get() + p.get(); }
            var t = 0;
            for (var i = 0; i < 200; i = i + 1) { t = t + twice(P(i)); }
            print t;
            """;
        var firstLog = new StringWriter();
        LoxRunner.Run(LoxMode.Jit, program, traceLog: firstLog);
        var tiny = LoxRunner.Run(LoxMode.Jit, program, parameters: new Dictionary<string, string> { ["trace_limit"] = "30" });
        Assert.That(tiny.Statistics.AbortReasons.Keys, Does.Contain("trace too long"));
        var againLog = new StringWriter();
        LoxRunner.Run(LoxMode.Jit, program, traceLog: againLog);
        Assert.That(againLog.ToString(), Is.EqualTo(firstLog.ToString()));
    }

    /// <summary>
    /// The op count of the body of the last loop the log shows optimized: from its last label to its jump, debug
    /// merge points left out. Where the trace started (which backward jump of a <c>for</c> got hot first) only
    /// rotates the body, so the count says how well the loop was optimized, not where it was entered.
    /// </summary>
    private static int LastLoopOps(string log)
    {
        int start = log.LastIndexOf("loop (optimized):", StringComparison.Ordinal);
        Assert.That(start, Is.GreaterThanOrEqualTo(0), "no loop compiled");
        var lines = log[start..].Split('\n');
        int end = Array.FindIndex(lines, l => l.StartsWith("jump(", StringComparison.Ordinal));
        int label = Array.FindLastIndex(lines, end, l => l.StartsWith("label(", StringComparison.Ordinal));
        return lines[(label + 1)..end].Count(l => !l.StartsWith("debug_merge_point", StringComparison.Ordinal));
    }

    /// <summary>
    /// A bridge from a guard deep in unrolled recursion returns through the inlined levels, and each level it
    /// returns to inlines its next recursive call: the bridge is too long while no single running call is big.
    /// The calls that returned count too (as RPython's find_biggest_function), so the recursive function is
    /// blamed, the next attempt calls it instead of inlining it, and the guard gets its bridge. Before, nothing was
    /// blamed, the guard never got a bridge, and every later failure ran the rebuilt levels in the blackhole
    /// (here 21,070 failures instead of 800; fib(31) took 5.8 s instead of 0.8 s). Bridges unroll as deep as loops
    /// here (<c>bridge_unroll_recursion</c>), as they all did then.
    /// </summary>
    [Test]
    public void A_bridge_too_long_from_unrolled_recursion_blames_the_recursive_function()
    {
        const string program = "fun fib(n) { if (n < 2) return n; return fib(n - 2) + fib(n - 1); }\nprint fib(24);\n";
        var parameters = new Dictionary<string, string>
        {
            ["threshold"] = "50", ["max_unroll_recursion"] = "5", ["bridge_unroll_recursion"] = "5", ["trace_limit"] = "2000",
        };
        var jit = LoxRunner.Run(LoxMode.Jit, program, parameters: parameters);
        Assert.That(jit.Stdout, Is.EqualTo("46368\n"));
        Assert.That(jit.Statistics.AbortReasons.Keys, Does.Contain("bridge: trace too long"), "the scenario: a bridge too long");
        Assert.That(jit.Statistics.GuardFailures, Is.LessThan(2000), "the failing guard got its bridge on the next attempt");
    }

    /// <summary>
    /// A hot loop whose trace stopped at an inner loop that was not compiled yet is traced again as soon as the
    /// inner loop is compiled, not after counting to the threshold again: here the outer loop has 60 iterations
    /// left after its abort, fewer than the threshold of 100.
    /// </summary>
    [Test]
    public void A_loop_stopped_at_an_uncompiled_inner_loop_is_retraced_once_that_loop_compiles()
    {
        const string program = """
            var t = 0;
            var i = 0;
            while (i < 160) {
              if (i > 95 and i < 110) { var k = 0; while (k < 5) { t = t + k; k = k + 1; } }
              t = t + i;
              i = i + 1;
            }
            print t;
            """;
        var jit = LoxRunner.Run(LoxMode.Jit, program, parameters: new Dictionary<string, string> { ["threshold"] = "100" });
        Assert.That(jit.Stdout, Is.EqualTo(LoxRunner.Run(LoxMode.Native, program).Stdout));
        Assert.That(jit.Statistics.AbortReasons.Keys, Does.Contain("reached an uncompiled loop"));
        Assert.That(jit.Statistics.LoopsCompiled, Is.EqualTo(2), "the inner loop, then the outer one");
        Assert.That(jit.Statistics.LoopEntries, Is.GreaterThan(40), "the outer loop runs compiled for its last iterations");
    }

    /// <summary>
    /// A hot loop calling a function that has a loop of its own, run more times as the program goes on: the
    /// caller's trace does not unroll the callee's loop (each longer run would then fail a guard at the end of the
    /// unrolled copies, and grow a bridge per extra iteration: 12 bridges here before). It stops at the callee's
    /// loop header until that loop is compiled, then calls it there with call_assembler (RPython's rule for a
    /// jit_merge_point reached in recursion).
    /// </summary>
    [Test]
    public void A_loop_inside_an_inlined_call_is_called_not_unrolled()
    {
        const string program = """
            fun sum(n) {
              var s = 0;
              var k = 0;
              while (k < n) { s = s + k; k = k + 1; }
              return s;
            }
            var t = 0;
            var n = 1;
            var c = 0;
            for (var i = 0; i < 3000; i = i + 1) {
              t = t + sum(n);
              c = c + 1;
              if (c == 100) { c = 0; n = n + 1; }
            }
            print t;
            """;
        var jit = LoxRunner.Run(LoxMode.Jit, program, parameters: new Dictionary<string, string> { ["threshold"] = "100", ["background_compile"] = "off" });
        Assert.That(jit.Stdout, Is.EqualTo("449500\n"));
        Assert.That(jit.Statistics.AbortReasons.Keys, Does.Contain("reached an uncompiled loop"));
        Assert.That(jit.Statistics.LoopsCompiled, Is.EqualTo(2), "sum's loop, then the caller's");
        Assert.That(jit.Statistics.BridgesCompiled, Is.LessThanOrEqualTo(2));
        Assert.That(jit.Statistics.DirectCallEntries, Is.GreaterThan(2500), "the caller's loop calls sum's compiled loop");
    }

    /// <summary>
    /// A runtime error inside a callee's loop that the caller's trace calls with call_assembler at its header: the
    /// callee's frame the error's stack trace reads (its line) is the one the callee's code ran on.
    /// </summary>
    [Test]
    public void A_runtime_error_in_a_loop_called_at_its_header_reports_like_native()
    {
        const string program = """
            fun sum(n, bad) {
              var s = 0;
              var k = 0;
              while (k < n) {
                if (k == bad) s = s + nil;
                s = s + k;
                k = k + 1;
              }
              return s;
            }
            var t = 0;
            var n = 1;
            var c = 0;
            for (var i = 0; i < 3000; i = i + 1) {
              var bad = -1;
              if (i == 2900) bad = 20;
              t = t + sum(n, bad);
              c = c + 1;
              if (c == 100) { c = 0; n = n + 1; }
            }
            print t;
            """;
        var native = LoxRunner.Run(LoxMode.Native, program);
        var jit = LoxRunner.Run(LoxMode.Jit, program, parameters: new Dictionary<string, string> { ["threshold"] = "100" });
        Assert.That(native.Stderr, Does.Contain("[line 5] in sum()"));
        Assert.That((jit.ExitCode, jit.Stdout, jit.Stderr), Is.EqualTo((native.ExitCode, native.Stdout, native.Stderr)));
        Assert.That(jit.Statistics.DirectCallEntries, Is.GreaterThan(2000));
    }

    /// <summary>
    /// <c>max_unroll_recursion</c> limits recursion only: at 0 the interpreter's own helpers (the value stack's
    /// push and pop) are still inlined into a loop's trace, not left as calls.
    /// </summary>
    [Test]
    public void Max_unroll_recursion_zero_still_inlines_calls_that_are_not_recursive()
    {
        const string program = "var t = 0;\nfor (var i = 0; i < 300; i = i + 1) { t = t + i; }\nprint t;\n";
        var log = new StringWriter();
        var jit = LoxRunner.Run(LoxMode.Jit, program, parameters: new Dictionary<string, string> { ["max_unroll_recursion"] = "0" }, traceLog: log);
        Assert.That(jit.Stdout, Is.EqualTo("44850\n"));
        Assert.That(jit.Statistics.LoopsCompiled, Is.GreaterThan(0));
        Assert.That(log.ToString(), Does.Not.Contain("descr=Frame.Push"));
    }

    /// <summary>
    /// Recursion is inlined only <c>max_unroll_recursion</c> levels deep; deeper calls stay calls of the portal,
    /// so a loop around deep recursion is not aborted as too long.
    /// </summary>
    [Test]
    public void Recursion_deeper_than_max_unroll_recursion_stays_calls()
    {
        const string program = "fun sum(n) { if (n == 0) return 0; return n + sum(n - 1); }\nvar t = 0;\n"
                               + "var i = 0;\nwhile (i < 40) { t = t + sum(60); i = i + 1; }\nprint t;\n";
        var jit = LoxRunner.Run(LoxMode.Jit, program, parameters: new Dictionary<string, string> { ["max_unroll_recursion"] = "2" });
        Assert.That(jit.Stdout, Is.EqualTo("73200\n"));
        Assert.That(jit.Statistics.AbortReasons.Keys, Does.Not.Contain("trace too long"));
        Assert.That(jit.Statistics.LoopsCompiled, Is.GreaterThanOrEqualTo(1));
        Assert.That(jit.Statistics.LoopEntries, Is.GreaterThan(0));
    }

    /// <summary>
    /// A bridge whose guard is already two levels deep in a recursion unrolls it only
    /// <c>bridge_unroll_recursion</c> levels deep (2), not <c>max_unroll_recursion</c> (3): tak recurses three ways,
    /// so a loop unrolled three levels holds thirteen bodies whose guards all grow bridges, and bridges
    /// re-unrolling the rest of the call tree as deep compiled twice the code.
    /// </summary>
    [Test]
    public void Bridges_deep_in_recursion_unroll_it_less_than_loops()
    {
        const string program = "fun tak(x, y, z) { if (y < x) return tak(tak(x - 1, y, z), tak(y - 1, z, x), tak(z - 1, x, y)); return z; }\n"
                               + "print tak(20, 14, 7);\n";
        LoxOutcome Run(string bridgeUnroll) => LoxRunner.Run(LoxMode.Jit, program, parameters: new Dictionary<string, string>
        {
            ["threshold"] = "50", ["trace_eagerness"] = "50", ["max_unroll_recursion"] = "3", ["bridge_unroll_recursion"] = bridgeUnroll,
        });
        var limited = Run("2");
        var unlimited = Run("3");
        Assert.That(limited.Stdout, Is.EqualTo("8\n"));
        Assert.That(unlimited.Stdout, Is.EqualTo("8\n"));
        Assert.That(limited.Statistics.BridgesCompiled, Is.GreaterThan(0));
        Assert.That(limited.Statistics.OpsCompiled, Is.LessThan(unlimited.Statistics.OpsCompiled * 7 / 10),
            $"compiled {limited.Statistics.OpsCompiled} ops against {unlimited.Statistics.OpsCompiled} when bridges unroll as deep as loops");
    }

    /// <summary>
    /// Lox enters its portal (<c>Run</c>) through a wrapper (<c>Execute</c>), once per user call. The recursion
    /// limit for ordinary functions counts only frames of one portal invocation, so the wrapper is inlined at any
    /// depth and the portal decides per user function: recursion past the inlined levels becomes call_assembler
    /// of the function's compiled entry, never a residual call of the wrapper (which went through CanEnterJit).
    /// </summary>
    [Test]
    public void Recursion_through_the_portal_wrapper_calls_the_compiled_function()
    {
        const string program = "class Node {\n  init(l, r) { this.l = l; this.r = r; }\n"
                               + "  count() { if (this.l == nil) return 1; return 1 + this.l.count() + this.r.count(); }\n}\n"
                               + "fun make(d) { if (d == 0) return Node(nil, nil); return Node(make(d - 1), make(d - 1)); }\n"
                               + "var t = make(6);\nvar s = 0;\nfor (var i = 0; i < 300; i = i + 1) s = s + t.count();\nprint s;\n";
        var log = new StringWriter();
        var jit = LoxRunner.Run(LoxMode.Jit, program, parameters: new Dictionary<string, string> { ["threshold"] = "50" }, traceLog: log);
        Assert.That(jit.Stdout, Is.EqualTo("38100\n"));
        Assert.That(log.ToString(), Does.Contain("call_assembler_r("));
        Assert.That(log.ToString(), Does.Not.Contain("descr=Interpreter.Execute"));
    }

    /// <summary>
    /// Recursion without any loop (fib): the function's entry is a trace anchor; the trace runs to the
    /// function's return (finish), and its recursive calls beyond the inlined levels call the compiled trace
    /// (call_assembler, or the portal with call_assembler off): compiled code is entered many times.
    /// </summary>
    [TestCase("1", "on")]
    [TestCase("3", "on")]
    [TestCase("1", "off")]
    public void A_recursive_function_without_loops_is_compiled_from_its_entry(string unroll, string callAssembler)
    {
        const string program = "fun fib(n) { if (n < 2) return n; return fib(n - 2) + fib(n - 1); }\nprint fib(20);\n";
        var parameters = new Dictionary<string, string>
        {
            ["threshold"] = "50", ["max_unroll_recursion"] = unroll, ["call_assembler"] = callAssembler,
        };
        var log = new StringWriter();
        var jit = LoxRunner.Run(LoxMode.Jit, program, parameters: parameters, traceLog: log);
        Assert.That(jit.Stdout, Is.EqualTo("6765\n"));
        Assert.That(jit.Statistics.LoopsCompiled, Is.GreaterThanOrEqualTo(1));
        Assert.That(jit.Statistics.LoopEntries, Is.GreaterThan(1000), "calls enter the compiled function");
        Assert.That(log.ToString(), callAssembler == "on" ? Does.Contain("call_assembler_r(") : Does.Not.Contain("call_assembler_r("));
        // Deep unrolling may make a bridge through several inlined levels too long; nothing else may abort.
        Assert.That(jit.Statistics.AbortReasons.Keys.Where(r => !r.EndsWith("trace too long", StringComparison.Ordinal)), Is.Empty);
    }

    /// <summary>
    /// Lox's frame is <c>DeadAfterReturn</c>: the caller drops a callee's frame when the call returns, so a trace
    /// that ends at the function's return (finish) does not write the frame's stack pointer, instruction index
    /// or slots back first.
    /// </summary>
    [Test]
    public void A_function_trace_returns_without_writing_its_frame_back()
    {
        const string program = "fun fib(n) { if (n < 2) return n; return fib(n - 2) + fib(n - 1); }\nprint fib(20);\n";
        var log = new StringWriter();
        var jit = LoxRunner.Run(LoxMode.Jit, program, parameters: new Dictionary<string, string> { ["threshold"] = "50" }, traceLog: log);
        Assert.That(jit.Stdout, Is.EqualTo("6765\n"));
        var optimized = log.ToString().Split("[metajit] ").First(t => t.StartsWith("loop (optimized)", StringComparison.Ordinal));
        var lines = optimized.Split('\n');
        int finish = Array.FindIndex(lines, l => l.StartsWith("finish(", StringComparison.Ordinal));
        int lastGuard = Array.FindLastIndex(lines, finish, l => l.StartsWith("guard_", StringComparison.Ordinal));
        Assert.That(finish, Is.GreaterThan(lastGuard).And.GreaterThan(0), optimized);
        var tail = lines[(lastGuard + 1)..finish];
        Assert.That(tail.Where(l => l.Contains("descr=Frame.", StringComparison.Ordinal) || l.StartsWith("setarrayitem_gc", StringComparison.Ordinal)), Is.Empty, optimized);
    }

    /// <summary>A runtime error deep in compiled recursion reports the same stack trace as natively (the trace
    /// is built while the error unwinds through compiled code, call_assembler and the blackhole).</summary>
    [Test]
    public void A_runtime_error_deep_in_compiled_recursion_reports_like_native()
    {
        const string program = "fun down(n) { if (n == 0) return nil + 1; return down(n - 1) + 1; }\n"
                               + "fun f(k) { if (k < 300) return k; return down(6); }\n"
                               + "var s = 0;\nfor (var i = 0; i < 301; i = i + 1) s = s + f(i);\nprint s;\n";
        var native = LoxRunner.Run(LoxMode.Native, program);
        var jit = LoxRunner.Run(LoxMode.Jit, program, parameters: new Dictionary<string, string> { ["threshold"] = "20" });
        Assert.That(native.ExitCode, Is.EqualTo(70));
        Assert.That((jit.Stdout, jit.Stderr, jit.ExitCode), Is.EqualTo((native.Stdout, native.Stderr, native.ExitCode)));
        Assert.That(jit.Statistics.LoopsCompiled, Is.GreaterThan(0));
    }

    /// <summary>
    /// A runtime error deep in a recursion that runs in specialized entries (the calls pass the callee frames'
    /// fields, the frames are virtual): the stack trace's lines come from the frames the callees ran on, which
    /// their calls hand back to the callers' exception paths (each caller's wrapper reads its callee's line).
    /// Without the hand-back the callers would build frames of their own with no line: "[line 2]" three times.
    /// </summary>
    [TestCase("50")]
    [TestCase("1039")]
    public void A_runtime_error_deep_in_specialized_recursion_reports_like_native(string threshold)
    {
        const string program = """
            fun f(n, bad) {
              if (n < 2) {
                if (bad and n == 0) return nil + 1;
                return n;
              }
              return f(n - 2, bad) + f(n - 1, bad);
            }
            var s = 0;
            for (var i = 0; i < 300; i = i + 1) s = s + f(12, false);
            print s;
            print f(12, true);
            """;
        var native = LoxRunner.Run(LoxMode.Native, program);
        var jit = LoxRunner.Run(LoxMode.Jit, program, parameters: new Dictionary<string, string> { ["threshold"] = threshold });
        Assert.That(native.ExitCode, Is.EqualTo(70));
        Assert.That(native.Stderr, Does.Contain("[line 6] in f()"));
        Assert.That((jit.Stdout, jit.Stderr, jit.ExitCode), Is.EqualTo((native.Stdout, native.Stderr, native.ExitCode)));
        Assert.That(jit.Statistics.SpecializedEntriesCompiled, Is.GreaterThan(0));
    }

    /// <summary>
    /// A program that keeps asking for bridges gets them more slowly: each <c>bridge_budget</c> bridges compiled
    /// add <c>trace_eagerness</c> to the failures the next guard needs. Here a loop with twelve branches that each
    /// flip now and then: without the budget every branch gets its bridge, with a small one only some do; the
    /// output is the same.
    /// </summary>
    [Test]
    public void Bridges_need_more_failures_as_more_are_compiled()
    {
        string program = "var s = 0;\nvar m = 0;\nfor (var i = 0; i < 1300; i = i + 1) {\n  m = m + 1;\n  if (m == 13) m = 0;\n"
                  + string.Concat(Enumerable.Range(1, 12).Select(k => $"  if (m == {k}) s = s + {k};\n")) + "}\nprint s;\n";
        Dictionary<string, string> Params(string budget) => new() { ["threshold"] = "50", ["trace_eagerness"] = "20", ["bridge_budget"] = budget };
        var flat = LoxRunner.Run(LoxMode.Jit, program, parameters: Params("0"));
        var budgeted = LoxRunner.Run(LoxMode.Jit, program, parameters: Params("2"));
        Assert.That(budgeted.Stdout, Is.EqualTo(flat.Stdout));
        Assert.That(flat.Stdout, Is.EqualTo(LoxRunner.Run(LoxMode.Native, program).Stdout));
        Assert.That(flat.Statistics.BridgesCompiled, Is.GreaterThanOrEqualTo(12));
        Assert.That(budgeted.Statistics.BridgesCompiled, Is.LessThan(flat.Statistics.BridgesCompiled));
    }

    [Test]
    public void A_while_loop_is_compiled_and_entered()
    {
        var outcome = RunJit("var i = 0; var sum = 0; while (i < 1000) { sum = sum + i; i = i + 1; } print sum;");
        Assert.That(outcome.Stdout, Is.EqualTo("499500\n"));
        Assert.That(outcome.Statistics.LoopsCompiled, Is.GreaterThan(0));
        Assert.That(outcome.Statistics.LoopEntries, Is.GreaterThan(0));
    }

    [Test]
    public void Method_calls_and_fields_in_a_loop_are_compiled()
    {
        var outcome = RunJit(@"
class Counter { init() { this.n = 0; } add(k) { this.n = this.n + k; return this; } }
var c = Counter();
for (var i = 0; i < 500; i = i + 1) c.add(i);
print c.n;");
        Assert.That(outcome.Stdout, Is.EqualTo("124750\n"));
        Assert.That(outcome.Statistics.LoopsCompiled, Is.GreaterThan(0));
        Assert.That(outcome.Statistics.LoopEntries, Is.GreaterThan(0));
    }

    [Test]
    public void A_loop_whose_branch_flips_leaves_compiled_code_and_gets_a_bridge()
    {
        var outcome = RunJit(@"
var a = 0; var b = 0;
for (var i = 0; i < 3000; i = i + 1) { if (i < 1000) a = a + 1; else b = b + 2; }
print a; print b;");
        Assert.That(outcome.Stdout, Is.EqualTo("1000\n4000\n"));
        Assert.That(outcome.Statistics.GuardFailures, Is.GreaterThan(0));
        Assert.That(outcome.Statistics.BridgesCompiled, Is.GreaterThan(0));
    }

    [Test]
    public void A_loop_whose_bridges_run_often_is_recompiled_with_them_and_prints_the_same()
    {
        const string source = @"
class Box { init(v) { this.v = v; } }
var total = 0; var box = Box(0);
for (var i = 0; i < 5000; i = i + 1) {
  if (i - (i / 3) * 3 < 1) { box.v = box.v + i; } else { total = total + 1; }
  if (i > 2500) total = total + box.v / 1000;
}
print total; print box.v;";
        var parameters = new Dictionary<string, string> { ["trace_eagerness"] = "2", ["tree_eagerness"] = "1", ["background_compile"] = "off" };
        var native = LoxRunner.Run(LoxMode.Native, source);
        var jit = LoxRunner.Run(LoxMode.Jit, source, parameters: parameters);
        Assert.That((jit.Stdout, jit.Stderr, jit.ExitCode), Is.EqualTo((native.Stdout, native.Stderr, native.ExitCode)));
        Assert.That(jit.Statistics.BridgesCompiled, Is.GreaterThan(0));
        Assert.That(jit.Statistics.TreesCompiled, Is.GreaterThan(0));
    }

    [Test]
    public void A_runtime_error_inside_a_compiled_loop_reports_like_native()
    {
        const string source = @"
var x = 0;
for (var i = 0; i < 100; i = i + 1) { if (i == 50) x = ""s""; x = x + 1; }";
        var native = LoxRunner.Run(LoxMode.Native, source);
        var jit = RunJit(source);
        Assert.That(jit.ExitCode, Is.EqualTo(70));
        Assert.That((jit.Stdout, jit.Stderr), Is.EqualTo((native.Stdout, native.Stderr)));
        Assert.That(jit.Statistics.LoopsCompiled, Is.GreaterThan(0));
    }
}
