using System.Text.RegularExpressions;
using MetaJit.Toolchain.Checking;

namespace MetaJit.Toolchain.Checking.Tests;

/// <summary>
/// The violation corpus (tests/RcsViolations): its compiled assembly, checked once, and the errors its
/// sources expect, read from the <c>// MJ0xx</c> comments on the offending lines.
/// </summary>
internal static partial class Corpus
{
    private static readonly Lazy<CheckReport> LazyReport = new(() =>
    {
        using var assembly = InterpreterAssembly.Load(AssemblyPath);
        return RcsChecker.Check(assembly);
    });

    public static string AssemblyPath => Path.Combine(TestContext.CurrentContext.TestDirectory, "RcsViolations.dll");

    public static string BrainfuckPath => Path.Combine(TestContext.CurrentContext.TestDirectory, "MetaJit.Examples.Brainfuck.dll");

    public static CheckReport Report => LazyReport.Value;

    public static string SourceFolder
    {
        get
        {
            for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir != null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, "tests", "RcsViolations");
                if (File.Exists(Path.Combine(candidate, "RcsViolations.csproj"))) return candidate;
            }
            throw new DirectoryNotFoundException("tests/RcsViolations not found above " + TestContext.CurrentContext.TestDirectory);
        }
    }

    /// <summary>Every (file name, line, code) the corpus marks, for one file or all.</summary>
    public static SortedSet<string> Expected(string? fileName = null)
    {
        var expected = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var path in Directory.GetFiles(SourceFolder, "*.cs"))
        {
            string name = Path.GetFileName(path);
            if (fileName != null && name != fileName) continue;
            var lines = File.ReadAllLines(path);
            for (int i = 0; i < lines.Length; i++)
            {
                int comment = lines[i].IndexOf("//", StringComparison.Ordinal);
                if (comment < 0) continue;
                foreach (Match m in Marker().Matches(lines[i][comment..]))
                    expected.Add($"{name}:{i + 1}: {m.Value}");
            }
        }
        return expected;
    }

    /// <summary>The errors the checker reported, in the same (file name, line, code) form.</summary>
    public static SortedSet<string> Actual(string? fileName = null) => new(
        Report.Errors
            .Where(e => fileName == null || Path.GetFileName(e.File) == fileName)
            .Select(e => $"{Path.GetFileName(e.File)}:{e.Line}: {e.Code}"),
        StringComparer.Ordinal);

    /// <summary>The line of the first marker with <paramref name="code"/> in <paramref name="fileName"/>.</summary>
    public static int LineOf(string fileName, string code)
    {
        string first = Expected(fileName).First(e => e.EndsWith(": " + code, StringComparison.Ordinal));
        return int.Parse(first.Split(':')[1]);
    }

    [GeneratedRegex(@"MJ\d{3}")]
    private static partial Regex Marker();
}
