using System.Text;
using System.Text.RegularExpressions;

namespace MetaJit.Lox.Tests;

/// <summary>
/// The expectations written as comments in a corpus program (format: corpus/README.md).
/// </summary>
public sealed record CorpusExpectations(string Stdout, string Stderr, int ExitCode)
{
    private static readonly Regex Expect = new(@"// expect: ?(.*)$");
    private static readonly Regex RuntimeError = new(@"// expect runtime error: (.*)$");
    private static readonly Regex StderrLine = new(@"// stderr: (.*)$");
    private static readonly Regex CompileError = new(@"// (\[line \d+\] Error.*)$");
    private static readonly Regex Exit = new(@"// exit: (\d+)\s*$");

    /// <summary>Reads the expectations of one program.</summary>
    public static CorpusExpectations Parse(string source)
    {
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        bool runtimeError = false, compileError = false;
        int? exit = null;
        foreach (string rawLine in source.Split('\n'))
        {
            string line = rawLine.TrimEnd('\r');
            Match m;
            if ((m = RuntimeError.Match(line)).Success)
            {
                stderr.Append(m.Groups[1].Value).Append('\n');
                runtimeError = true;
            }
            else if ((m = Expect.Match(line)).Success)
            {
                stdout.Append(m.Groups[1].Value).Append('\n');
            }
            else if ((m = StderrLine.Match(line)).Success)
            {
                stderr.Append(m.Groups[1].Value).Append('\n');
            }
            else if ((m = CompileError.Match(line)).Success)
            {
                stderr.Append(m.Groups[1].Value).Append('\n');
                compileError = true;
            }
            if ((m = Exit.Match(line)).Success) exit = int.Parse(m.Groups[1].Value);
        }
        int code = exit ?? (runtimeError ? 70 : compileError ? 65 : 0);
        return new CorpusExpectations(stdout.ToString(), stderr.ToString(), code);
    }
}
