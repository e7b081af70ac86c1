// What one trace-to-trace transition costs in the CIL backend, measured on loops shaped like BF's traces
// (a byte array, an index, a second ref; a preamble label and a loop label): the same work done as one IL
// loop, as two loops jumping to each other's labels, and as a loop whose guard fails into a bridge that jumps
// back. The differences divided by the iteration count are the cost of a jump and of a guard->bridge step.
using System.Diagnostics;
using MetaJit.Engine.Backend;
using MetaJit.Engine.Backend.Cil;
using MetaJit.Engine.Descriptors;
using MetaJit.Engine.Trace;

const long N = 4_000_000;
var names = new TraceNamespace();
names.Add("bytes", Descrs.Array(typeof(byte)));
if (args.Length > 0 && args[0] == "il")
{
    // The IL of one mandel trace and the IL instruction count per trace op (what RyuJIT's time scales with).
    var ns = new TraceNamespace();
    ns.Add("Byte[]", Descrs.Array(typeof(byte)));
    var texts = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "mandel-traces.txt")).Split("\n====\n");
    var ilBackend = new CilBackend { KeepIL = true };
    long ilLines = 0, ops = 0;
    ICompiledTrace? sample = null;
    foreach (var t in texts)
    {
        var compiled = ilBackend.CompileLoop(TraceParser.Parse(t, ns));
        ilLines += ((CilCompiledTrace)compiled).IL.Sum(l => l.Split('\n').Length);
        ops += compiled.Trace.Operations.Length;
        sample ??= compiled.Trace.Operations.Length > 40 ? compiled : null;
    }
    Console.WriteLine($"{ilLines / (double)ops:F1} IL instructions per op");
    Console.WriteLine(new TracePrinter().Print(sample!.Trace));
    Console.WriteLine(string.Join("\n", ((CilCompiledTrace)sample).IL));
    return;
}
if (args.Length > 0 && args[0] == "compile")
{
    CompileBench();
    return;
}

string Body(string label, string jumpTo) => $"""
    [p0, i1, p2]
    label(p0, i1, p2, descr={label})
    i3 = arraylen_gc(p0, descr=bytes)
    i4 = uint_lt(i1, i3)
    guard_true(i4) [i1, p2, p0]
    i5 = getarrayitem_gc_i(p0, i1, descr=bytes)
    i6 = int_add(i5, 1)
    i7 = int_and(i6, 255)
    setarrayitem_gc(p0, i1, i7, descr=bytes)
    label(p0, i1, p2, descr={label}.loop)
    i8 = getarrayitem_gc_i(p0, 1, descr=bytes)
    i9 = int_add(i8, 1)
    i10 = int_and(i9, 255)
    setarrayitem_gc(p0, 1, i10, descr=bytes)
    i11 = int_eq(i10, 0)
    guard_false(i11) [i10, i1, p2, p0]
    i12 = getarrayitem_gc_i(p0, 2, descr=bytes)
    i13 = int_add(i12, 1)
    setarrayitem_gc(p0, 2, i13, descr=bytes)
    i14 = getarrayitem_gc_i(p0, 3, descr=bytes)
    i15 = int_is_true(i14)
    guard_false(i15) [i1, p2, p0]
    jump(p0, i1, p2, descr={jumpTo})
    """;

double Measure(string what, ICompiledTrace entry, Func<byte[], bool> done, int rounds = 5)
{
    double best = double.MaxValue;
    for (int r = 0; r < rounds; r++)
    {
        var data = new byte[16];
        var frame = DeadFrame.For(entry, data, 0L, "x");
        long iterations = 0;
        var clock = Stopwatch.StartNew();
        while (iterations < N)
        {
            // Leaves after 255 iterations of the counter in data[1] (guard_false(i11)); re-enter like the interpreter would.
            frame.Refs[0] = data; frame.Ints[0] = 0; frame.Refs[1] = "x";
            CompiledLoopRunner.Run(entry, frame, 0);
            iterations += 255;
        }
        best = Math.Min(best, clock.Elapsed.TotalNanoseconds / iterations);
    }
    Console.WriteLine($"{what,-48} {best,7:F1} ns/iteration");
    return best;
}

var backend = new CilBackend();
var single = backend.CompileLoop(TraceParser.Parse(Body("s", "s.loop"), names));
double one = Measure("one loop (IL loop, no transition)", single, _ => true);

var a = TraceParser.Parse(Body("a", "b"), names);
var b = TraceParser.Parse(Body("b", "a"), names);
var ca = backend.CompileLoop(a);
backend.CompileLoop(b);
double two = Measure("two loops jumping to each other's labels", ca, _ => true);
Console.WriteLine($"=> one jump transition: {two - one:F1} ns");
{
    // The same transition without the runner: Execute from label a until it jumps to b, in a C# loop.
    double best = double.MaxValue;
    for (int r = 0; r < 5; r++)
    {
        var data = new byte[16];
        var frame = DeadFrame.For(ca, data, 0L, "x");
        var clock = Stopwatch.StartNew();
        for (long k = 0; k < N; k++)
        {
            frame.JumpTarget = null;
            frame.Refs[0] = data; frame.Ints[0] = 0; frame.Refs[1] = "x"; // as the runner would find them after a jump
            ca.Execute(frame, 1);
        }
        best = Math.Min(best, clock.Elapsed.TotalNanoseconds / N);
    }
    Console.WriteLine($"{"Execute(label a) -> jump out, no runner",-48} {best,7:F1} ns/call");
    Console.WriteLine($"=> entry + exit inside the method: {best - one:F1} ns; the runner's share: {two - best:F1} ns");
}

// A guard that always fails (data[3] stays 0 -> i15 false ... use guard_true on it) into a bridge jumping back.
var loopText = Body("c", "c.loop").Replace("guard_false(i15)", "guard_true(i15)");
var c = backend.CompileLoop(TraceParser.Parse(loopText, names));
var guardIndex = c.Trace.Guards.Count - 1;
backend.CompileBridge(c, guardIndex, TraceParser.Parse("""
    [i0, p1, p2]
    jump(p2, i0, p1, descr=c.loop)
    """, names));
double bridged = Measure("loop -> guard -> bridge -> jump to own label", c, _ => true);
Console.WriteLine($"=> one bridge step + jump: {bridged - one:F1} ns");

if (!backend.CompileTree(c)) throw new InvalidOperationException("the tree was not compiled");
double tree = Measure("same, the loop recompiled as a tree with its bridge", c, _ => true);
Console.WriteLine($"=> tree: {tree - one:F1} ns per iteration more than the plain loop");

// Compile time per op on real traces: every 20th optimized loop and bridge of mandel.b (mandel-traces.txt,
// taken from METAJIT_LOG=traces, debug_merge_points dropped), each compiled as a loop; 3 passes, fresh backends.
void CompileBench()
{
    var ns = new TraceNamespace();
    ns.Add("Byte[]", Descrs.Array(typeof(byte)));
    var texts = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "mandel-traces.txt")).Split("\n====\n");
    var traces = texts.Select(t => TraceParser.Parse(t, ns)).ToList();
    long ops = traces.Sum(t => (long)t.Operations.Length);
    new CilBackend().CompileLoop(traces[0]); // warm up the emitter and RyuJIT itself
    var tiny = new CilBackend();
    var tinyClock = Stopwatch.StartNew();
    for (int k = 0; k < 300; k++) tiny.CompileLoop(TraceParser.Parse("[i0]\nfinish(i0)", ns));
    Console.WriteLine($"an empty trace: {tinyClock.Elapsed.TotalMilliseconds / 300:F3} ms each (RyuJIT {tiny.MachineCodeTime.TotalMilliseconds / tinyClock.Elapsed.TotalMilliseconds * 100:F0}%)");
    for (int pass = 0; pass < 3; pass++)
    {
        var backend = new CilBackend { TrustTypes = args.Contains("trust") };
        var parsed = texts.Select(t => TraceParser.Parse(t, ns)).ToList();
        var clock = Stopwatch.StartNew();
        foreach (var t in parsed) backend.CompileLoop(t);
        Console.WriteLine($"{parsed.Count} traces, {ops} ops: {clock.Elapsed.TotalMilliseconds / ops * 100:F3} ms per 100 ops (RyuJIT {backend.MachineCodeTime.TotalMilliseconds / clock.Elapsed.TotalMilliseconds * 100:F0}%)");
    }
}
