using MetaJit.Toolchain.Checking;

namespace MetaJit.Cli.Commands;

/// <summary>
/// <c>metajit check ASSEMBLY</c>: checks that the code the JIT looks inside is RC# and prints every error
/// as <c>file:line: error MJ0xx: message</c>. Exit 0 when clean, 1 on errors, 2 when the assembly cannot be read.
/// </summary>
public sealed class CheckCommand : ICommand
{
    /// <inheritdoc/>
    public string Name => "check";
    /// <inheritdoc/>
    public string Usage => "ASSEMBLY";
    /// <inheritdoc/>
    public string Summary => "check that the code the JIT looks inside is RC# (docs/rcsharp.md)";

    /// <inheritdoc/>
    public int Run(string[] args, CliConsole console)
    {
        if (args.Length != 1)
        {
            console.Error.WriteLine("metajit: check: expected one ASSEMBLY argument (usage: metajit check ASSEMBLY)");
            return 2;
        }
        InterpreterAssembly assembly;
        try
        {
            assembly = InterpreterAssembly.Load(args[0]);
        }
        catch (Exception e)
        {
            // Cecil throws several kinds of exception on files that are not assemblies; all mean the same here.
            console.Error.WriteLine($"metajit: check: cannot read {args[0]}: {FirstLine(e.Message)}");
            return 2;
        }
        CheckReport report;
        using (assembly)
        {
            try
            {
                report = RcsChecker.Check(assembly);
            }
            catch (Exception e)
            {
                console.Error.WriteLine($"metajit: check: internal error while checking {args[0]}: {e.GetType().Name}: {FirstLine(e.Message)} (please report it)");
                return 2;
            }
        }
        string cwd = Directory.GetCurrentDirectory();
        foreach (var error in report.Errors)
            console.Out.WriteLine(error.Format(Shorten(error.File, cwd)));
        if (report.Portals.Count == 0)
            console.Out.WriteLine("note: no portal found (no method calls JitDriver.JitMergePoint)");
        console.Out.WriteLine(report.Summary);
        return report.IsClean ? 0 : 1;
    }

    /// <summary>Paths under the current directory are printed relative to it, as compilers do.</summary>
    private static string Shorten(string file, string cwd)
    {
        if (!Path.IsPathFullyQualified(file)) return file;
        string relative = Path.GetRelativePath(cwd, file);
        return relative.StartsWith("..", StringComparison.Ordinal) ? file : relative;
    }

    private static string FirstLine(string message)
    {
        int newline = message.IndexOf('\n');
        return (newline < 0 ? message : message[..newline]).TrimEnd();
    }
}
