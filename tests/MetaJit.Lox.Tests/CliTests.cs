using System.Text;
using MetaJit.Cli;

namespace MetaJit.Lox.Tests;

[TestFixture]
public class CliTests
{
    private static (int Exit, string Out, string Err) Run(string stdin, params string[] args)
    {
        var stdout = new MemoryStream();
        var outText = new StringWriter();
        var err = new StringWriter();
        int exit = CommandLine.Run(args, new CliConsole(new MemoryStream(Encoding.UTF8.GetBytes(stdin)), stdout, outText, err));
        return (exit, outText + Encoding.UTF8.GetString(stdout.ToArray()), err.ToString());
    }

    [Test]
    public void Lox_runs_a_script_file()
    {
        string file = Path.Combine(Path.GetTempPath(), "lox-" + Guid.NewGuid().ToString("N") + ".lox");
        File.WriteAllText(file, "print \"héllo\";\nprint 1 + nil;\n");
        try
        {
            var (exit, output, err) = Run("", "lox", file);
            Assert.That((exit, output, err),
                Is.EqualTo((70, "héllo\n", "Operands must be two numbers or two strings.\n[line 2] in script\n")));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Test]
    public void Lox_with_a_missing_file_is_a_one_line_error_with_exit_code_74()
    {
        var (exit, _, err) = Run("", "lox", "/no/such/file.lox");
        Assert.That((exit, err), Is.EqualTo((74, "Could not open file \"/no/such/file.lox\".\n")));
    }

    [Test]
    public void Lox_without_a_file_is_the_repl()
    {
        var (exit, output, _) = Run("print 40 + 2;\n", "lox");
        Assert.That((exit, output), Is.EqualTo((0, "> 42\n> \n")));
    }

    [Test]
    public void Lox_with_two_files_is_a_usage_error()
    {
        var (exit, _, err) = Run("", "lox", "a.lox", "b.lox");
        Assert.That(exit, Is.EqualTo(64));
        Assert.That(err, Does.Contain("usage: metajit lox [FILE]"));
    }

    [Test]
    public void Help_lists_lox()
    {
        var (_, output, _) = Run("", "--help");
        Assert.That(output, Does.Contain("lox [FILE]"));
    }
}
