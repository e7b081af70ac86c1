namespace MetaJit.Cli.Commands;

/// <summary>One subcommand of <c>metajit</c>.</summary>
public interface ICommand
{
    /// <summary>The word that selects it: <c>metajit NAME ...</c>.</summary>
    string Name { get; }

    /// <summary>Arguments, as shown in help: <c>FILE</c>.</summary>
    string Usage { get; }

    /// <summary>One line for <c>metajit --help</c>.</summary>
    string Summary { get; }

    /// <summary>Runs with the words after the subcommand; returns the exit code.</summary>
    int Run(string[] args, CliConsole console);
}
