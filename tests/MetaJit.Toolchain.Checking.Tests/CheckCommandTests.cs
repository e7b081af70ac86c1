using System.Text;
using MetaJit.Cli;

namespace MetaJit.Toolchain.Checking.Tests;

/// <summary><c>metajit check</c>, run in-process through <see cref="CommandLine.Run"/>.</summary>
[TestFixture]
public class CheckCommandTests
{
    private static (int Exit, string Out, string Err) Run(params string[] args)
    {
        var outText = new StringWriter();
        var err = new StringWriter();
        int exit = CommandLine.Run(args, new CliConsole(new MemoryStream(), new MemoryStream(), outText, err));
        return (exit, outText.ToString(), err.ToString());
    }

    [Test]
    public void A_lambda_in_the_loop_fails_the_check_with_its_file_and_line()
    {
        var (exit, output, err) = Run("check", Corpus.AssemblyPath);
        int line = Corpus.LineOf("Lambda.cs", RuleCodes.Delegate);
        Assert.That(exit, Is.EqualTo(1));
        Assert.That(err, Is.Empty);
        Assert.That(output, Does.Match($@"(^|\n)\S*Lambda\.cs:{line}: error MJ003: lambda in looked-inside method LambdaPortal\.Run: "));
        var lines = output.TrimEnd().Split('\n');
        Assert.That(lines[^1], Is.EqualTo($"{Corpus.Report.Errors.Count} error(s) in {Corpus.Report.MethodsChecked} method(s) checked"));
        Assert.That(lines, Has.Length.EqualTo(Corpus.Report.Errors.Count + 1));
    }

    [Test]
    public void A_clean_interpreter_passes_with_exit_code_0()
    {
        var (exit, output, err) = Run("check", Corpus.BrainfuckPath);
        Assert.That((exit, err), Is.EqualTo((0, "")));
        Assert.That(output, Does.Match(@"^ok: \d+ methods checked, no RC# errors\n$"));
    }

    [Test]
    public void A_missing_argument_is_a_usage_error()
    {
        var (exit, _, err) = Run("check");
        Assert.That(exit, Is.EqualTo(2));
        Assert.That(err.TrimEnd().Split('\n'), Has.Length.EqualTo(1));
        Assert.That(err, Does.Contain("usage: metajit check ASSEMBLY"));
    }

    [Test]
    public void An_unreadable_assembly_is_a_one_line_error_with_exit_code_2()
    {
        string notAnAssembly = Path.Combine(Path.GetTempPath(), "metajit-check-" + Guid.NewGuid().ToString("N") + ".dll");
        File.WriteAllText(notAnAssembly, "not an assembly", Encoding.UTF8);
        try
        {
            foreach (var path in new[] { notAnAssembly, notAnAssembly + ".missing" })
            {
                var (exit, output, err) = Run("check", path);
                Assert.That((exit, output), Is.EqualTo((2, "")), path);
                Assert.That(err.TrimEnd().Split('\n'), Has.Length.EqualTo(1), err);
                Assert.That(err, Does.StartWith("metajit: check: cannot read "));
            }
        }
        finally
        {
            File.Delete(notAnAssembly);
        }
    }

    [Test]
    public void Help_lists_the_check_command()
    {
        var (_, output, _) = Run("--help");
        Assert.That(output, Does.Contain("check ASSEMBLY"));
    }
}
