namespace MetaJit.Engine.Trace;

/// <summary>
/// The names of the descriptors and pointer constants of a trace's text form, both ways (as the namespace
/// RPython's optimizer tests pass to their parser). The printer adds what it names; the parser looks names up
/// and adds the target tokens it creates, so one namespace shared by several traces links jumps to labels.
/// Values: any <see cref="Descriptors.Descr"/>, a <see cref="Type"/> or <see cref="Descriptors.TypeDescr"/>
/// (for <c>ConstClass(name)</c>), or any object (for <c>ConstPtr(name)</c>).
/// </summary>
/// <example><code>
/// var ns = new TraceNamespace().Add("value", Descrs.Field(typeof(Node).GetField("value")!)).Add("node", new Node());
/// var trace = TraceParser.Parse("[p0]\ni1 = getfield_gc_i(p0, descr=value)\nfinish(i1)", ns);
/// </code></example>
public sealed class TraceNamespace
{
    private readonly Dictionary<string, object> _byName = new(StringComparer.Ordinal);
    private readonly Dictionary<object, string> _byObject = new(ReferenceEqualityComparer.Instance);

    /// <summary>Adds (or replaces) <paramref name="name"/>; returns this namespace for chaining.</summary>
    public TraceNamespace Add(string name, object value)
    {
        if (!TracePrinter.IsValidName(name))
            throw new ArgumentException($"'{name}' cannot be a name in the trace text form (it needs letters, digits or _.<>[],:$`~- and balanced brackets).", nameof(name));
        _byName[name] = value;
        _byObject.TryAdd(value, name);
        return this;
    }

    /// <summary>The object named <paramref name="name"/>.</summary>
    public bool TryGet(string name, out object value) => _byName.TryGetValue(name, out value!);

    /// <summary>The name of <paramref name="value"/>, if it has one.</summary>
    public string? NameOf(object value) => _byObject.GetValueOrDefault(value);

    /// <summary>The name of <paramref name="value"/>; if it has none, names it <paramref name="suggested"/> (made unique) first.</summary>
    public string NameOrAdd(object value, string suggested)
    {
        if (_byObject.TryGetValue(value, out var name)) return name;
        var baseName = Sanitize(suggested);
        name = baseName;
        for (int k = 2; _byName.ContainsKey(name); k++) name = baseName + "~" + k;
        Add(name, value);
        return name;
    }

    private static string Sanitize(string s)
    {
        var chars = s.Select(c => TracePrinter.IsNameChar(c) ? c : '_').ToArray();
        var name = chars.Length == 0 ? "x" : new string(chars);
        return TracePrinter.IsValidName(name) ? name : "x" + name;
    }
}
