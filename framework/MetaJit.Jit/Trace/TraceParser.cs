using System.Globalization;
using System.Text;
using MetaJit.Engine.Descriptors;
using Sprache;
using P = Sprache.Parse;

namespace MetaJit.Engine.Trace;

/// <summary>
/// Reads the text form written by <see cref="TracePrinter"/> back into a <see cref="TreeLoop"/> (optimizer and
/// backend tests are written in it). Each line is parsed with Sprache into syntax, then names are resolved:
/// values by their definitions (the prefix i/f/p gives an input's kind), descriptors and pointer constants
/// through the <see cref="TraceNamespace"/>; unknown label/jump descrs become new <see cref="TargetToken"/>s
/// and unknown finish descrs <see cref="NamedDescr"/>s, both added to the namespace. <c>#</c> starts a comment.
/// </summary>
/// <example><code>
/// var trace = TraceParser.Parse("""
///     [i0]
///     label(i0, descr=loop)
///     i1 = int_add(i0, 1)
///     i2 = int_lt(i1, 100)
///     guard_true(i2) [i1]
///     jump(i1, descr=loop)
///     """);
/// </code></example>
public static class TraceParser
{
    /// <summary>Parses <paramref name="text"/>; names resolve through <paramref name="names"/> (a fresh namespace when null).</summary>
    /// <exception cref="FormatException">The text is not a valid trace; the message gives the line and what is wrong.</exception>
    public static TreeLoop Parse(string text, TraceNamespace? names = null, string? traceName = null)
    {
        names ??= new TraceNamespace();
        var values = new Dictionary<string, Value>(StringComparer.Ordinal);
        var inputs = new List<InputArg>();
        var ops = new List<ResOperation>();
        bool sawInputs = false;
        var lines = text.Split('\n');
        for (int n = 0; n < lines.Length; n++)
        {
            var line = StripComment(lines[n]).Trim();
            if (line.Length == 0) continue;
            try
            {
                if (!sawInputs && line.StartsWith('['))
                {
                    foreach (var v in Syntax.Inputs.End().Parse(line))
                    {
                        var input = new InputArg(KindOfName(v));
                        Define(values, v, input);
                        inputs.Add(input);
                    }
                    sawInputs = true;
                    continue;
                }
                sawInputs = true;
                ops.Add(Resolve(Syntax.Line.End().Parse(line), values, names));
            }
            catch (ParseException e)
            {
                throw new FormatException($"trace text line {n + 1}: {e.Message}\n    {lines[n].Trim()}", e);
            }
            catch (TraceSyntaxException e)
            {
                throw new FormatException($"trace text line {n + 1}: {e.Message}\n    {lines[n].Trim()}", e);
            }
        }
        return new TreeLoop(inputs, ops, traceName);
    }

    private static string StripComment(string line)
    {
        bool inString = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (inString && c == '\\') i++;
            else if (c == '\'') inString = !inString;
            else if (c == '#' && !inString) return line[..i];
        }
        return line;
    }

    private static ValueKind KindOfName(string name) => name[0] switch
    {
        'i' => ValueKind.Int,
        'f' => ValueKind.Float,
        'p' or 'r' => ValueKind.Ref,
        _ => throw new TraceSyntaxException($"'{name}' must start with i, f or p (int, float, pointer)"),
    };

    private static void Define(Dictionary<string, Value> values, string name, Value v)
    {
        if (!values.TryAdd(name, v)) throw new TraceSyntaxException($"'{name}' is defined twice");
    }

    private static ResOperation Resolve(Syntax.OpLine line, Dictionary<string, Value> values, TraceNamespace names)
    {
        var info = OpInfo.ByName(line.OpName) ?? throw new TraceSyntaxException($"unknown operation '{line.OpName}' (see docs/trace-ir.md for the op list)");
        var args = new List<Value>();
        Descr? descr = null;
        for (int i = 0; i < line.Args.Count; i++)
        {
            var a = line.Args[i];
            if (a.Kind != Syntax.ArgKind.Descr)
            {
                if (descr != null) throw new TraceSyntaxException("descr= must be the last argument");
                args.Add(ResolveValue(a, values, names));
                continue;
            }
            if (info.DescrType == null) throw new TraceSyntaxException($"{info.Name} takes no descr");
            descr = ResolveDescr(a.Text, info, names);
        }
        if (info.Arity >= 0 && args.Count != info.Arity)
            throw new TraceSyntaxException($"{info.Name} takes {info.Arity} argument(s), not {args.Count}");
        if (descr == null && info.DescrType != null && info.DescrType != typeof(Descr))
            throw new TraceSyntaxException($"{info.Name} needs descr=<{info.DescrType.Name}>");
        Value[]? failArgs = null;
        if (line.FailArgs != null)
        {
            if (!info.IsGuard) throw new TraceSyntaxException($"{info.Name} is not a guard; only guards have [fail args]");
            failArgs = line.FailArgs.Select(a => ResolveValue(a, values, names)).ToArray();
        }
        var op = new ResOperation(info.Num, args.ToArray(), descr, failArgs);
        if (line.Result != null)
        {
            if (info.ResultKind == ValueKind.Void) throw new TraceSyntaxException($"{info.Name} has no result to assign to '{line.Result}'");
            if (KindOfName(line.Result) != info.ResultKind)
                throw new TraceSyntaxException($"'{line.Result}' names a {KindOfName(line.Result)} but {info.Name} gives a {info.ResultKind}");
            Define(values, line.Result, op);
        }
        return op;
    }

    private static Value ResolveValue(Syntax.Arg a, Dictionary<string, Value> values, TraceNamespace names)
    {
        switch (a.Kind)
        {
            case Syntax.ArgKind.Var:
                return values.TryGetValue(a.Text, out var v) ? v : throw new TraceSyntaxException($"'{a.Text}' is used before it is defined");
            case Syntax.ArgKind.Int:
                return new ConstInt(a.Int);
            case Syntax.ArgKind.Float:
                return new ConstFloat(a.Float);
            case Syntax.ArgKind.String:
                return new ConstPtr(a.Text);
            case Syntax.ArgKind.Null:
                return ConstPtr.Null;
            case Syntax.ArgKind.Ptr:
                return names.TryGet(a.Text, out var obj) ? new ConstPtr(obj) : throw new TraceSyntaxException($"ConstPtr({a.Text}): '{a.Text}' is not in the namespace");
            case Syntax.ArgKind.Class:
                if (!names.TryGet(a.Text, out var cls)) throw new TraceSyntaxException($"ConstClass({a.Text}): '{a.Text}' is not in the namespace");
                return cls switch
                {
                    Type t => new ConstPtr(t),
                    TypeDescr td => new ConstPtr(td.Type),
                    _ => throw new TraceSyntaxException($"ConstClass({a.Text}): '{a.Text}' is a {cls.GetType().Name}, not a Type or TypeDescr"),
                };
            default:
                throw new TraceSyntaxException($"descr= cannot be used as a value");
        }
    }

    private static Descr ResolveDescr(string name, OpInfo info, TraceNamespace names)
    {
        if (!names.TryGet(name, out var obj))
        {
            Descr made = info.DescrType == typeof(TargetToken) ? new TargetToken(name)
                : info.DescrType == typeof(Descr) ? new NamedDescr(name)
                : throw new TraceSyntaxException($"descr '{name}' is not in the namespace (add the {info.DescrType!.Name} under that name)");
            names.Add(name, made);
            return made;
        }
        if (obj is Type t && info.DescrType == typeof(TypeDescr)) return Descrs.Type(t);
        if (obj is Descr d && info.DescrType!.IsInstanceOfType(d)) return d;
        throw new TraceSyntaxException($"descr '{name}' is a {obj.GetType().Name}, but {info.Name} needs a {info.DescrType!.Name}");
    }

    private sealed class TraceSyntaxException(string message) : Exception(message);

    /// <summary>The Sprache grammar of one line.</summary>
    private static class Syntax
    {
        public enum ArgKind { Var, Int, Float, String, Null, Ptr, Class, Descr }

        public sealed record Arg(ArgKind Kind, string Text, long Int = 0, double Float = 0);

        public sealed record OpLine(string? Result, string OpName, IReadOnlyList<Arg> Args, IReadOnlyList<Arg>? FailArgs);

        private static readonly Parser<string> Identifier =
            P.Identifier(P.Letter.Or(P.Char('_')), P.LetterOrDigit.Or(P.Char('_')));

        private static readonly Parser<string> VarName =
            from first in P.Chars("ifpr")
            from rest in P.LetterOrDigit.Or(P.Char('_')).Many().Text()
            select first + rest;

        /// <summary>A descr or constant name: name characters, with commas allowed inside &lt;&gt; and [].</summary>
        private static readonly Parser<string> Name = input =>
        {
            var sb = new StringBuilder();
            int depth = 0;
            var i = input;
            while (!i.AtEnd)
            {
                char c = i.Current;
                if (c is ')' or ',' && depth == 0) break;
                if (!TracePrinter.IsNameChar(c)) break;
                if (c is '<' or '[') depth++;
                else if (c is '>' or ']') depth--;
                sb.Append(c);
                i = i.Advance();
            }
            return sb.Length > 0 && TracePrinter.IsValidName(sb.ToString())
                ? Result.Success(sb.ToString(), i)
                : Result.Failure<string>(input, "a name", ["name"]);
        };

        private static readonly Parser<Arg> Number =
            from text in P.Regex(@"-?(nan|inf|[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?)(?![A-Za-z0-9_])", "a number")
            select MakeNumber(text);

        private static Arg MakeNumber(string text)
        {
            if (text.EndsWith("nan")) return new Arg(ArgKind.Float, text, Float: double.NaN);
            if (text.EndsWith("inf")) return new Arg(ArgKind.Float, text, Float: text[0] == '-' ? double.NegativeInfinity : double.PositiveInfinity);
            if (text.Contains('.') || text.Contains('e') || text.Contains('E'))
                return new Arg(ArgKind.Float, text, Float: double.Parse(text, CultureInfo.InvariantCulture));
            return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long l)
                ? new Arg(ArgKind.Int, text, Int: l)
                : throw new ParseException($"integer {text} does not fit in 64 bits");
        }

        private static readonly Parser<char> StringChar =
            P.Char('\\').Then(_ => P.AnyChar).Then(c => c switch
            {
                'n' => P.Return('\n'),
                'r' => P.Return('\r'),
                't' => P.Return('\t'),
                'u' => P.Regex("[0-9a-fA-F]{4}").Select(h => (char)int.Parse(h, NumberStyles.HexNumber, CultureInfo.InvariantCulture)),
                _ => P.Return(c),
            }).Or(P.AnyChar.Except(P.Char('\'')));

        private static readonly Parser<Arg> StringLit =
            from open in P.Char('\'')
            from chars in StringChar.Many().Text()
            from close in P.Char('\'')
            select new Arg(ArgKind.String, chars);

        private static Parser<Arg> Wrapped(string keyword, ArgKind kind) =>
            from k in P.String(keyword)
            from open in P.Char('(').Token()
            from name in Name.Token()
            from close in P.Char(')')
            select new Arg(kind, name);

        private static readonly Parser<Arg> DescrArg =
            from k in P.String("descr")
            from eq in P.Char('=').Token()
            from name in Name
            select new Arg(ArgKind.Descr, name);

        private static readonly Parser<Arg> ArgParser =
            StringLit
                .Or(Number)
                .Or(P.String("NULL").Return(new Arg(ArgKind.Null, "NULL")))
                .Or(Wrapped("ConstPtr", ArgKind.Ptr))
                .Or(Wrapped("ConstClass", ArgKind.Class))
                .Or(DescrArg)
                .Or(VarName.Select(v => new Arg(ArgKind.Var, v)))
                .Token();

        private static Parser<IEnumerable<T>> CommaList<T>(Parser<T> item) =>
            item.DelimitedBy(P.Char(',').Token()).Optional().Select(o => o.GetOrElse([]));

        public static readonly Parser<IEnumerable<string>> Inputs =
            from open in P.Char('[').Token()
            from vars in CommaList(VarName.Token())
            from close in P.Char(']').Token()
            select vars;

        private static readonly Parser<string> Assignment =
            from v in VarName.Token()
            from eq in P.Char('=').Token()
            select v;

        public static readonly Parser<OpLine> Line =
            from result in Assignment.Optional()
            from name in Identifier.Token()
            from open in P.Char('(').Token()
            from args in CommaList(ArgParser)
            from close in P.Char(')').Token()
            from fail in (from o in P.Char('[').Token()
                          from a in CommaList(ArgParser)
                          from c in P.Char(']').Token()
                          select a).Optional()
            select new OpLine(result.GetOrDefault(), name, args.ToList(), fail.IsDefined ? fail.Get().ToList() : null);
    }
}
