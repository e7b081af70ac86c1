namespace MetaJit.Cli;

/// <summary>The streams a command talks to; tests pass their own.</summary>
public sealed record CliConsole(Stream StdIn, Stream StdOut, TextWriter Out, TextWriter Error)
{
    /// <summary>The process's own console.</summary>
    public static CliConsole FromProcess()
    {
        var stdout = Console.OpenStandardOutput();
        return new CliConsole(Console.OpenStandardInput(), stdout, Console.Out, Console.Error);
    }
}
