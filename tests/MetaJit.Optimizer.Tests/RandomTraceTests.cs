using MetaJit.Tests.Shared;
using System.Text;
using MetaJit.Engine.Optimizer;
using MetaJit.Engine.Resume;
using MetaJit.Engine.Trace;
using NUnit.Framework;

namespace MetaJit.Optimizer.Tests;

/// <summary>
/// Random small traces (ints, fields of test objects that may alias, allocations, arrays (fresh ones, and two
/// input arrays that may alias, stored and read at constant and computed indices), guards, calls), run
/// unoptimized and optimized on the trace interpreter: same exit (which guard, or finish), same values the
/// resume would rebuild (virtuals materialized from their recipes), same heap effects and call counts.
/// METAJIT_FUZZ_ITERATIONS sets how many traces (default 300), METAJIT_FUZZ_FIRST_SEED the first (default 1, i.e. seed 0).
/// </summary>
public class RandomTraceTests
{
    private static int Iterations => FuzzSettings.Iterations(ciDefault: 300);
    private static int FirstSeed => FuzzSettings.FirstSeed - 1; // seeds from 0 by default

    [TestCase(false, TestName = "Random_straight_traces_behave_the_same_optimized")]
    [TestCase(true, TestName = "Random_loops_behave_the_same_peeled_and_optimized")]
    public void Random_traces_behave_the_same(bool loop)
    {
        int withStringRecipes = 0;
        for (int seed = FirstSeed; seed < FirstSeed + Iterations; seed++)
        {
            var text = Generate(new Random(seed * 2 + (loop ? 1 : 0)), loop);
            var optimizedOnce = TraceOptimizer.OptimizeLoop(World.GiveFailArgResumeData(TraceParser.Parse(text, World.Names())), OptimizerOptions.All);
            if (optimizedOnce.Guards.Any(g => g.ResumeData is ResumeData { Virtuals: { } v } && v.Values.Any(r => r.TypeOrArray is MetaJit.Engine.Descriptors.CallDescr)))
                withStringRecipes++;
            foreach (var alias in new[] { false, true })
            {
                string? failure = Compare(text, alias, OptimizerOptions.All);
                Assert.That(failure, Is.Null, () => $"seed {seed}, aliasing {alias}: {failure}\n{text}\n--- optimized:\n{TraceOptimizer.OptimizeLoop(TraceParser.Parse(text, World.Names()), OptimizerOptions.All)}");
            }
        }
        TestContext.Out.WriteLine($"{withStringRecipes} of {Iterations} traces kept a string virtual at a guard");
        if (Iterations >= 100) Assert.That(withStringRecipes, Is.GreaterThan(Iterations / 20), "the generated guards should often hold virtual strings");
    }

    private static string? Compare(string text, bool alias, OptimizerOptions options)
    {
        var ns = World.Names();
        var trace = World.GiveFailArgResumeData(TraceParser.Parse(text, ns));
        var optimized = TraceOptimizer.OptimizeLoop(trace, options);
        var (a, ha) = Run(trace, alias);
        var (b, hb) = Run(optimized, alias);
        if (a.Kind != b.Kind) return $"exit {a.Kind} vs {b.Kind}";
        if (ha != hb) return $"heap {ha} vs {hb}";
        if (a.Kind == TraceExitKind.GuardFailed)
        {
            var da = (ResumeData)a.Guard!.ResumeData!;
            var db = (ResumeData)b.Guard!.ResumeData!;
            if (da.Frames[0].Pc != db.Frames[0].Pc) return $"guard {da.Frames[0].Pc} vs {db.Frames[0].Pc}";
            var va = Materializer.Rebuild(da, a.Values, a.Guard.FailArgs!.Length).Select(o => Show(o));
            var vb = Materializer.Rebuild(db, b.Values, a.Guard.FailArgs!.Length).Select(o => Show(o));
            if (!va.SequenceEqual(vb)) return $"resume values [{string.Join(", ", va)}] vs [{string.Join(", ", vb)}]";
            // Compiled code leaves through a dead frame: resume reads it typed, without boxes, and must agree.
            var vf = Materializer.RebuildFromDeadFrame(db, b.Guard.FailArgs!, b.Values, a.Guard.FailArgs!.Length).Select(o => Show(o));
            if (!vf.SequenceEqual(vb)) return $"resume values from the dead frame [{string.Join(", ", vf)}] vs boxed [{string.Join(", ", vb)}]";
        }
        else if (!a.Values.Select(o => Show(o)).SequenceEqual(b.Values.Select(o => Show(o)))) return "finish values differ";
        return null;
    }

    /// <summary>Runs the trace; on a guard failure performs the guard's pending writes first, as resuming does,
    /// so the heap compared is the heap the interpreter continues with.</summary>
    private static (TraceResult, string) Run(TreeLoop trace, bool alias)
    {
        var inputs = FreshInputs(alias);
        var r = new TraceInterpreter { MaxIterations = 1000 }.Run(trace, inputs);
        if (r.Kind == TraceExitKind.GuardFailed && r.Guard!.ResumeData is ResumeData data) ResumeReader.PerformWrites(data, r.Values);
        return (r, Heap(inputs));
    }

    /// <summary>The inputs of a generated trace, freshly made: 7, -2, two Nodes (or, aliasing, the constant
    /// <see cref="World.FuzzNode"/> twice), two long[4] (or one twice; p3 is the array clearScratch writes). Resets
    /// the call counter and the constant node.</summary>
    internal static object?[] FreshInputs(bool alias)
    {
        var constant = World.FuzzNode;
        constant.Value = 3;
        constant.Small = 4;
        constant.Next = null;
        constant.F = 0;
        constant.Single = 0;
        var p0 = alias ? constant : new Node(1) { Value = 3, Small = 4, F = 0.5 };
        var p1 = alias ? p0 : new Node(2) { Value = 5, Small = -6, Single = 0.1f };
        Fns.Calls = 0;
        long[] p3 = Fns.Scratch;
        p3[0] = 1; p3[1] = 2; p3[2] = 3; p3[3] = 4;
        long[] p2 = alias ? p3 : [5, 6, 7, 8];
        return [7L, -2L, p0, p1, p2, p3];
    }

    /// <summary>The heap reachable from <see cref="FreshInputs"/>, and the call count, as text.</summary>
    internal static string Heap(object?[] inputs) => $"{Show(inputs[2])} {Show(inputs[3])} {Show(inputs[4])} {Show(inputs[5])} {Show(World.FuzzNode)} calls={Fns.Calls}";

    internal static string Show(object? o) => Show(o, 2);

    private static string Show(object? o, int depth) => o switch
    {
        null => "null",
        Node nd => depth == 0 ? $"Node#{nd.Id}" : $"Node#{nd.Id}({nd.Value},{nd.Small},{Show(nd.F)},{Show((double)nd.Single)},{Show(nd.Next, depth - 1)})",
        double d => d.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        long[] arr => "[" + string.Join(",", arr) + "]",
        _ => o.ToString() ?? "",
    };

    /// <summary>A random trace over inputs i0, i1, p0, p1 (p0, p1 non-null Nodes, maybe the same one), p2, p3
    /// (long[4] arrays, maybe the same one).</summary>
    internal static string Generate(Random rnd, bool loop)
    {
        var sb = new StringBuilder("[i0, i1, p0, p1, p2, p3]\n");
        var ints = new List<string> { "i0", "i1" };
        var refs = new List<string> { "p0", "p1" };
        var loose = new List<string>(); // references that may be null
        var floats = new List<string>();
        string Fl() => floats.Count > 0 && rnd.Next(3) > 0 ? floats[rnd.Next(floats.Count)] : new[] { "0.1", "-1.5", "3.0", "1e+300" }[rnd.Next(4)];
        string FloatField() => rnd.Next(2) == 0 ? "f" : "single";
        // A store of a reference into next (often a loose one), and a guard on a comparison just written.
        void StoreNext()
        {
            var r = R(); var v = loose.Count > 0 && rnd.Next(2) == 0 ? loose[rnd.Next(loose.Count)] : R();
            sb.Append($"setfield_gc({r}, {v}, descr=next)\n");
        }
        void GuardOn(string condition) => sb.Append($"{(rnd.Next(2) == 0 ? "guard_true" : "guard_false")}({condition}) {Fail()}\n");
        var arrays = new List<string>();
        int next = 10;
        string I() => ints[rnd.Next(ints.Count)];
        string R() => rnd.Next(4) == 0 ? "ConstPtr(fuzzNode)" : refs[rnd.Next(refs.Count)]; // the constant is p0 and p1 when they alias
        string K() => rnd.Next(4) == 0 ? I() : rnd.Next(-3, 20).ToString();
        // Strings: constants, slices (RString.Slice, kept within bounds as its contract asks) and concatenations,
        // with the fewest characters each can have.
        var strings = new List<(string Name, int MinLength)> { ("'metajit'", 7) };
        (string Name, int MinLength) S() => strings[rnd.Next(strings.Count)];
        string FailArg() => rnd.Next(3) == 0 ? R() : strings.Count > 1 && rnd.Next(3) == 0 ? strings[rnd.Next(1, strings.Count)].Name
            : floats.Count > 0 && rnd.Next(4) == 0 ? floats[rnd.Next(floats.Count)] : I();
        string Fail() => "[" + string.Join(", ", Enumerable.Range(0, rnd.Next(1, 4)).Select(_ => FailArg())) + "]";
        string NewI() { var v = "i" + next++; ints.Add(v); return v; }
        string A() => rnd.Next(2) == 0 ? "p2" : "p3";
        // An index into the input arrays: a constant, or a value masked into range (often the same one again), or
        // one in [0, 1] plus or minus constants (another index with the same root).
        var indices = new List<string>();
        var small = new List<string>();
        string Idx()
        {
            if (rnd.Next(2) == 0) return rnd.Next(4).ToString();
            if (indices.Count > 0 && rnd.Next(2) == 0) return indices[rnd.Next(indices.Count)];
            var v = "i" + next++;
            switch (rnd.Next(3))
            {
                case 0: sb.Append($"{v} = int_and({I()}, 3)\n"); break;
                case 1:
                    sb.Append($"{v} = int_and({I()}, 1)\n");
                    small.Add(v);
                    break;
                default:
                    if (small.Count == 0) goto case 1;
                    var s = small[rnd.Next(small.Count)];
                    var w = "i" + next++;
                    int up = rnd.Next(1, 3); // s + up - down: s + 1 can come two ways (distinct values, one index)
                    sb.Append($"{w} = int_add({s}, {up})\n{v} = int_sub({w}, {rnd.Next(up + 1)})\n");
                    break;
            }
            indices.Add(v);
            return v;
        }
        if (loop)
        {
            sb.Append("label(i0, i1, p0, p1, p2, p3, descr=loop)\n");
            var c = NewI();
            sb.Append($"{c} = int_add(i0, 1)\n");
            var t = "i" + next++;
            sb.Append($"{t} = int_lt({c}, 8)\nguard_true({t}) {Fail()}\n");
        }
        int count = rnd.Next(4, 18);
        for (int k = 0; k < count; k++)
        {
            switch (rnd.Next(25))
            {
                case 19:
                {
                    var p = "p" + next++;
                    var (a, minA) = S();
                    if (minA >= 2 && rnd.Next(2) == 0)
                    {
                        // start in [0, 1], length in [0, 1]: within any string of two characters or more
                        string start = rnd.Next(2) == 0 ? rnd.Next(2).ToString() : "i" + next++, length = rnd.Next(2) == 0 ? rnd.Next(2).ToString() : "i" + next++;
                        if (!start.StartsWith('i') && !length.StartsWith('i')) start = "i" + next++;
                        if (start.StartsWith('i')) sb.Append($"{start} = int_and({I()}, 1)\n");
                        if (length.StartsWith('i')) sb.Append($"{length} = int_and({I()}, 1)\n");
                        sb.Append($"{p} = call_r({a}, {start}, {length}, descr=slice)\nguard_no_exception() {Fail()}\n");
                        strings.Add((p, 0));
                    }
                    else
                    {
                        var (b, minB) = rnd.Next(3) == 0 ? ("'xy'", 2) : S();
                        sb.Append($"{p} = call_r({a}, {b}, descr=concat)\nguard_no_exception() {Fail()}\n");
                        strings.Add((p, minA + minB));
                    }
                    break;
                }
                case 20:
                {
                    var (a, min) = S();
                    switch (rnd.Next(4))
                    {
                        case 0: sb.Append($"{NewI()} = strlen({a})\n"); break;
                        case 1: sb.Append($"{NewI()} = call_pure_i({a}, descr=length)\n"); break;
                        case 2 when min >= 1: sb.Append($"{NewI()} = call_pure_i({a}, 0, descr=charAt)\nguard_no_exception() {Fail()}\n"); break;
                        default: sb.Append($"{NewI()} = call_i({a}, 'et', descr=strEquals)\nguard_no_exception() {Fail()}\n"); break;
                    }
                    break;
                }
                case 0: case 1:
                {
                    var op = new[] { "int_add", "int_sub", "int_mul", "int_and", "int_xor", "int_or" }[rnd.Next(6)];
                    var a = I(); var b = K();
                    sb.Append($"{NewI()} = {op}({a}, {b})\n");
                    break;
                }
                case 2:
                {
                    var a = I();
                    sb.Append($"{NewI()} = int_signext({a}, 4)\n");
                    break;
                }
                case 3:
                {
                    var a = I(); var b = rnd.Next(8) == 0 ? "9223372036854775800" : K(); var v = NewI();
                    sb.Append($"{v} = int_add_ovf({a}, {b})\nguard_no_overflow() {Fail()}\n");
                    break;
                }
                case 4: case 5:
                {
                    var op = new[] { "int_lt", "int_le", "int_eq", "int_ne", "int_gt", "uint_lt" }[rnd.Next(6)];
                    var a = I(); var b = K(); var c = "i" + next++;
                    sb.Append($"{c} = {op}({a}, {b})\n");
                    GuardOn(c);
                    break;
                }
                case 6:
                {
                    var r = R(); var x = NewI();
                    bool value = rnd.Next(2) == 0;
                    sb.Append($"{x} = getfield_gc_i({r}, descr={(value ? "value" : "small")})\n");
                    // A field guarded to a constant (an instance's map): unroll carries what the preamble's guard made
                    // it while the body leaves the field alone. Inputs start at value 3 or 5, small 4 or -6.
                    if (rnd.Next(3) == 0) sb.Append($"guard_value({x}, {(value ? (rnd.Next(2) == 0 ? 3 : 5) : 4)}) {Fail()}\n");
                    break;
                }
                case 7:
                {
                    var r = R(); var v = I();
                    sb.Append($"setfield_gc({r}, {v}, descr={(rnd.Next(3) == 0 ? "small" : "value")})\n");
                    break;
                }
                case 8:
                {
                    var p = "p" + next++;
                    var v = I();
                    sb.Append($"{p} = new_with_vtable(descr=Node)\nsetfield_gc({p}, {v}, descr=value)\n");
                    if (rnd.Next(2) == 0) sb.Append($"setfield_gc({p}, {R()}, descr=next)\n");
                    refs.Add(p);
                    break;
                }
                case 9:
                    StoreNext();
                    break;
                case 22:
                {
                    // Floats: fields (a float field keeps single precision), arithmetic, casts.
                    var f = "f" + next++;
                    switch (rnd.Next(4))
                    {
                        case 0: sb.Append($"{f} = getfield_gc_f({R()}, descr={FloatField()})\n"); break;
                        case 1: sb.Append($"{f} = {new[] { "float_add", "float_sub", "float_mul" }[rnd.Next(3)]}({Fl()}, {Fl()})\n"); break;
                        case 2: sb.Append($"{f} = cast_int_to_float({I()})\n"); break;
                        default: sb.Append($"{f} = float_neg({Fl()})\n"); break;
                    }
                    floats.Add(f);
                    break;
                }
                case 23:
                    if (rnd.Next(3) == 0)
                    {
                        var p = "p" + next++;
                        sb.Append($"{p} = new_with_vtable(descr=Node)\nsetfield_gc({p}, {Fl()}, descr={FloatField()})\n");
                        refs.Add(p);
                    }
                    else sb.Append($"setfield_gc({R()}, {Fl()}, descr={FloatField()})\n");
                    break;
                case 24:
                {
                    var c = "i" + next++;
                    sb.Append($"{c} = {new[] { "float_lt", "float_le", "float_eq", "float_ne" }[rnd.Next(4)]}({Fl()}, {Fl()})\n");
                    GuardOn(c);
                    break;
                }
                case 21:
                {
                    // A reference read and only stored again (maybe null: never dereferenced): a value carried around
                    // the loop that a held-back store may be the only one to use.
                    var p = "p" + next++;
                    sb.Append($"{p} = getfield_gc_r({R()}, descr=next)\n");
                    loose.Add(p);
                    break;
                }
                case 10:
                {
                    var r = R();
                    var x = I();
                    var y = K();
                    switch (rnd.Next(4))
                    {
                        case 0: sb.Append($"{NewI()} = call_i({x}, descr=opaque)\nguard_no_exception() {Fail()}\n"); break;
                        case 1: sb.Append($"call_n({r}, {x}, descr=writeValue)\n"); break;
                        case 2: sb.Append($"{NewI()} = call_pure_i({y}, descr=double)\nguard_no_exception() {Fail()}\n"); break;
                        default: sb.Append($"call_n({r}, descr=store)\nguard_no_exception() {Fail()}\n"); break;
                    }
                    break;
                }
                case 11:
                {
                    var a = "p" + next++;
                    sb.Append($"{a} = new_array_clear(3, descr=longs)\nsetarrayitem_gc({a}, {rnd.Next(3)}, {I()}, descr=longs)\n");
                    arrays.Add(a);
                    break;
                }
                case 12 when arrays.Count > 0:
                {
                    var a = arrays[rnd.Next(arrays.Count)];
                    sb.Append($"{NewI()} = getarrayitem_gc_i({a}, {rnd.Next(3)}, descr=longs)\n");
                    break;
                }
                case 13:
                {
                    var r = R(); var c = "i" + next++;
                    sb.Append($"{c} = ptr_eq({r}, {R()})\n");
                    GuardOn(c);
                    break;
                }
                case 14:
                {
                    var r = R(); var p = "p" + next++;
                    sb.Append($"{p} = getfield_gc_r({r}, descr=next)\nguard_nonnull({p}) {Fail()}\n");
                    refs.Add(p);
                    break;
                }
                case 15: case 16:
                {
                    var a = A(); var i = Idx();
                    sb.Append($"setarrayitem_gc({a}, {i}, {K()}, descr=longs)\n");
                    break;
                }
                case 17:
                {
                    var a = A(); var i = Idx();
                    sb.Append($"{NewI()} = getarrayitem_gc_i({a}, {i}, descr=longs)\n");
                    break;
                }
                case 18:
                {
                    var a = A(); var x = I();
                    switch (rnd.Next(4))
                    {
                        case 0: { var i = Idx(); sb.Append($"call_n({a}, {i}, {x}, descr=writeItem)\nguard_no_exception() {Fail()}\n"); break; }
                        case 1: sb.Append($"{NewI()} = call_i({a}, descr=firstItem)\nguard_no_exception() {Fail()}\n"); break;
                        case 2: sb.Append("call_n(descr=clearScratch)\n"); break;
                        default:
                        {
                            var fail = Fail(); // before the result exists: a call that raised has none
                            sb.Append($"{NewI()} = call_i({x}, descr=check)\nguard_no_exception() {fail}\n");
                            break;
                        }
                    }
                    break;
                }
            }
        }
        if (loop)
        {
            // Stores after the last guard stay held back until the jump: what they store must still reach it.
            if (rnd.Next(2) == 0) StoreNext();
            if (rnd.Next(3) == 0) sb.Append($"setarrayitem_gc({A()}, {rnd.Next(4)}, {I()}, descr=longs)\n");
            var jumpRefs = new[] { R(), R() };
            sb.Append($"jump(i10, {I()}, {jumpRefs[0]}, {jumpRefs[1]}, {A()}, {A()}, descr=loop)\n");
        }
        else sb.Append($"finish({ints[^1]}, {I()}, {I()})\n"); // the newest value too: often a read, so stale reads show
        return sb.ToString();
    }
}
