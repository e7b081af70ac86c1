namespace MetaJit.Examples.Brainfuck;

/// <summary>A malformed program: an unmatched bracket, with its position.</summary>
public sealed class BfSyntaxError : Exception
{
    /// <summary>Creates the error; the message reads <c>file:line:column: error: what</c>.</summary>
    public BfSyntaxError(string file, int line, int column, string what)
        : base($"{file}:{line}:{column}: error: {what}")
    {
        File = file;
        Line = line;
        Column = column;
    }

    /// <summary>The program file.</summary>
    public string File { get; }
    /// <summary>1-based line.</summary>
    public int Line { get; }
    /// <summary>1-based column.</summary>
    public int Column { get; }
}
