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

    /// <summary>
    /// Guards whose fail args have different counts of ints, floats and refs share the stores into the frame
    /// (a staircase per kind, entered by a switch on the count): each shared slot is stored once in the whole
    /// method, and every guard still delivers exactly its own fail args.
    /// </summary>
    [Test]
    public void Exits_with_different_kind_counts_share_their_stores_and_deliver_their_own_values()
    {
        Backend = new CilBackend { KeepIL = true };
        var loop = (CilCompiledTrace)Compile("""
            [i0, i1, f2, p3, p4]
            i5 = int_add(i0, 1)
            i6 = int_eq(i0, 0)
            guard_false(i6) [i5, p3]
            i7 = int_eq(i0, 1)
            guard_false(i7) [i1, i5, f2, p4, p3]
            i8 = int_eq(i0, 2)
            guard_false(i8) [f2, i1]
            i9 = int_eq(i0, 3)
            guard_false(i9) [p4, p3, i0, i1, i5]
            finish()
            """);
        var il = loop.IL[0].Split('\n');
        // Max counts over the exits: 3 ints, 1 float, 2 refs: six stores into the frame's banks (refs through
        // readonly. ldelema + stind.ref, without stelem.ref's covariance check).
        Assert.That(il.Count(l => l.StartsWith("stelem", StringComparison.Ordinal)), Is.EqualTo(4));
        Assert.That(il.Count(l => l == "stind.ref"), Is.EqualTo(2));
        Assert.That(il.Count(l => l.StartsWith("stelem.ref", StringComparison.Ordinal)), Is.Zero);
        Assert.That(il.Count(l => l == "switch"), Is.EqualTo(3));
        var (a, b) = (new object(), new object());
        object?[] Run(long i0) => CompiledLoopRunner.Run(loop, DeadFrame.For(loop, i0, 40L, 2.5, a, b)).Values;
        Assert.That(Run(0), Is.EqualTo(new object?[] { 1L, a }));
        Assert.That(Run(1), Is.EqualTo(new object?[] { 40L, 2L, 2.5, b, a }));
        Assert.That(Run(2), Is.EqualTo(new object?[] { 2.5, 40L }));
        Assert.That(Run(3), Is.EqualTo(new object?[] { b, a, 3L, 40L, 4L }));
    }

    [Test]
    public void A_reference_is_cast_once_until_the_next_label()
    {
        Backend = new CilBackend { KeepIL = true };
        var loop = (CilCompiledTrace)Compile("""
            [p0, i1]
            i2 = getarrayitem_gc_i(p0, 0, descr=longs)
            i3 = getarrayitem_gc_i(p0, 1, descr=longs)
            label(p0, i1, descr=loop)
            i4 = getarrayitem_gc_i(p0, 2, descr=longs)
            i5 = int_add(i4, i1)
            setarrayitem_gc(p0, 2, i5, descr=longs)
            i6 = int_sub(i1, 1)
            guard_true(i6) [p0, i6]
            jump(p0, i6, descr=loop)
            """);
        // One cast before the label, one after it (label args change at each jump), none for the later uses.
        Assert.That(loop.IL[0].Split('\n').Count(l => l.StartsWith("castclass")), Is.EqualTo(2));
        var data = new long[] { 0, 0, 0 };
        var outcome = CompiledLoopRunner.Run(loop, DeadFrame.For(loop, data, 4L));
        Assert.That(data[2], Is.EqualTo(4 + 3 + 2 + 1));
        Assert.That(outcome.GuardIndex, Is.EqualTo(0));
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
        TestContext.Out.WriteLine($"CIL compile time: {perHundred:F3} ms per 100 ops ({ops} ops in {traces.Count} traces, {clock.Elapsed.TotalMilliseconds:F1} ms, of which RyuJIT {backend.MachineCodeTime.TotalMilliseconds:F1} ms)");
        var straight = Enumerable.Range(0, 40).Select(k => TraceParser.Parse(LongTrace(200 + k), TestWorld.Names())).ToList();
        long straightOps = straight.Sum(t => (long)t.Operations.Length);
        clock.Restart();
        foreach (var t in straight) backend.CompileLoop(t);
        TestContext.Out.WriteLine($"CIL compile time, arithmetic with a guard every 3 ops: {clock.Elapsed.TotalMilliseconds / straightOps * 100:F3} ms per 100 ops");
        Assert.That(perHundred, Is.LessThan(20), "compile time way beyond the < 1 ms/100 ops target");
    }
}
