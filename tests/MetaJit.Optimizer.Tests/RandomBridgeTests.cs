using MetaJit.Tests.Shared;
using System.Text;
using MetaJit.Engine.Descriptors;
using MetaJit.Engine.Optimizer;
using MetaJit.Engine.Resume;
using MetaJit.Engine.Trace;
using NUnit.Framework;

namespace MetaJit.Optimizer.Tests;

/// <summary>
/// Random bridges from the guards random straight traces fail (the traces of <see cref="RandomTraceTests"/>):
/// a bridge reading and writing fields, items and lengths of the guard's fail args, run two ways on the trace
/// interpreter. Unoptimized: leave through the guard as resuming does (pending writes done, virtuals built),
/// then the bridge as traced. Optimized: the bridge optimized from the guard (its lazy writes redone, virtuals
/// rebuilt, starting from the loop's knowledge and heap cache) entered with the guard's raw values, as compiled
/// code enters it. Same exit, same result, same heap and call counts. METAJIT_FUZZ_ITERATIONS sets how many traces,
/// METAJIT_FUZZ_FIRST_SEED the first.
/// </summary>
public class RandomBridgeTests
{
    private static int Iterations => FuzzSettings.Iterations(ciDefault: 300);
    private static int FirstSeed => FuzzSettings.FirstSeed - 1; // seeds from 0 by default

    private static readonly OpNum[] Reads = [OpNum.GetfieldGcI, OpNum.GetfieldGcR, OpNum.GetarrayitemGcI, OpNum.ArraylenGc];

    [Test]
    public void Random_bridges_behave_the_same_optimized_from_their_guard()
    {
        int bridges = 0, withFacts = 0, fewerReads = 0;
        for (int seed = FirstSeed; seed < FirstSeed + Iterations; seed++)
        {
            var text = RandomTraceTests.Generate(new Random(seed * 2), false);
            foreach (var alias in new[] { false, true })
            {
                var trace = World.GiveFailArgResumeData(TraceParser.Parse(text, World.Names()));
                var loop = TraceOptimizer.OptimizeLoop(trace, OptimizerOptions.All);

                var inputs = RandomTraceTests.FreshInputs(alias);
                var r = new TraceInterpreter { MaxIterations = 1000 }.Run(loop, inputs);
                if (r.Kind != TraceExitKind.GuardFailed) continue;
                var guard = r.Guard!;
                var data = (ResumeData)guard.ResumeData!;
                ResumeReader.PerformWrites(data, r.Values);
                var resumed = ResumeReader.ReadSlots(data, r.Values, Enumerable.Range(0, guard.FailArgs!.Length).ToArray());
                var bridgeText = GenerateBridge(new Random(seed), guard.FailArgs, resumed);
                var expected = new TraceInterpreter().Run(TraceParser.Parse(bridgeText, World.Names()), resumed);
                var expectedHeap = RandomTraceTests.Heap(inputs);

                var inputs2 = RandomTraceTests.FreshInputs(alias);
                var r2 = new TraceInterpreter { MaxIterations = 1000 }.Run(loop, inputs2);
                Assert.That(r2.Guard, Is.SameAs(guard));
                var raw = TraceParser.Parse(bridgeText, World.Names());
                var opt = TraceOptimizer.OptimizeBridge(raw, guard, OptimizerOptions.All);
                var got = new TraceInterpreter().Run(opt, r2.Values);

                string context = $"seed {seed}, aliasing {alias}\n{text}\n--- loop:\n{loop}\n--- bridge:\n{bridgeText}\n--- optimized:\n{new TracePrinter(World.Names()).Print(opt)}";
                Assert.That(got.Kind, Is.EqualTo(expected.Kind), context);
                if (got.Kind == TraceExitKind.Finish) Assert.That(got.Values.Select(RandomTraceTests.Show), Is.EqualTo(expected.Values.Select(RandomTraceTests.Show)), context);
                Assert.That(RandomTraceTests.Heap(inputs2), Is.EqualTo(expectedHeap), context);

                bridges++;
                if (data.HeapFacts.Length > 0) withFacts++;
                if (opt.Operations.Count(o => Reads.Contains(o.Num)) < raw.Operations.Count(o => Reads.Contains(o.Num))) fewerReads++;
            }
        }
        TestContext.Out.WriteLine($"{bridges} bridges, {withFacts} from guards with heap facts, {fewerReads} read less optimized");
        if (Iterations >= 100) Assert.That(withFacts, Is.GreaterThan(bridges / 10), "the generated guards should often carry heap facts");
    }

    /// <summary>A random bridge over the guard's fail args: reads and writes of the Nodes' fields and the arrays' items
    /// (at 0..2) and lengths among them, calls that write, guarded comparisons of its int inputs, null checks of its
    /// references, and a finish of everything read added up.</summary>
    private static string GenerateBridge(Random rnd, Value[] failArgs, object?[] resumed)
    {
        var names = failArgs.Select((v, k) => (v.Kind switch { ValueKind.Int => "i", ValueKind.Ref => "p", _ => "f" }) + k).ToArray();
        var sb = new StringBuilder("[" + string.Join(", ", names) + "]\n");
        var ints = names.Where(s => s[0] == 'i').ToList();
        var nodes = names.Where((s, k) => resumed[k] is Node).ToList();
        if (rnd.Next(2) == 0) nodes.Add("ConstPtr(fuzzNode)"); // the loop's constant node (p0 and p1 when they alias)
        var arrays = names.Where((s, k) => resumed[k] is long[] { Length: >= 3 }).ToList();
        int next = 100;
        string acc = "0";
        string NewI()
        {
            var v = "i" + next++;
            ints.Add(v);
            return v;
        }
        string I() => ints.Count > 0 && rnd.Next(4) > 0 ? ints[rnd.Next(ints.Count)] : rnd.Next(-3, 20).ToString();
        string Field() => rnd.Next(3) == 0 ? "small" : "value";
        void Add(string v)
        {
            var s = "i" + next++;
            sb.Append($"{s} = int_add({acc}, {v})\n");
            acc = s;
        }
        // A comparison of an int fail arg with a constant near its value, guarded mostly the way it goes (what the
        // bridge learns from its own guard having failed must agree).
        void Compare()
        {
            var candidates = Enumerable.Range(0, names.Length).Where(k => resumed[k] is long).ToList();
            if (candidates.Count == 0) return;
            int k = candidates[rnd.Next(candidates.Count)];
            long x = (long)resumed[k]!, c = x + rnd.Next(-2, 3);
            var (op, truth) = rnd.Next(6) switch
            {
                0 => ("int_lt", x < c),
                1 => ("int_le", x <= c),
                2 => ("int_ge", x >= c),
                3 => ("int_eq", x == c),
                4 => ("int_ne", x != c),
                _ => ("int_is_true", x != 0),
            };
            var b = "i" + next++;
            sb.Append(op == "int_is_true" ? $"{b} = int_is_true({names[k]})\n" : $"{b} = {op}({names[k]}, {c})\n");
            if (rnd.Next(3) == 0) truth = !truth;
            sb.Append($"guard_{(truth ? "true" : "false")}({b}) [{names[k]}]\n");
            Add(names[k]);
        }
        // A null check of a reference fail arg, mostly the way it goes.
        void NullCheck()
        {
            var candidates = Enumerable.Range(0, names.Length).Where(k => failArgs[k].Kind == ValueKind.Ref).ToList();
            if (candidates.Count == 0) return;
            int k = candidates[rnd.Next(candidates.Count)];
            bool isNull = resumed[k] == null;
            if (rnd.Next(3) == 0) isNull = !isNull;
            sb.Append($"guard_{(isNull ? "isnull" : "nonnull")}({names[k]}) [{names[k]}]\n");
        }
        int count = rnd.Next(3, 11);
        for (int k = 0; k < count; k++)
        {
            switch (rnd.Next(10))
            {
                case 0 or 1 when nodes.Count > 0:
                {
                    var v = NewI();
                    sb.Append($"{v} = getfield_gc_i({nodes[rnd.Next(nodes.Count)]}, descr={Field()})\n");
                    Add(v);
                    break;
                }
                case 2 when nodes.Count > 0:
                    sb.Append($"setfield_gc({nodes[rnd.Next(nodes.Count)]}, {I()}, descr={Field()})\n");
                    break;
                case 3 when arrays.Count > 0:
                {
                    var v = NewI();
                    sb.Append($"{v} = getarrayitem_gc_i({arrays[rnd.Next(arrays.Count)]}, {rnd.Next(3)}, descr=longs)\n");
                    Add(v);
                    break;
                }
                case 4 when arrays.Count > 0:
                    sb.Append($"setarrayitem_gc({arrays[rnd.Next(arrays.Count)]}, {rnd.Next(3)}, {I()}, descr=longs)\n");
                    break;
                case 5 when arrays.Count > 0:
                {
                    var v = NewI();
                    sb.Append($"{v} = arraylen_gc({arrays[rnd.Next(arrays.Count)]}, descr=longs)\n");
                    Add(v);
                    break;
                }
                case 6 when nodes.Count > 0:
                {
                    var p = "p" + next++;
                    sb.Append($"{p} = getfield_gc_r({nodes[rnd.Next(nodes.Count)]}, descr=next)\nguard_nonnull({p}) [{p}]\n");
                    nodes.Add(p);
                    break;
                }
                case 7 when nodes.Count > 0:
                    sb.Append($"call_n({nodes[rnd.Next(nodes.Count)]}, {I()}, descr=writeValue)\n");
                    break;
                case 8:
                    sb.Append("call_n(descr=clearScratch)\n");
                    break;
                case 9:
                    if (rnd.Next(3) > 0) Compare();
                    else NullCheck();
                    break;
            }
        }
        sb.Append($"finish({acc})\n");
        return sb.ToString();
    }
}
