namespace MetaJit.Toolchain.Checking;

/// <summary>
/// One RC# violation: where it is in the user's source, which rule it breaks, and what to do instead.
/// </summary>
/// <param name="File">The source file from the PDB, or the assembly file when the method has no line information.</param>
/// <param name="Line">1-based source line; 0 when unknown.</param>
/// <param name="Code">The rule's stable code, such as <c>MJ003</c> (see <see cref="RuleCodes"/>).</param>
/// <param name="Message">What is wrong and how to fix it.</param>
/// <param name="Method">The method the construct is in, as <c>Namespace.Type::Method</c>.</param>
public sealed record RcsError(string File, int Line, string Code, string Message, string Method)
{
    /// <summary>The compiler-style line: <c>file:line: error MJ0xx: message</c>.</summary>
    public override string ToString() => Format(File);

    /// <summary>Formats the error with <paramref name="file"/> in place of <see cref="File"/> (for relative paths).</summary>
    public string Format(string file) => $"{file}:{Line}: error {Code}: {Message}";
}
