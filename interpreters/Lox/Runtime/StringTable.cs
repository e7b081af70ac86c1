namespace MetaJit.Lox.Runtime;

/// <summary>
/// The intern table of one VM. Every string the compiler or the VM creates goes through
/// <see cref="Intern"/>, so two equal Lox strings are the same .NET object and Lox <c>==</c> on strings is
/// a reference comparison, exactly where clox compares pointers.
/// </summary>
public sealed class StringTable
{
    private readonly Dictionary<string, string> _strings = new(StringComparer.Ordinal);

    /// <summary>The canonical instance of <paramref name="text"/>. A residual call for the JIT.</summary>
    [DontLookInside]
    public string Intern(string text)
    {
        if (_strings.TryGetValue(text, out var existing)) return existing;
        _strings.Add(text, text);
        return text;
    }

    /// <summary>The canonical concatenation of two strings (Lox <c>+</c>).</summary>
    [DontLookInside]
    public string Concat(string a, string b) => Intern(string.Concat(a, b));
}
