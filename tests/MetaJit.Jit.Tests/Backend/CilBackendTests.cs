using System.Diagnostics;
using MetaJit.Engine.Backend;
using MetaJit.Engine.Backend.Cil;
using MetaJit.Engine.Trace;
using NUnit.Framework;

namespace MetaJit.Jit.Tests.Backend;

[TestFixture]
public class CilBackendTests : BackendContract
{
    protected override IBackend CreateBackend() => new CilBackend();

    [Test]
    public void Long_traces_are_split_into_chained_methods()
    {
        var loop = (CilCompiledTrace)Compile(LongTrace(3000));
        Assert.That(loop.PieceCount, Is.GreaterThanOrEqualTo(3));
        var shortLoop = (CilCompiledTrace)Compile(LongTrace(300));
        Assert.That(shortLoop.PieceCount, Is.EqualTo(1));
    }

    [Test]
    public void The_il_listing_shows_the_shared_exit()
    {
        Backend = new CilBackend { KeepIL = true };
        var loop = (CilCompiledTrace)Compile("[i0]\nguard_true(i0) [i0]\nguard_false(i0) [i0]\nfinish()");
        Assert.That(loop.IL[0], Does.Contain("ldfld DeadFrame::Ints"));
        // Two guards, one fail-arg list: a single moves block and exit, so one ret for exits besides finish and warm-up.
        Assert.That(loop.IL[0].Split('\n').Count(l => l == "ret"), Is.EqualTo(3));
    }

    [Test]
    public void Trusting_types_gives_the_same_results()
    {
        Backend = new CilBackend { TrustTypes = true };
        Fields_statics_and_arrays_read_and_write_the_heap();
        Residual_calls_of_every_result_kind_agree();
    }

    [Test]
    public void Compile_time_is_reported_per_hundred_ops()
    {
        var backend = new CilBackend();
        var rng = new Random(42);
        // Warm the emitter and RyuJIT's own code first.
        for (int k = 0; k < 5; k++) backend.CompileLoop(TraceParser.Parse(RandomTraces.Generate(rng, 100, true), TestWorld.Names()));
        var traces = Enumerable.Range(0, 40).Select(_ => TraceParser.Parse(RandomTraces.Generate(rng, 200, true), TestWorld.Names())).ToList();
        long ops = traces.Sum(t => (long)t.Operations.Length);
        var clock = Stopwatch.StartNew();
        foreach (var t in traces) backend.CompileLoop(t);
        double perHundred = clock.Elapsed.TotalMilliseconds / ops * 100;
        TestContext.Out.WriteLine($"CIL compile time: {perHundred:F3} ms per 100 ops ({ops} ops in {traces.Count} traces, {clock.Elapsed.TotalMilliseconds:F1} ms, of which RyuJIT {backend.JitTime.TotalMilliseconds:F1} ms)");
        var straight = Enumerable.Range(0, 40).Select(k => TraceParser.Parse(LongTrace(200 + k), TestWorld.Names())).ToList();
        long straightOps = straight.Sum(t => (long)t.Operations.Length);
        clock.Restart();
        foreach (var t in straight) backend.CompileLoop(t);
        TestContext.Out.WriteLine($"CIL compile time, arithmetic with a guard every 3 ops: {clock.Elapsed.TotalMilliseconds / straightOps * 100:F3} ms per 100 ops");
        Assert.That(perHundred, Is.LessThan(20), "compile time way beyond the < 1 ms/100 ops target");
    }
}
