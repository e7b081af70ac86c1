namespace MetaJit.Lox.Tests;

/// <summary>Properties of a run that the corpus format cannot express.</summary>
[TestFixture(LoxMode.Native)]
[TestFixture(LoxMode.Blackhole)]
[TestFixture(LoxMode.Jit)]
public class RunTests
{
    private readonly LoxMode _mode;

    public RunTests(LoxMode mode) => _mode = mode;

    [Test]
    public void Runs_do_not_share_globals_or_strings()
    {
        Assert.That(LoxRunner.Run(_mode, "var leaked = 1;").ExitCode, Is.Zero);
        var second = LoxRunner.Run(_mode, "print leaked;");
        Assert.That(second.Stderr, Is.EqualTo("Undefined variable 'leaked'.\n[line 1] in script\n"));
    }

    [Test]
    public void Runs_on_many_threads_at_once_are_independent()
    {
        var results = new LoxOutcome[16];
        Parallel.For(0, results.Length, i =>
            results[i] = LoxRunner.Run(_mode, "var x = " + i + "; fun f(n) { if (n < 2) return n; return f(n - 1) + f(n - 2); } print x + f(15);"));
        for (int i = 0; i < results.Length; i++) Assert.That(results[i].Stdout, Is.EqualTo((i + 610) + "\n"));
    }

    [Test]
    public void Output_printed_before_a_runtime_error_is_all_there()
    {
        string program = "for (var i = 0; i < 10000; i = i + 1) print i;\nprint nil + 1;";
        var outcome = LoxRunner.Run(_mode, program);
        Assert.That(outcome.Stdout.Split('\n'), Has.Length.EqualTo(10001));
        Assert.That(outcome.ExitCode, Is.EqualTo(70));
    }

    [Test]
    public void A_very_deeply_nested_expression_compiles_or_fails_cleanly()
    {
        string program = "print " + new string('(', 200000) + "1" + new string(')', 200000) + ";";
        var outcome = LoxRunner.Run(_mode, program);
        Assert.That(outcome.ExitCode, Is.AnyOf(0, 65));
        if (outcome.ExitCode == 0) Assert.That(outcome.Stdout, Is.EqualTo("1\n"));
    }

    [Test]
    public void Clock_advances()
    {
        var outcome = LoxRunner.Run(_mode, "var a = clock(); var i = 0; while (clock() == a) i = i + 1; print clock() > a;");
        Assert.That(outcome.Stdout, Is.EqualTo("true\n"));
    }
}
