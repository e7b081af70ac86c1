namespace MetaJit.Lox.Tests;

/// <summary>What a run produced.</summary>
public sealed record LoxOutcome(string Stdout, string Stderr, int ExitCode);

/// <summary>The one place that runs a Lox program for the tests, in a given <see cref="LoxMode"/>.</summary>
public static class LoxRunner
{
    /// <summary>Runs <paramref name="source"/> in-process and captures everything.</summary>
    public static LoxOutcome Run(LoxMode mode, string source, string? path = null)
    {
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };
        int exit = mode switch
        {
            LoxMode.Native => LoxMain.Run(source, path, TextReader.Null, stdout, stderr),
            _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "no such mode"),
        };
        return new LoxOutcome(stdout.ToString(), stderr.ToString(), exit);
    }

    /// <summary>Runs the REPL over <paramref name="input"/>.</summary>
    public static LoxOutcome Repl(LoxMode mode, string input)
    {
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };
        int exit = mode switch
        {
            LoxMode.Native => LoxMain.Repl(new StringReader(input), stdout, stderr),
            _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "no such mode"),
        };
        return new LoxOutcome(stdout.ToString(), stderr.ToString(), exit);
    }
}
