using System.Text;
using MetaJit.Lox;

namespace MetaJit.Cli.Commands;

/// <summary>
/// <c>metajit lox [FILE]</c>: runs a Lox script, or the REPL without a file. Exit codes are clox's:
/// 65 compile error, 70 runtime error, 74 unreadable file (<c>Could not open file "FILE".</c>), 64 usage.
/// </summary>
public sealed class LoxCommand : ICommand
{
    /// <inheritdoc/>
    public string Name => "lox";
    /// <inheritdoc/>
    public string Usage => "[FILE]";
    /// <inheritdoc/>
    public string Summary => "run a Lox script (no FILE: the REPL)";

    /// <inheritdoc/>
    public int Run(string[] args, CliConsole console)
    {
        if (args.Length > 1)
        {
            console.Error.WriteLine("usage: metajit lox [FILE]");
            return LoxMain.ExitUsage;
        }
        console.Out.Flush();
        if (!EngineSetup.TryStart(typeof(LoxMain).Assembly, console.Error)) return 2;
        using var stdout = new StreamWriter(console.StdOut, new UTF8Encoding(false), 1 << 16, leaveOpen: true);
        using var stdin = new StreamReader(console.StdIn, new UTF8Encoding(false), false, 1 << 12, leaveOpen: true);
        return args.Length == 0
            ? LoxMain.Repl(stdin, stdout, console.Error)
            : LoxMain.RunFile(args[0], stdin, stdout, console.Error);
    }
}
