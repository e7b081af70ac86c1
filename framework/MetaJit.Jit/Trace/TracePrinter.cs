using System.Globalization;
using System.Text;
using MetaJit.Engine.Descriptors;

namespace MetaJit.Engine.Trace;

/// <summary>
/// Writes a trace in the text form shared by logs, tests and <see cref="TraceParser"/> (RPython's format):
/// <code>
/// [i0, p1]
/// label(i0, p1, descr=loop0)
/// debug_merge_point('pc=3 line 2')
/// i2 = int_add(i0, 1)
/// guard_true(i3) [i2, p1]
/// jump(i2, p1, descr=loop0)
/// </code>
/// Values are named by kind letter (i, f, p) and a counter; descriptors and pointer constants by the
/// <see cref="TraceNamespace"/> given, else by their own name (added to the namespace, so parsing the output
/// with the same namespace gives the trace back).
/// </summary>
/// <example><code>var ns = new TraceNamespace(); string text = new TracePrinter(ns).Print(trace); var again = TraceParser.Parse(text, ns);</code></example>
public sealed class TracePrinter(TraceNamespace? names = null)
{
    private readonly Dictionary<Value, string> _valueNames = new(ReferenceEqualityComparer.Instance);
    private int _counter;

    /// <summary>The namespace of descriptor and pointer names (the one given, or a fresh one).</summary>
    public TraceNamespace Names { get; } = names ?? new TraceNamespace();

    /// <summary>The text of <paramref name="trace"/>, one line per op, ending with a newline.</summary>
    public string Print(TreeLoop trace)
    {
        var sb = new StringBuilder();
        sb.Append('[').Append(string.Join(", ", trace.InputArgs.Select(Define))).Append(']').Append('\n');
        foreach (var op in trace.Operations) sb.Append(PrintOp(op)).Append('\n');
        return sb.ToString();
    }

    /// <summary>One op (naming its result if it has one).</summary>
    public string PrintOp(ResOperation op)
    {
        var sb = new StringBuilder();
        var args = op.Args.Select(NameOfArg).ToList();
        if (op.Descr != null) args.Add("descr=" + Names.NameOrAdd(op.Descr, op.Descr.Name));
        if (op.Kind != ValueKind.Void) sb.Append(Define(op)).Append(" = ");
        sb.Append(op.Name).Append('(').Append(string.Join(", ", args)).Append(')');
        if (op.FailArgs != null) sb.Append(" [").Append(string.Join(", ", op.FailArgs.Select(NameOfArg))).Append(']');
        return sb.ToString();
    }

    internal static string FormatOne(ResOperation op) => new TracePrinter().PrintOp(op);

    private string Define(Value v)
    {
        var name = v.Kind switch { ValueKind.Int => "i", ValueKind.Float => "f", _ => "p" } + _counter++;
        _valueNames[v] = name;
        return name;
    }

    private string NameOfArg(Value v) => v switch
    {
        ConstInt c => c.IntValue.ToString(CultureInfo.InvariantCulture),
        ConstFloat c => FormatFloat(c.FloatValue),
        ConstPtr { Object: null } => "NULL",
        ConstPtr { Object: string s } => Quote(s),
        ConstPtr { Object: Type t } => $"ConstClass({Names.NameOrAdd(t, TypeDescr.Pretty(t))})",
        ConstPtr c => $"ConstPtr({Names.NameOrAdd(c.Object!, "ptr" + _counter++)})",
        _ => _valueNames.TryGetValue(v, out var n) ? n : Define(v) + "?", // used before defined: a broken trace, still printable
    };

    /// <summary>A double as the text form writes it: always with a '.' or exponent, or nan/inf/-inf.</summary>
    public static string FormatFloat(double d)
    {
        if (double.IsNaN(d)) return "nan";
        if (double.IsPositiveInfinity(d)) return "inf";
        if (double.IsNegativeInfinity(d)) return "-inf";
        var s = d.ToString("R", CultureInfo.InvariantCulture);
        return s.Contains('.') || s.Contains('E') ? s : s + ".0";
    }

    /// <summary>A string constant in single quotes, with \\, \' and control characters escaped.</summary>
    public static string Quote(string s)
    {
        var sb = new StringBuilder("'");
        foreach (char c in s)
        {
            switch (c)
            {
                case '\\': sb.Append("\\\\"); break;
                case '\'': sb.Append("\\'"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                default:
                    if (c < ' ' || c > '~') sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else sb.Append(c);
                    break;
            }
        }
        return sb.Append('\'').ToString();
    }

    internal static bool IsNameChar(char c) => char.IsAsciiLetterOrDigit(c) || "_.<>[],:$`~-".Contains(c);

    internal static bool IsValidName(string s)
    {
        if (s.Length == 0 || !(char.IsAsciiLetter(s[0]) || s[0] == '_' || s[0] == '<')) return false;
        int depth = 0;
        foreach (char c in s)
        {
            if (!IsNameChar(c)) return false;
            if (c is '<' or '[') depth++;
            else if (c is '>' or ']' && --depth < 0) return false;
            else if (c == ',' && depth == 0) return false;
        }
        return depth == 0;
    }
}
