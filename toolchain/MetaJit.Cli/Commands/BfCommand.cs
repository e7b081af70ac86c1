using MetaJit.Examples.Brainfuck;
using MetaJit.Toolchain.Hosting;

namespace MetaJit.Cli.Commands;

/// <summary><c>metajit bf FILE</c>: runs a Brainfuck program with the example interpreter.</summary>
public sealed class BfCommand : ICommand
{
    /// <inheritdoc/>
    public string Name => "bf";
    /// <inheritdoc/>
    public string Usage => "FILE";
    /// <inheritdoc/>
    public string Summary => "run a Brainfuck program (stdin is its input)";

    /// <inheritdoc/>
    public int Run(string[] args, CliConsole console)
    {
        if (args.Length != 1)
        {
            console.Error.WriteLine("metajit: bf: expected one FILE argument (usage: metajit bf FILE)");
            return 2;
        }
        console.Out.Flush();
        BfMain.SetJitDefaults(); // before the engine attaches: its defaults decide the warm-up
        if (!EngineSetup.TryStart(typeof(BfInterpreter).Assembly, console.Error)) return 2;
        return BfMain.Run(args[0], console.StdIn, console.StdOut, console.Error);
    }
}
