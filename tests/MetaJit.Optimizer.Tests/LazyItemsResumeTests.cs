using System.Reflection;
using MetaJit.Engine.Backend;
using MetaJit.Engine.Backend.Cil;
using MetaJit.Engine.JitCodes;
using MetaJit.Engine.Optimizer;
using MetaJit.Engine.Resume;
using MetaJit.Engine.Trace;
using NUnit.Framework;

namespace MetaJit.Optimizer.Tests;

/// <summary>
/// Array-item stores the heap pass keeps back past a guard: the guard's resume data records them
/// (<see cref="PendingWrite.ArrayItem"/>), leaving through the guard performs them (trace interpreter, and the
/// CIL backend's dead frame through <see cref="ResumeReader.Rebuild(ResumeData, Value[], DeadFrame)"/>), and a
/// bridge from the guard starts by doing them (with <see cref="OptimizerOptions.KeepItemsThroughGuards"/>: by
/// default item stores are done before ordinary guards). Also: overflow and exception guards, which must stay
/// next to their op, record what is held back instead of dropping it (always).
/// </summary>
public class LazyItemsResumeTests
{
    /// <summary>Optimizes <paramref name="text"/> after giving each guard resume data (one frame, no registers).</summary>
    private static TreeLoop Optimized(string text)
    {
        var trace = World.GiveResumeData(TraceParser.Parse(text, World.Names()));
        return TraceOptimizer.Optimize(trace, OptimizerOptions.All with { KeepItemsThroughGuards = true });
    }

    private static string Print(TreeLoop t) => new TracePrinter(World.Names()).Print(t);

    private const string ConstIndex = """
        [p0, i0]
        setarrayitem_gc(p0, 1, 5, descr=longs)
        setarrayitem_gc(p0, 1, i0, descr=longs)
        guard_true(i0) [i0]
        setarrayitem_gc(p0, 1, 9, descr=longs)
        finish(i0)
        """;

    private const string ValueIndex = """
        [p0, i0, i1]
        setarrayitem_gc(p0, i1, i0, descr=longs)
        guard_true(i0) [i0]
        setarrayitem_gc(p0, i1, 5, descr=longs)
        finish(i0)
        """;

    [Test]
    public void A_store_before_a_guard_is_recorded_in_it_not_done_on_the_way()
    {
        var opt = Optimized(ConstIndex);
        Assert.That(opt.Operations[0].Num, Is.EqualTo(OpNum.GuardTrue), Print(opt));
        Assert.That(opt.Operations.Count(o => o.Num == OpNum.SetarrayitemGc), Is.EqualTo(1), Print(opt));
        var data = (ResumeData)opt.Operations[0].ResumeData!;
        Assert.That(data.Writes, Has.Length.EqualTo(1));
        var w = data.Writes[0];
        Assert.That(w.Lazy && w.Item == World.LongArray, Is.True);
        Assert.That(data.Consts[-w.IndexSlot - 1], Is.EqualTo(new ConstInt(1)), "a constant index stays a constant");
    }

    [TestCase(0L, 0L, TestName = "Leaving_through_the_guard_performs_the_kept_back_item_store")]
    [TestCase(3L, 9L, TestName = "Not_failing_the_guard_ends_with_the_last_item_store_only")]
    public void The_array_after_the_trace_is_the_unoptimized_one(long input, long expected)
    {
        foreach (var text in new[] { ConstIndex, ValueIndex.Replace("5, descr", "9, descr") })
        {
            var array = new long[4];
            var r = new TraceInterpreter().Run(Optimized(text), text == ConstIndex ? [array, input] : [array, input, 1L]);
            if (r.Kind == TraceExitKind.GuardFailed) ResumeReader.PerformWrites((ResumeData)r.Guard!.ResumeData!, r.Values);
            Assert.That(array, Is.EqualTo(new[] { 0L, expected, 0L, 0L }), text);
        }
    }

    [Test]
    public void Compiled_code_leaving_through_the_guard_performs_the_store_from_the_dead_frame()
    {
        var loop = Optimized(ValueIndex);
        var compiled = new CilBackend().CompileLoop(loop);
        var array = new long[] { 7, 7, 7, 7 };
        var outcome = CompiledLoopRunner.Run(compiled, DeadFrame.For(compiled, array, 0L, 2L));
        Assert.That(outcome.Kind, Is.EqualTo(TraceExitKind.GuardFailed));
        Assert.That(array, Is.EqualTo(new long[] { 7, 7, 7, 7 }), "compiled code did not store on the way");
        ResumeReader.Rebuild((ResumeData)outcome.Guard!.ResumeData!, outcome.Guard.FailArgs!, outcome.Frame);
        Assert.That(array, Is.EqualTo(new long[] { 7, 7, 0, 7 }));
    }

    [TestCase(false, TestName = "A_bridge_from_the_guard_starts_by_storing_the_item_at_a_value_index")]
    [TestCase(true, TestName = "A_bridge_from_the_guard_starts_by_storing_the_item_at_a_constant_index")]
    public void A_bridge_redoes_the_store_and_compiled_code_agrees(bool constant)
    {
        var loop = Optimized(constant ? ConstIndex : ValueIndex);
        var guard = loop.Operations[0];
        var ns = World.Names();
        // The bridge's inputs are the guard's fail args: i0, then the array (and the index) the write needs.
        var bridge = TraceParser.Parse(constant
            ? "[i0, p0]\ni2 = getarrayitem_gc_i(p0, 1, descr=longs)\ni3 = getarrayitem_gc_i(p0, 2, descr=longs)\ni4 = int_add(i2, i3)\nfinish(i4)"
            : "[i0, p0, i1]\ni2 = getarrayitem_gc_i(p0, i1, descr=longs)\nfinish(i2)", ns);
        Assert.That(guard.FailArgs, Has.Length.EqualTo(bridge.InputArgs.Length));
        var opt = TraceOptimizer.OptimizeBridge(bridge, guard, OptimizerOptions.All);
        var store = opt.Operations.Single(o => o.Num == OpNum.SetarrayitemGc);
        if (constant) Assert.That(store.Args[1], Is.EqualTo(new ConstInt(1)), Print(opt));
        Assert.That(opt.Operations.Count(o => o.Num == OpNum.GetarrayitemGcI), Is.EqualTo(constant ? 1 : 0), "the stored item is known: " + Print(opt));
        object?[] inputs = constant ? [0L, null] : [0L, null, 2L];
        int at = constant ? 1 : 2;

        var array = new long[] { 99, 99, 99, 99 };
        inputs[1] = array;
        var r = new TraceInterpreter().Run(opt, inputs);
        Assert.That(r.Values[0], Is.EqualTo(constant ? 99L : 0L), "the read sees the kept-back store");
        Assert.That(array[at], Is.EqualTo(0));

        var backend = new CilBackend();
        var compiled = backend.CompileLoop(loop);
        backend.CompileBridge(compiled, 0, opt);
        var cilArray = new long[] { 99, 99, 99, 99 };
        var outcome = CompiledLoopRunner.Run(compiled, constant ? DeadFrame.For(compiled, cilArray, 0L) : DeadFrame.For(compiled, cilArray, 0L, 2L));
        Assert.That(outcome.Kind, Is.EqualTo(TraceExitKind.Finish));
        Assert.That(outcome.Values[0], Is.EqualTo(constant ? 99L : 0L));
        Assert.That(cilArray[at], Is.EqualTo(0));
    }

    [TestCase(5L, 7L, TestName = "An_escaping_virtual_array_is_stored_when_the_trace_finishes")]
    [TestCase(3L, 3L, TestName = "An_escaping_virtual_array_is_stored_by_leaving_through_the_guard")]
    public void An_escaping_virtual_is_allocated_and_its_stores_kept_back(long input, long expectedItem)
    {
        const string text = """
            [p0, i0]
            p1 = new_array_clear(2, descr=longs)
            setarrayitem_gc(p1, 0, i0, descr=longs)
            setarrayitem_gc(p0, 0, p1, descr=objects)
            i1 = int_gt(i0, 4)
            guard_true(i1) [i0]
            setarrayitem_gc(p1, 0, 7, descr=longs)
            finish(i0)
            """;
        var opt = Optimized(text);
        Assert.That(opt.Operations[0].Num, Is.EqualTo(OpNum.NewArrayClear), "the virtual escapes: " + Print(opt));
        var guard = opt.Operations.First(o => o.IsGuard);
        Assert.That(((ResumeData)guard.ResumeData!).Writes, Has.Length.EqualTo(2), "both stores wait in the guard: " + Print(opt));
        var holder = new object?[1];
        var r = new TraceInterpreter().Run(opt, holder, input);
        if (r.Kind == TraceExitKind.GuardFailed) ResumeReader.PerformWrites((ResumeData)r.Guard!.ResumeData!, r.Values);
        Assert.That(holder[0], Is.EqualTo(new[] { expectedItem, 0L }));
    }

    [Test]
    public void By_default_an_ordinary_guard_has_the_item_store_done_before_it()
    {
        var opt = TraceOptimizer.Optimize(World.GiveResumeData(TraceParser.Parse(ConstIndex, World.Names())), OptimizerOptions.All);
        Assert.That(opt.Operations[0].Num, Is.EqualTo(OpNum.SetarrayitemGc), Print(opt));
        var guard = opt.Operations.First(o => o.IsGuard);
        Assert.That(((ResumeData)guard.ResumeData!).Writes, Is.Empty, Print(opt));
    }

    [Test]
    public void An_overflow_guard_that_fails_performs_the_stores_held_back_before_it()
    {
        const string text = """
            [p0, p1, i0]
            setfield_gc(p0, i0, descr=value)
            setarrayitem_gc(p1, 0, i0, descr=longs)
            i1 = int_add_ovf(i0, 1)
            guard_no_overflow() [i0]
            setfield_gc(p0, 1, descr=value)
            setarrayitem_gc(p1, 0, 1, descr=longs)
            finish(i1)
            """;
        var opt = Optimized(text);
        var node = new Node();
        var array = new long[1];
        var r = new TraceInterpreter().Run(opt, node, array, long.MaxValue);
        Assert.That(r.Kind, Is.EqualTo(TraceExitKind.GuardFailed), Print(opt));
        ResumeReader.PerformWrites((ResumeData)r.Guard!.ResumeData!, r.Values);
        Assert.That(node.Value, Is.EqualTo(long.MaxValue), "the field store: " + Print(opt));
        Assert.That(array[0], Is.EqualTo(long.MaxValue), "the item store: " + Print(opt));
    }

    [TestCase(13L, 13L, TestName = "A_call_that_raises_leaves_through_its_exception_guard_with_the_store_done")]
    [TestCase(4L, 5L, TestName = "A_call_that_does_not_raise_lets_the_store_merge_with_the_next")]
    public void A_store_held_back_past_a_call_that_reads_no_heap(long input, long expected)
    {
        const string text = """
            [p0, i0]
            setarrayitem_gc(p0, 0, i0, descr=longs)
            i1 = call_i(i0, descr=check)
            guard_no_exception() [i0]
            setarrayitem_gc(p0, 0, 5, descr=longs)
            finish(i1)
            """;
        var opt = Optimized(text);
        Assert.That(opt.Operations[0].Num, Is.EqualTo(OpNum.CallI), "the store waits: " + Print(opt));
        Assert.That(opt.Operations.Count(o => o.Num == OpNum.SetarrayitemGc), Is.EqualTo(1), Print(opt));

        var array = new long[1];
        var r = new TraceInterpreter().Run(opt, array, input);
        if (r.Kind == TraceExitKind.GuardFailed) ResumeReader.PerformWrites((ResumeData)r.Guard!.ResumeData!, r.Values);
        Assert.That(array[0], Is.EqualTo(expected));

        var compiled = new CilBackend().CompileLoop(opt);
        var cilArray = new long[1];
        var outcome = CompiledLoopRunner.Run(compiled, DeadFrame.For(compiled, cilArray, input));
        if (outcome.Kind == TraceExitKind.GuardFailed)
        {
            var data = (ResumeData)outcome.Guard!.ResumeData!;
            Assert.That(data.ExceptionPending, Is.False, "test resume data; the engine's says the call raised");
            ResumeReader.Rebuild(data, outcome.Guard.FailArgs!, outcome.Frame);
        }
        Assert.That(cilArray[0], Is.EqualTo(expected));
    }
}
