namespace MetaJit.Lox.Runtime;

/// <summary>How Lox prints values (clox's printValue).</summary>
public static class Printer
{
    /// <summary>The printed form of <paramref name="value"/>: strings raw, numbers as <c>%g</c>,
    /// <c>&lt;fn name&gt;</c>, <c>Name instance</c>, ...</summary>
    [DontLookInside]
    public static string ToText(object value) => value as string ?? value.ToString() ?? "";
}
