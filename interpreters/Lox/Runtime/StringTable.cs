namespace MetaJit.Lox.Runtime;

/// <summary>
/// The intern table of one VM. Every string the compiler or the VM creates goes through
/// <see cref="Intern"/>, so two equal Lox strings are the same .NET object and Lox <c>==</c> on strings is
/// a reference comparison, exactly where clox compares pointers.
/// </summary>
public sealed class StringTable
{
    private readonly Dictionary<string, string> _strings = new(StringComparer.Ordinal);

    /// <summary>The canonical instance of <paramref name="text"/>. A residual call for the JIT, and elidable: the
    /// result depends on the text only (the table is a cache: the same text always gives the same instance).</summary>
    [DontLookInside]
    [Elidable]
    public string Intern(string text)
    {
        if (_strings.TryGetValue(text, out var existing)) return existing;
        _strings.Add(text, text);
        return text;
    }

    /// <summary>The canonical concatenation of two strings (Lox <c>+</c>); elidable like <see cref="Intern"/>.</summary>
    [DontLookInside]
    [Elidable]
    public string Concat(string a, string b) => Intern(string.Concat(a, b));
}
