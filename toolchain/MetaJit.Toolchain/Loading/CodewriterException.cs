using System.Reflection;

namespace MetaJit.Toolchain.Loading;

/// <summary>
/// The toolchain met interpreter code it cannot turn into JitCodes (or a misused hint). Carries where:
/// the method, the IL offset and, when the PDB was found, the source file and line, so the RC# checker and
/// the CLI can report it as <c>file:line: message</c>.
/// </summary>
public sealed class CodewriterException : Exception
{
    /// <summary>Creates the error.</summary>
    public CodewriterException(string message, MethodBase? method = null, int ilOffset = -1, string? file = null, int line = 0)
        : base(Format(message, method, ilOffset, file, line))
    {
        Reason = message;
        Method = method;
        ILOffset = ilOffset;
        File = file;
        Line = line;
    }

    /// <summary>What is wrong, without the location.</summary>
    public string Reason { get; }
    /// <summary>The method being translated, when known.</summary>
    public MethodBase? Method { get; }
    /// <summary>The IL offset of the offending instruction, or -1.</summary>
    public int ILOffset { get; }
    /// <summary>The source file, when the PDB was found.</summary>
    public string? File { get; }
    /// <summary>The source line (1-based), or 0.</summary>
    public int Line { get; }

    private static string Format(string message, MethodBase? method, int ilOffset, string? file, int line)
    {
        string where = file != null && line > 0 ? $"{file}:{line}: " : "";
        string what = method != null ? $" (in {method.DeclaringType?.Name}.{method.Name}" + (ilOffset >= 0 ? $", IL_{ilOffset:x4})" : ")") : "";
        return where + message + what;
    }
}
