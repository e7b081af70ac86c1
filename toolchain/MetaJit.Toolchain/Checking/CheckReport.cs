namespace MetaJit.Toolchain.Checking;

/// <summary>The outcome of checking an interpreter: every error at once, sorted by file and line.</summary>
public sealed class CheckReport
{
    /// <summary>Creates a report; sorts <paramref name="errors"/> and keeps one per file, line and code of <paramref name="errors"/>.</summary>
    public CheckReport(IEnumerable<RcsError> errors, int methodsChecked, IReadOnlyList<string> portals)
    {
        // One error per place and rule: a statement often compiles to several offending instructions.
        Errors = errors
            .GroupBy(e => (e.File, e.Line, e.Code))
            .Select(g => g.First())
            .OrderBy(e => e.File, StringComparer.Ordinal)
            .ThenBy(e => e.Line)
            .ThenBy(e => e.Code, StringComparer.Ordinal)
            .ThenBy(e => e.Message, StringComparer.Ordinal)
            .ToList();
        MethodsChecked = methodsChecked;
        Portals = portals;
    }

    /// <summary>The errors, sorted by file, line, code.</summary>
    public IReadOnlyList<RcsError> Errors { get; }

    /// <summary>How many methods (including static constructors) were checked.</summary>
    public int MethodsChecked { get; }

    /// <summary>The portals found, as <c>Namespace.Type::Method</c>.</summary>
    public IReadOnlyList<string> Portals { get; }

    /// <summary>True when there are no errors.</summary>
    public bool IsClean => Errors.Count == 0;

    /// <summary>The closing line: <c>N error(s) in M method(s) checked</c> or <c>ok: M methods checked, no RC# errors</c>.</summary>
    public string Summary => IsClean
        ? $"ok: {MethodsChecked} methods checked, no RC# errors"
        : $"{Errors.Count} error(s) in {MethodsChecked} method(s) checked";
}
