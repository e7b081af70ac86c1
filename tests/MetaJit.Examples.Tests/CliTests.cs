using System.Text;
using MetaJit.Cli;

namespace MetaJit.Examples.Tests;

[TestFixture]
public class CliTests
{
    private static (int Exit, string Out, string Err) Run(params string[] args)
    {
        var stdout = new MemoryStream();
        var outText = new StringWriter();
        var err = new StringWriter();
        int exit = CommandLine.Run(args, new CliConsole(new MemoryStream(), stdout, outText, err));
        return (exit, outText + Encoding.UTF8.GetString(stdout.ToArray()), err.ToString());
    }

    [Test]
    public void Bf_runs_a_program_file()
    {
        var (exit, output, err) = Run("bf", Path.Combine(BrainfuckPrograms.Folder, "hello.b"));
        Assert.That((exit, output, err), Is.EqualTo((0, "Hello World!\n", "")));
    }

    [Test]
    public void Dump_lists_the_Brainfuck_portal_and_its_JitCode_with_source_lines()
    {
        var asm = typeof(MetaJit.Examples.Brainfuck.BfInterpreter).Assembly.Location;
        var (exit, output, err) = Run("dump", asm, "Execute");
        Assert.That((exit, err), Is.EqualTo((0, "")));
        Assert.That(output, Does.Contain("portal BfInterpreter.Driver: greens [pc, program] reds [tape, pos, io]"));
        Assert.That(output, Does.Contain("jitcode BfInterpreter.Execute"));
        Assert.That(output, Does.Contain("jit_merge_point <BfInterpreter.Driver>"));
        Assert.That(output, Does.Contain("// Driver.JitMergePoint(pc, program, tape, pos, io);"));
    }

    [Test]
    public void Help_lists_the_subcommands()
    {
        var (exit, output, _) = Run("--help");
        Assert.That(exit, Is.Zero);
        Assert.That(output, Does.Contain("bf FILE"));
    }

    [Test]
    public void Unknown_subcommand_is_a_one_line_error_with_exit_code_2()
    {
        var (exit, _, err) = Run("frobnicate");
        Assert.That(exit, Is.EqualTo(2));
        Assert.That(err.TrimEnd().Split('\n'), Has.Length.EqualTo(1));
        Assert.That(err, Does.Contain("unknown subcommand 'frobnicate'"));
    }

    [Test]
    public void Missing_file_is_a_one_line_error_with_exit_code_2()
    {
        var (exit, _, err) = Run("bf", "/no/such/file.b");
        Assert.That(exit, Is.EqualTo(2));
        Assert.That(err.TrimEnd(), Is.EqualTo("metajit: bf: no such file: /no/such/file.b"));
    }

    [Test]
    public void Syntax_errors_name_file_line_and_column()
    {
        var file = Path.Combine(Path.GetTempPath(), $"bad-{Guid.NewGuid():N}.b");
        File.WriteAllText(file, "++\n[");
        try
        {
            var (exit, _, err) = Run("bf", file);
            Assert.That(exit, Is.EqualTo(1));
            Assert.That(err.TrimEnd(), Is.EqualTo($"{file}:2:1: error: unmatched '['"));
        }
        finally
        {
            File.Delete(file);
        }
    }
}
