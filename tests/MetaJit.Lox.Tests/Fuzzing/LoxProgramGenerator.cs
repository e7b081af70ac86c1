using System.Globalization;
using System.Text;

namespace MetaJit.Lox.Tests.Fuzzing;

/// <summary>
/// Writes random Lox programs that terminate quickly and exercise what the JIT must get right: loops hot enough
/// to trace (at a low threshold), branches that flip after some iterations (guards that fail, bridges), calls
/// (inlined, and recursive through call_assembler), closures over locals that are still open, instances and
/// methods with inheritance and <c>super</c>, string concatenation and equality, closures that outlive their loop,
/// global functions and classes rebound while a loop runs, a field that starts shadowing a method, returns from
/// inside loops, <c>nan</c>, <c>inf</c> and <c>-0</c>. Values are typed while generating
/// (numbers, strings, booleans), so a program only fails where it is made to: sometimes, late in a loop, an
/// operation on the wrong types, whose runtime error and stack trace every mode must report alike.
/// The same seed always writes the same program.
/// </summary>
public sealed class LoxProgramGenerator
{
    /// <summary>Any: a variable that holds values of every type in turn (guards on its class fail); it is only
    /// printed and compared with <c>==</c>.</summary>
    private enum Ty { Num, Str, Bool, Any }

    private sealed record Var(string Name, Ty Type, bool Assignable = true);

    /// <summary>A function; <paramref name="Cost"/> bounds the loop iterations and calls one call of it runs.</summary>
    private sealed record Function(string Name, int Arity, bool Recursive, int Cost);

    private sealed record Class(string Name, string Method, Class? Super);

    /// <summary>The most loop iterations (times the cost of the calls in them) a top-level statement may run.</summary>
    private const int MaxWork = 600;

    /// <summary>The same bound within a function body (its calls come from loops).</summary>
    private const int MaxFunctionWork = 40;

    private readonly Random _rng;
    private readonly StringBuilder _out = new();
    private readonly List<List<Var>> _scopes = [[]];
    private readonly List<Function> _functions = [];
    private readonly List<Class> _classes = [];
    private readonly List<(string Name, Class Class)> _instances = [];
    private readonly List<string> _closures = [];
    private int _indent;
    private int _names;
    private int _work = 1;
    private int _workLimit = MaxWork;
    private int _cost = 1;
    private int _loopDepth;
    private bool _errorPlanted;
    private string? _deep;

    private LoxProgramGenerator(int seed) => _rng = new Random(seed);

    /// <summary>The program for <paramref name="seed"/>.</summary>
    public static string Generate(int seed) => new LoxProgramGenerator(seed).Program();

    private string Program()
    {
        Line("// generated from seed; every mode must print the same");
        for (int i = 0, n = _rng.Next(1, 4); i < n; i++) Declare(Ty.Num, NumLiteral());
        Declare(Ty.Str, StrLiteral());
        Declare(Ty.Any, "nil");
        for (int i = 0, n = _rng.Next(0, 3); i < n; i++) FunctionDeclaration();
        if (Chance(0.5)) RecursiveFunction();
        if (Chance(0.3)) DeepFunction();
        if (Chance(0.6)) ClassDeclarations();
        if (Chance(0.5)) ClosureMaker();
        if (Chance(0.35)) LinkedStructures();
        if (Chance(0.3)) SearchFunction();
        if (Chance(0.3)) EscapingClosures();
        if (Chance(0.25)) Rebinding();
        if (Chance(0.3) && _instances.Count > 0 && _closures.Count > 0) ShadowedMethod();
        foreach (var f in _functions.Where(f => f.Recursive).ToList()) RecursionLoop(f);
        Loop(3);
        for (int i = 0, n = _rng.Next(0, 3); i < n; i++) Statement(3);
        foreach (var v in _scopes[0]) Line($"print {v.Name};");
        foreach (var (name, _) in _instances) Line($"print {name}.x + {name}.y;");
        return _out.ToString();
    }

    // ---- declarations ----

    private void FunctionDeclaration()
    {
        string name = Fresh("f");
        int arity = _rng.Next(0, 3);
        var parameters = Enumerable.Range(0, arity).Select(_ => Fresh("p")).ToList();
        Line($"fun {name}({string.Join(", ", parameters)}) {{");
        Scoped(() =>
        {
            foreach (var p in parameters) _scopes[^1].Add(new Var(p, Ty.Num));
            (_workLimit, _cost) = (MaxFunctionWork, 1);
            for (int i = 0, n = _rng.Next(1, 3); i < n; i++) Statement(1);
            Line($"return {Num(2)};");
        });
        Line("}");
        _functions.Add(new Function(name, arity, false, _cost));
        (_workLimit, _cost) = (MaxWork, 1);
    }

    private void RecursiveFunction()
    {
        string name = Fresh("r");
        string n = Fresh("n");
        Line($"fun {name}({n}) {{");
        _indent++;
        Line($"if ({n} < {_rng.Next(1, 3)}) return {n} + {NumLiteral()};");
        Line(Chance(0.5)
            ? $"return {name}({n} - 1) + {name}({n} - 2);"
            : $"return {name}({n} - 1) * 0.5 + {NumLiteral()};");
        _indent--;
        Line("}");
        _functions.Add(new Function(name, 1, true, 70)); // called with n < 9: at most 67 calls
    }

    /// <summary>Linear recursion, called deep (dozens of frames) in loops, and past the frame limit where an error
    /// is planted.</summary>
    private void DeepFunction()
    {
        _deep = Fresh("deep");
        Line($"fun {_deep}(n) {{ if (n < 1) return 0; return {_deep}(n - 1) + {NumLiteral()}; }}");
        _functions.Add(new Function(_deep + "Safe", 1, false, 25)); // ~50 calls, cheap ones
        Line($"fun {_deep}Safe(n) {{ return {_deep}({_rng.Next(20, 55)}) + n; }}");
    }

    /// <summary>A recursive function called a few times from a loop: hot at its entry, so it gets a function
    /// trace, whose recursive calls (past <c>max_unroll_recursion</c>) are <c>call_assembler</c>s.</summary>
    private void RecursionLoop(Function f)
    {
        string k = Fresh("k");
        Line($"{For(k, _rng.Next(3, 7))} print {f.Name}({k} + {_rng.Next(4, 8)});");
    }

    private void ClassDeclarations()
    {
        string name = Fresh("C");
        string method = Fresh("m");
        Line($"class {name} {{");
        _indent++;
        Line("init(a) { this.x = a; this.y = 0; }");
        if (Chance(0.4))
        {
            // A method with its own loop, over the instance's fields: a loop inside a method called from loops.
            string j = Fresh("j");
            Line($"{method}(a) {{ var t = 0; {For(j, _rng.Next(2, 6))} {{ this.y = this.y + a; t = t + this.x * {j}; }} return t - this.y; }}");
        }
        else Line($"{method}(a) {{ this.y = this.y + a; return this.x * a - this.y; }}");
        _indent--;
        Line("}");
        var super = new Class(name, method, null);
        _classes.Add(super);
        // Subclasses overriding the method through super, sometimes two levels deep.
        for (int level = 0; level < 2 && Chance(0.6 - 0.3 * level); level++)
        {
            string sub = Fresh("D");
            Line($"class {sub} < {super.Name} {{");
            _indent++;
            Line($"{method}(a) {{ return super.{method}(a) + {NumLiteral()}; }}");
            if (Chance(0.5)) Line("init(a) { super.init(a * 2); this.z = a; }");
            _indent--;
            Line("}");
            super = new Class(sub, method, super);
            _classes.Add(super);
        }
        foreach (var c in _classes.ToList())
        {
            string instance = Fresh("o");
            Line($"var {instance} = {c.Name}({NumLiteral()});");
            _instances.Add((instance, c));
        }
    }

    /// <summary>Instances pointing at instances: a list built in a loop, walked while its fields are rewritten, and
    /// two references that are sometimes the same instance swapping a field (what the heap cache must not mix up).
    /// Top level only, so its loops stay within the work bound.</summary>
    private void LinkedStructures()
    {
        string cls = Fresh("L"), head = Fresh("h"), cur = Fresh("c"), sum = Fresh("s"), k = Fresh("k");
        int length = _rng.Next(3, 12);
        Line($"class {cls} {{ init(v, n) {{ this.v = v; this.n = n; }} }}");
        Line($"var {head} = nil;");
        Line($"{For(k, length)} {head} = {cls}({k} * {_rng.Next(1, 5)}, {head});");
        Line($"var {sum} = 0;");
        for (int pass = 0, passes = _rng.Next(1, 3); pass < passes; pass++)
        {
            Line($"var {cur}{pass} = {head};");
            Line($"while ({cur}{pass} != nil) {{");
            _indent++;
            Line($"{sum} = {sum} + {cur}{pass}.v;");
            if (Chance(0.7)) Line($"{cur}{pass}.v = {cur}{pass}.v {Pick("+", "-", "*")} {_rng.Next(1, 4)};");
            if (Chance(0.3)) Line($"if ({cur}{pass}.n != nil) {cur}{pass}.n.v = {cur}{pass}.v;");
            Line($"{cur}{pass} = {cur}{pass}.n;");
            _indent--;
            Line("}");
        }
        Line($"print {sum};");
        string a = Fresh("a"), b = Fresh("b"), t = Fresh("t"), j = Fresh("j");
        Line($"var {a} = {cls}({NumLiteral()}, nil);");
        Line($"var {b} = {cls}({StrLiteral()}, nil);");
        Line($"{For(j, _rng.Next(4, 16))} {{");
        _indent++;
        Line($"if ({j} == {_rng.Next(1, 8)}) {b} = {a};"); // from here on, the same instance
        Line($"var {t} = {a}.v;");
        Line($"{a}.v = {b}.v;");
        Line($"{b}.v = {t};");
        Line($"print {a}.v;");
        _indent--;
        Line("}");
    }

    /// <summary>A function that returns from inside its loop (the loop's trace leaves through a return).</summary>
    private void SearchFunction()
    {
        string name = Fresh("s"), j = Fresh("j");
        Line($"fun {name}(limit) {{");
        _indent++;
        Line($"{For(j, _rng.Next(5, 30))} {{");
        Line($"  if ({j} * {j} {Pick(">", ">=")} limit) return {j};");
        Line("}");
        Line("return -1;");
        _indent--;
        Line("}");
        _functions.Add(new Function(name, 1, false, 30));
    }

    /// <summary>Closures made in a loop over its body's local and the loop variable: open while the iteration runs,
    /// closed when it ends (the body's local) or when the loop ends (the loop variable); one is kept and called
    /// after the loop.</summary>
    private void EscapingClosures()
    {
        string keep = Fresh("keep"), acc = Fresh("acc"), i = Fresh("i"), x = Fresh("x"), c = Fresh("c");
        int bound = _rng.Next(3, 30);
        Line($"var {keep} = nil;");
        Line($"var {acc} = 0;");
        Line($"{For(i, bound)} {{");
        _indent++;
        Line($"var {x} = {i} * {_rng.Next(1, 5)};");
        Line($"fun {c}() {{ {x} = {x} + 1; return {x} {Pick("+", "-", "*")} {i}; }}");
        Line($"if ({i} == {_rng.Next(0, bound)}) {keep} = {c};");
        Line($"{acc} = {acc} + {c}();");
        if (Chance(0.5)) Line($"{acc} = {acc} + {c}();");
        _indent--;
        Line("}");
        Line($"print {acc};");
        Line($"if ({keep} != nil) {{ print {keep}(); print {keep}(); print {keep}; }}");
    }

    /// <summary>A global function and a global class rebound while a loop calls them: compiled code that took them
    /// for constants must notice.</summary>
    private void Rebinding()
    {
        string fa = Fresh("ra"), fb = Fresh("rb"), ca = Fresh("RA"), cb = Fresh("RB");
        string acc = Fresh("acc"), i = Fresh("i");
        int bound = _rng.Next(4, 30);
        Line($"fun {fa}(x) {{ return x + {NumLiteral()}; }}");
        Line($"fun {fb}(x) {{ return x * {NumLiteral()} - 1; }}");
        Line($"class {ca} {{ init(v) {{ this.v = v; }} get() {{ return this.v; }} }}");
        Line($"class {cb} {{ init(v) {{ this.v = v * 2; }} get() {{ return this.v + 1; }} }}");
        Line($"var {acc} = 0;");
        Line($"{For(i, bound)} {{");
        _indent++;
        Line($"if ({i} == {_rng.Next(1, bound)}) {fa} = {fb};");
        if (Chance(0.6)) Line($"if ({i} == {_rng.Next(1, bound)}) {ca} = {cb};");
        Line($"{acc} = {acc} + {fa}({i}) + {ca}({i}).get();");
        _indent--;
        Line("}");
        Line($"print {acc};");
        Line($"print {fa};");
        Line($"print {ca};");
        _functions.Add(new Function(fa, 1, false, 1));
    }

    /// <summary>A loop calling a method that a field of the same name starts shadowing part way (the method lookup
    /// the trace cached no longer applies).</summary>
    private void ShadowedMethod()
    {
        var (instance, klass) = _instances[_rng.Next(_instances.Count)];
        string i = Fresh("i");
        int bound = _rng.Next(4, 30);
        Line($"{For(i, bound)} {{");
        _indent++;
        Line($"if ({i} == {_rng.Next(1, bound)}) {instance}.{klass.Method} = {_closures[_rng.Next(_closures.Count)]};");
        Line($"print {instance}.{klass.Method}({i});");
        _indent--;
        Line("}");
    }

    private void ClosureMaker()
    {
        string maker = Fresh("mk");
        Line($"fun {maker}(start) {{");
        _indent++;
        Line("var c = start;");
        Line("fun step(d) { c = c + d; return c; }");
        Line("return step;");
        _indent--;
        Line("}");
        string closure = Fresh("cl");
        Line($"var {closure} = {maker}({NumLiteral()});");
        _closures.Add(closure);
    }

    // ---- statements ----

    private void Statement(int depth)
    {
        double roll = _rng.NextDouble();
        if (depth > 0 && roll < 0.35) Loop(depth);
        else if (depth > 0 && roll < 0.5) If(depth);
        else if (roll < 0.62) Declare(RandomType(), null);
        else if (roll < 0.8) Assign();
        else if (roll < 0.84 && _instances.Count > 0) FieldStore();
        else if (roll < 0.88 && _loopDepth > 0) InnerClosure();
        else if (roll < 0.91 && _classes.Count > 0) FreshInstance();
        else if (roll < 0.94 && _instances.Count > 0) BoundMethod();
        else Line($"print {Expr(RandomType(), 2)};");
    }

    private void Loop(int depth)
    {
        int bound = _rng.Next(3, 30);
        if (_work * bound > _workLimit)
        {
            Line($"print {Num(2)};");
            return;
        }
        string i = Fresh("i");
        _work *= bound;
        _cost = Math.Max(_cost, _work);
        _loopDepth++;
        if (Chance(0.5))
        {
            Line($"{For(i, bound)} {{");
            Scoped(() =>
            {
                _scopes[^1].Add(new Var(i, Ty.Num, Assignable: false));
                Body(depth, i, bound);
            });
            Line("}");
        }
        else
        {
            Line("{");
            Scoped(() =>
            {
                Line($"var {i} = 0;");
                _scopes[^1].Add(new Var(i, Ty.Num, Assignable: false));
                Line($"while ({i} < {bound}) {{");
                Scoped(() =>
                {
                    Body(depth, i, bound);
                    Line($"{i} = {i} + 1;");
                });
                Line("}");
            });
            Line("}");
        }
        _loopDepth--;
        _work /= bound;
    }

    private void Body(int depth, string counter, int bound)
    {
        for (int k = 0, n = _rng.Next(1, 4); k < n; k++) Statement(depth - 1);
        // A branch that flips after some iterations: its guard fails once the loop is compiled.
        if (Chance(0.5))
        {
            Line($"if ({counter} > {_rng.Next(1, bound)}) {{");
            Scoped(() => Statement(0));
            Line("}");
        }
        if (!_errorPlanted && Chance(0.05))
        {
            // An error late in a loop that is compiled by then: a type error, or recursion past the frame limit.
            _errorPlanted = true;
            if (Chance(0.6) || _deep == null) Line($"if ({counter} == {bound - 1}) print {Num(1)} + {StrLiteral()};");
            else Line($"if ({counter} == {bound - 1}) print {_deep}({_rng.Next(60, 80)});");
        }
    }

    private void If(int depth)
    {
        Line($"if ({Expr(Ty.Bool, 2)}) {{");
        Scoped(() => Statement(depth - 1));
        if (Chance(0.5))
        {
            Line("} else {");
            Scoped(() => Statement(depth - 1));
        }
        Line("}");
    }

    private void Declare(Ty type, string? init)
    {
        string name = Fresh("v");
        Line($"var {name} = {init ?? Expr(type, 2)};");
        _scopes[^1].Add(new Var(name, type));
    }

    private void Assign()
    {
        var candidates = _scopes.SelectMany(s => s).Where(v => v.Assignable).ToList();
        if (candidates.Count == 0)
        {
            Declare(Ty.Num, null);
            return;
        }
        var v = candidates[_rng.Next(candidates.Count)];
        string value = v.Type switch
        {
            // Accumulate (what loops do); strings grow only by a literal, so they stay short.
            Ty.Num => Chance(0.6) ? $"{v.Name} + {Num(2)}" : Num(2),
            Ty.Str => Chance(0.3) ? $"{v.Name} + {StrLiteral()}" : Str(1),
            Ty.Any => Chance(0.15) ? "nil" : Chance(0.15) ? SomeObject() : Expr(Pick(Ty.Num, Ty.Str, Ty.Bool), 1),
            _ => Expr(Ty.Bool, 2),
        };
        if (v.Type == Ty.Str && _work > 50) value = Str(1); // a long loop would build a long string
        Line($"{v.Name} = {value};");
    }

    private void FieldStore()
    {
        var (name, _) = _instances[_rng.Next(_instances.Count)];
        if (Chance(0.8) || _closures.Count == 0)
        {
            Line($"{name}.x = {Num(2)};");
            return;
        }
        // A field holding a closure: calling it through the instance looks like a method call (clox's invoke).
        Line($"{name}.h = {_closures[_rng.Next(_closures.Count)]};");
        Line($"print {name}.h({Num(1)});");
    }

    /// <summary>A new instance; sometimes it gets an extra field (instances of one class with two maps).</summary>
    private void FreshInstance()
    {
        var klass = _classes[_rng.Next(_classes.Count)];
        string name = Fresh("q");
        Line($"var {name} = {klass.Name}({Num(1)});");
        if (Chance(0.5)) Line($"if ({Bool(1)}) {name}.w = {Num(1)};");
        Line($"print {name}.{klass.Method}({Num(1)}) + {name}.x;");
    }

    /// <summary>A method taken from an instance as a value, then called.</summary>
    private void BoundMethod()
    {
        var (instance, klass) = _instances[_rng.Next(_instances.Count)];
        string name = Fresh("bm");
        Line($"var {name} = {instance}.{klass.Method};");
        Line($"print {name}({Num(1)});");
    }

    /// <summary>A closure over the loop's locals, created and called in the same iteration (its upvalues are open).</summary>
    private void InnerClosure()
    {
        string g = Fresh("g");
        Line($"fun {g}() {{ return {Num(2)}; }}");
        var acc = _scopes.SelectMany(s => s).Where(v => v.Assignable && v.Type == Ty.Num).ToList();
        if (acc.Count > 0)
        {
            var v = acc[_rng.Next(acc.Count)];
            Line($"{v.Name} = {v.Name} + {g}();");
        }
        else
        {
            Line($"print {g}();");
        }
    }

    // ---- expressions ----

    private string Expr(Ty type, int depth) => type switch
    {
        Ty.Num => Num(depth),
        Ty.Str => Str(depth),
        Ty.Bool => Bool(depth),
        _ => VarOf(Ty.Any) ?? "nil",
    };

    private string Num(int depth)
    {
        double roll = _rng.NextDouble();
        if (depth <= 0 || roll < 0.2) return Chance(0.5) ? NumLiteral() : VarOf(Ty.Num) ?? NumLiteral();
        if (roll < 0.45) return VarOf(Ty.Num) ?? NumLiteral();
        if (roll < 0.65) return $"({Num(depth - 1)} {Pick("+", "-", "*")} {Num(depth - 1)})";
        if (roll < 0.7) return $"({Num(depth - 1)} / {_rng.Next(1, 5)})";
        if (roll < 0.73) return $"-{Num(depth - 1)}";
        if (roll < 0.745) return Pick($"({Num(depth - 1)} / 0)", "-0", "(0 / 0)", $"({Num(depth - 1)} * -0)");
        if (roll < 0.765) return $"({Bool(depth - 1)} and {Num(depth - 1)} or {Num(depth - 1)})";
        if (roll < 0.85 && _functions.Count > 0) return Call(depth);
        if (roll < 0.93 && _instances.Count > 0)
        {
            var (name, klass) = _instances[_rng.Next(_instances.Count)];
            return Chance(0.5) ? $"{name}.{Pick("x", "y")}" : $"{name}.{klass.Method}({Num(depth - 1)})";
        }
        if (_closures.Count > 0) return $"{_closures[_rng.Next(_closures.Count)]}({Num(depth - 1)})";
        return NumLiteral();
    }

    /// <summary>A function, closure, class or instance as a value (printed, compared with <c>==</c>).</summary>
    private string SomeObject()
    {
        var names = _functions.Select(f => f.Name).Concat(_closures).Concat(_classes.Select(c => c.Name))
            .Concat(_instances.Select(o => o.Name)).ToList();
        return names.Count == 0 ? "nil" : names[_rng.Next(names.Count)];
    }

    private string Call(int depth)
    {
        var f = _functions[_rng.Next(_functions.Count)];
        if (_work * f.Cost > _workLimit) return NumLiteral();
        _cost = Math.Max(_cost, _work * f.Cost);
        if (f.Recursive) return $"{f.Name}({_rng.Next(0, 9)})";
        return $"{f.Name}({string.Join(", ", Enumerable.Range(0, f.Arity).Select(_ => Num(depth - 1)))})";
    }

    private string Str(int depth)
    {
        double roll = _rng.NextDouble();
        if (depth <= 0 || roll < 0.4) return StrLiteral();
        if (roll < 0.7) return VarOf(Ty.Str) ?? StrLiteral();
        return $"({Str(depth - 1)} + {StrLiteral()})";
    }

    private string Bool(int depth)
    {
        double roll = _rng.NextDouble();
        if (depth <= 0 || roll < 0.1) return Pick("true", "false");
        if (roll < 0.5) return $"{Num(depth - 1)} {Pick("<", "<=", ">", ">=", "==", "!=")} {Num(depth - 1)}";
        if (roll < 0.65) return $"{Str(depth - 1)} {Pick("==", "!=")} {Str(depth - 1)}";
        if (roll < 0.75) return $"!({Bool(depth - 1)})";
        if (roll < 0.8 && VarOf(Ty.Any) is { } any) return $"{any} {Pick("==", "!=")} {Expr(Pick(Ty.Num, Ty.Str, Ty.Bool), depth - 1)}";
        if (roll < 0.9) return $"({Bool(depth - 1)} {Pick("and", "or")} {Bool(depth - 1)})";
        return VarOf(Ty.Bool) ?? "true";
    }

    private string NumLiteral() => Chance(0.8)
        ? _rng.Next(0, 20).ToString(CultureInfo.InvariantCulture)
        : (_rng.Next(0, 40) / 4.0).ToString(CultureInfo.InvariantCulture);

    private string StrLiteral() => "\"" + Pick("a", "b", "ab", "ba", "") + "\"";

    private string? VarOf(Ty type)
    {
        var candidates = _scopes.SelectMany(s => s).Where(v => v.Type == type).ToList();
        return candidates.Count == 0 ? null : candidates[_rng.Next(candidates.Count)].Name;
    }

    // ---- plumbing ----

    private Ty RandomType()
    {
        double roll = _rng.NextDouble();
        return roll < 0.6 ? Ty.Num : roll < 0.78 ? Ty.Str : roll < 0.92 ? Ty.Bool : Ty.Any;
    }

    private bool Chance(double p) => _rng.NextDouble() < p;

    private T Pick<T>(params T[] options) => options[_rng.Next(options.Length)];

    private string Fresh(string prefix) => prefix + (_names++).ToString(CultureInfo.InvariantCulture);

    private void Scoped(Action body)
    {
        _indent++;
        _scopes.Add([]);
        body();
        _scopes.RemoveAt(_scopes.Count - 1);
        _indent--;
    }

    /// <summary>The header of a counting loop: <c>for (var v = 0; v &lt; bound; v = v + 1)</c>.</summary>
    private static string For(string v, int bound) => $"for (var {v} = 0; {v} < {bound}; {v} = {v} + 1)";

    private void Line(string text) => _out.Append(' ', 2 * _indent).Append(text).Append('\n');
}
