using MetaJit.Cli.Commands;

namespace MetaJit.Cli;

/// <summary>Dispatches <c>metajit SUBCOMMAND ...</c> to its command; usage errors exit with 2.</summary>
public static class CommandLine
{
    /// <summary>Every subcommand, in the order help lists them.</summary>
    public static readonly IReadOnlyList<ICommand> Commands = new ICommand[]
    {
        new BfCommand(),
        new CheckCommand(),
        new DumpCommand(),
        new LoxCommand(),
    };

    /// <summary>Runs the command line; returns the exit code.</summary>
    public static int Run(string[] args, CliConsole console)
    {
        if (args.Length == 0 || args[0] is "--help" or "-h" or "help")
        {
            PrintHelp(console.Out);
            return args.Length == 0 ? 2 : 0;
        }
        var command = Commands.FirstOrDefault(c => c.Name == args[0]);
        if (command == null)
        {
            console.Error.WriteLine($"metajit: unknown subcommand '{args[0]}' (try 'metajit --help')");
            return 2;
        }
        return command.Run(args[1..], console);
    }

    private static void PrintHelp(TextWriter output)
    {
        output.WriteLine("usage: metajit SUBCOMMAND [ARGS]");
        output.WriteLine();
        output.WriteLine("subcommands:");
        foreach (var c in Commands)
            output.WriteLine($"  {(c.Name + " " + c.Usage),-24} {c.Summary}");
        output.WriteLine();
        output.WriteLine("environment: METAJIT_MODE=native|blackhole|jit, METAJIT_THRESHOLD=N, METAJIT_LOG=summary|traces");
    }
}
