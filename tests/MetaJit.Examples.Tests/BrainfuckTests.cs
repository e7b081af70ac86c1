using System.Text;
using MetaJit.Examples.Brainfuck;

namespace MetaJit.Examples.Tests;

[TestFixture]
public class BrainfuckTests
{
    [Test]
    public void Hello_prints_hello_world()
    {
        var (exit, stdout, stderr) = BrainfuckPrograms.Run("hello");
        Assert.That(stderr, Is.Empty);
        Assert.That(exit, Is.Zero);
        Assert.That(Encoding.ASCII.GetString(stdout), Is.EqualTo("Hello World!\n"));
    }

    [TestCaseSource(typeof(BrainfuckPrograms), nameof(BrainfuckPrograms.Small))]
    public void Bundled_program_prints_its_expected_output(string name)
    {
        var (exit, stdout, stderr) = BrainfuckPrograms.Run(name);
        Assert.That(stderr, Is.Empty);
        Assert.That(exit, Is.Zero);
        Assert.That(stdout, Is.EqualTo(BrainfuckPrograms.Expected(name)));
    }

    [Test]
    public void The_command_line_entry_sets_brainfucks_own_threshold_unless_the_user_set_one()
    {
        try
        {
            JitParams.Reset();
            BrainfuckPrograms.Run("hello");
            Assert.That(JitParams.Get("threshold"), Is.EqualTo(BfMain.JitThreshold));
            JitParams.Set("threshold", "5"); // what METAJIT_THRESHOLD does
            BrainfuckPrograms.Run("hello");
            Assert.That(JitParams.Get("threshold"), Is.EqualTo("5"));
        }
        finally
        {
            JitParams.Reset();
        }
    }

    [Test]
    public void Echo_copies_stdin_and_leaves_the_cell_unchanged_at_eof()
    {
        var input = Encoding.UTF8.GetBytes("first line\nzweite Zeile: äöü\n");
        var (exit, stdout, _) = BrainfuckPrograms.Run("echo", input);
        Assert.That(exit, Is.Zero);
        Assert.That(stdout, Is.EqualTo(input));
    }

    private static string RunSource(string source, string input = "")
    {
        var stdout = new MemoryStream();
        BfInterpreter.Run(BfProgram.Parse(source), new BfIo(new MemoryStream(Encoding.ASCII.GetBytes(input)), stdout));
        return Encoding.Latin1.GetString(stdout.ToArray());
    }

    [Test]
    public void Cells_are_bytes_that_wrap()
    {
        Assert.That(RunSource("-."), Is.EqualTo("\u00ff"));
        Assert.That(RunSource(new string('+', 256) + "+."), Is.EqualTo("\u0001"));
    }

    [Test]
    public void End_of_input_leaves_the_cell_unchanged()
    {
        Assert.That(RunSource("+++++,.,.", "A"), Is.EqualTo("AA"));
        Assert.That(RunSource("+++,.", ""), Is.EqualTo("\u0003"));
    }

    [Test]
    public void The_tape_grows_to_the_right()
    {
        // Walk 70000 cells right (past the initial 30000), write there, and come back.
        Assert.That(RunSource("++++++++[>++++++++<-]>" + new string('>', 70000) + "+." + new string('<', 70000) + "."), Is.EqualTo("\u0001@"));
    }

    [Test]
    public void Clear_loops_and_folded_runs_keep_their_meaning()
    {
        Assert.That(RunSource("+++++[-]+.>++++[+]."), Is.EqualTo("\u0001\u0000"));
        Assert.That(RunSource("+++[>++<-]>."), Is.EqualTo("\u0006"));
    }

    [Test]
    public void Loops_that_move_values_between_cells_become_multiply_adds()
    {
        var program = BfProgram.Parse("+++[->++>+++<<]");
        Assert.That(program.Ops, Is.EqualTo(new[] { BfOp.Add, BfOp.MulAdd, BfOp.MulAdd, BfOp.Clear }));
        Assert.That(program.Args[1..3], Is.EqualTo(new[] { 2, 3 }));
        Assert.That(program.Offsets[1..3], Is.EqualTo(new[] { 1, 2 }));
        Assert.That(program.Describe(2), Is.EqualTo("pc=2 line 1 mul_add 3 to +2"));
        Assert.That(RunSource("+++[->++>+++<<]>.>."), Is.EqualTo("\u0006\u0009"));
        Assert.That(RunSource(">>+++[>++<<+++>-]>.<<."), Is.EqualTo("\u0006\u0009"), "a target left of the head");
    }

    [Test]
    public void Multiply_adds_wrap_like_the_loops_they_stand_for()
    {
        // Stepping up from 10 runs 246 times; 51 * 5 = 255 and 52 * 5 = 260 = 4 (mod 256).
        Assert.That(RunSource("++++++++++[+>+<]>."), Is.EqualTo("\u00f6"));
        Assert.That(RunSource(new string('+', 51) + "[->+++++<]>."), Is.EqualTo("\u00ff"));
        Assert.That(RunSource(new string('+', 52) + "[->+++++<]>."), Is.EqualTo("\u0004"));
        Assert.That(RunSource("++[->-<]>."), Is.EqualTo("\u00fe"));
    }

    [Test]
    public void A_loop_that_goes_past_the_cells_it_changes_stays_a_loop()
    {
        // The head visits cell 3 (a +- there changes nothing): moving there may be an error, so it must happen.
        var program = BfProgram.Parse("++[->>>+-<<+<]");
        Assert.That(program.Ops, Does.Contain(BfOp.JumpIfZero));
        Assert.That(program.Ops, Does.Not.Contain(BfOp.MulAdd));
        Assert.That(RunSource("++[->>>+-<<+<]>."), Is.EqualTo("\u0002"));
        Assert.That(BfProgram.Parse("++[->+<-]").Ops, Does.Contain(BfOp.JumpIfZero), "a step of 2 may never reach zero");
    }

    [Test]
    public void Multiply_adds_past_the_tape_ends_act_only_when_the_loop_would_run()
    {
        Assert.That(RunSource("[-<+>]+."), Is.EqualTo("\u0001"), "a loop that does not run does not move left");
        var e = Assert.Throws<BfRuntimeError>(() => RunSource("+[-<+>]"))!;
        Assert.That(e.Message, Is.EqualTo("Brainfuck: moved left of the first cell at pc=1 line 1 mul_add 1 to -1"));
        string atTheEnd = new string('>', BfInterpreter.InitialTapeLength - 1);
        Assert.That(RunSource(atTheEnd + "+++[->++<]>."), Is.EqualTo("\u0006"), "the tape grows for the target");
    }

    [Test]
    public void Unmatched_brackets_are_reported_with_line_and_column()
    {
        var open = Assert.Throws<BfSyntaxError>(() => BfProgram.Parse("+\n ++[", "x.b"))!;
        Assert.That(open.Message, Is.EqualTo("x.b:2:4: error: unmatched '['"));
        var close = Assert.Throws<BfSyntaxError>(() => BfProgram.Parse("+]", "y.b"))!;
        Assert.That(close.Message, Is.EqualTo("y.b:1:2: error: unmatched ']'"));
    }

    /// <summary>A program that runs off to the right ends with an error at the tape's limit, in every mode. Before
    /// the limit, doubling the tape past 2^30 cells overflowed and the run hung with gigabytes allocated.</summary>
    [TestCase(RunMode.Native)]
    [TestCase(RunMode.Blackhole)]
    [TestCase(RunMode.Jit)]
    [NonParallelizable]
    public void Running_off_the_right_end_of_the_tape_is_a_runtime_error(RunMode mode)
    {
        using var scope = EngineScope.Start(typeof(BfInterpreter), mode, threshold: 2);
        // Each iteration moves 10,000 cells right and marks the cell: 6,711 iterations reach the limit.
        var e = Assert.Throws<BfRuntimeError>(() => RunSource("+[" + new string('>', 10000) + "+]"))!;
        Assert.That(e.Message, Does.StartWith("Brainfuck: moved right of the last cell (the tape holds at most 67108864) at "));
        Assert.That(BfInterpreter.MaxTapeLength, Is.EqualTo(67108864));
        if (mode == RunMode.Jit) Assert.That(scope.Statistics.LoopEntries, Is.GreaterThan(0), "the error came out of compiled code's run");
    }

    [Test]
    public void Moving_left_of_the_first_cell_is_a_runtime_error()
    {
        var e = Assert.Throws<BfRuntimeError>(() => RunSource("<"))!;
        Assert.That(e.Message, Does.Contain("moved left of the first cell"));
    }
}
