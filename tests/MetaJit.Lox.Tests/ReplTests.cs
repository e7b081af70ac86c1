namespace MetaJit.Lox.Tests;

[TestFixture(LoxMode.Native)]
[TestFixture(LoxMode.Blackhole)]
[TestFixture(LoxMode.Jit)]
public class ReplTests
{
    private readonly LoxMode _mode;

    public ReplTests(LoxMode mode) => _mode = mode;

    [Test]
    public void Globals_persist_between_lines_and_errors_do_not_end_the_session()
    {
        var outcome = LoxRunner.Repl(_mode, "var a = 1;\nprint a + 1;\nprint b;\nprint a;\n");
        Assert.That(outcome.Stdout, Is.EqualTo("> > 2\n> > 1\n> \n"));
        Assert.That(outcome.Stderr, Is.EqualTo("Undefined variable 'b'.\n[line 1] in script\n"));
        Assert.That(outcome.ExitCode, Is.Zero);
    }

    [Test]
    public void A_compile_error_runs_nothing_of_that_line_only()
    {
        var outcome = LoxRunner.Repl(_mode, "print 1; print ;\nprint 3;\n");
        Assert.That(outcome.Stdout, Is.EqualTo("> > 3\n> \n"));
        Assert.That(outcome.Stderr, Is.EqualTo("[line 1] Error at ';': Expect expression.\n"));
    }

    [Test]
    public void Functions_and_classes_defined_on_one_line_are_usable_on_the_next()
    {
        var outcome = LoxRunner.Repl(_mode,
            "fun sq(x) { return x * x; }\nclass A { m() { return sq(3); } }\nprint A().m();\n");
        Assert.That(outcome.Stdout, Is.EqualTo("> > > 9\n> \n"));
        Assert.That(outcome.Stderr, Is.Empty);
    }

    [Test]
    public void Strings_stay_interned_across_lines()
    {
        var outcome = LoxRunner.Repl(_mode, "var s = \"ab\";\nprint s == \"a\" + \"b\";\n");
        Assert.That(outcome.Stdout, Is.EqualTo("> > true\n> \n"));
    }

    [Test]
    public void Empty_input_prints_the_prompt_and_a_newline()
    {
        var outcome = LoxRunner.Repl(_mode, "");
        Assert.That((outcome.Stdout, outcome.Stderr, outcome.ExitCode), Is.EqualTo(("> \n", "", 0)));
    }
}
