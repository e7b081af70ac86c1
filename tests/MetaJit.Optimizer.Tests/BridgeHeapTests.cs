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
/// Bridges start from the loop's heap cache at their guard (<see cref="ResumeData.HeapFacts"/>): a field, length
/// or item the loop read or wrote, on objects among the guard's fail args (and a field of a constant object), is not
/// read again. Never carried: facts a call before the guard may have changed, facts about other objects, about virtuals,
/// about the virtualizable, or that a write may have made stale.
/// </summary>
public class BridgeHeapTests
{
    /// <summary>The loop optimized, each guard given resume data first (one frame, no registers), as the tracer does.</summary>
    private static TreeLoop Loop(string text)
    {
        return TraceOptimizer.Optimize(World.GiveResumeData(TraceParser.Parse(text, World.Names())), OptimizerOptions.All);
    }

    private static ResOperation Guard(TreeLoop loop, int k = 0) => loop.Operations.Where(o => o.IsGuard).ElementAt(k);

    private static HeapFact[] Facts(TreeLoop loop, int k = 0) => ((ResumeData)Guard(loop, k).ResumeData!).HeapFacts;

    private static TreeLoop Bridge(TreeLoop loop, string bridgeText, int k = 0)
    {
        var bridge = TraceParser.Parse(bridgeText, World.Names());
        Assert.That(bridge.InputArgs, Has.Length.EqualTo(Guard(loop, k).FailArgs!.Length), "the bridge's inputs are the guard's fail args");
        return TraceOptimizer.OptimizeBridge(bridge, Guard(loop, k), OptimizerOptions.All);
    }

    private static string Print(TreeLoop t) => new TracePrinter(World.Names()).Print(t);

    private static int Count(TreeLoop t, params OpNum[] nums) => t.Operations.Count(o => nums.Contains(o.Num));

    [Test]
    public void A_field_the_loop_read_is_not_read_again_in_the_bridge()
    {
        var loop = Loop("[p0, i0]\ni1 = getfield_gc_i(p0, descr=value)\ni2 = int_lt(i1, i0)\nguard_true(i2) [p0, i1]\nfinish(i0)");
        var opt = Bridge(loop, "[p0, i1]\ni3 = getfield_gc_i(p0, descr=value)\ni4 = int_add(i3, 1)\nfinish(i4)");
        Assert.That(Count(opt, OpNum.GetfieldGcI), Is.Zero, Print(opt));
        Assert.That(new TraceInterpreter().Run(opt, new Node { Value = 12 }, 12L).Values[0], Is.EqualTo(13L));
    }

    [Test]
    public void Array_lengths_and_constant_index_items_the_loop_read_are_known_to_the_bridge()
    {
        var loop = Loop("""
            [p0, i0]
            i1 = arraylen_gc(p0, descr=longs)
            i2 = getarrayitem_gc_i(p0, 1, descr=longs)
            i3 = int_lt(i2, i0)
            guard_true(i3) [p0, i1, i2]
            finish(i0)
            """);
        var opt = Bridge(loop, "[p0, i1, i2]\ni4 = arraylen_gc(p0, descr=longs)\ni5 = getarrayitem_gc_i(p0, 1, descr=longs)\ni6 = int_add(i4, i5)\nfinish(i6)");
        Assert.That(Count(opt, OpNum.ArraylenGc, OpNum.GetarrayitemGcI), Is.Zero, Print(opt));
        Assert.That(new TraceInterpreter().Run(opt, new long[] { 0, 40, 0 }, 3L, 40L).Values[0], Is.EqualTo(43L));
    }

    [Test]
    public void A_field_the_loop_wrote_and_held_back_is_stored_by_the_bridge_and_not_read()
    {
        var loop = Loop("[p0, i0]\nsetfield_gc(p0, i0, descr=value)\ni1 = int_lt(i0, 10)\nguard_true(i1) [i0]\nfinish(i0)");
        Assert.That(Guard(loop).FailArgs, Has.Length.EqualTo(2), "the held-back store's object joins the fail args: " + Print(loop));
        var opt = Bridge(loop, "[i0, p0]\ni2 = getfield_gc_i(p0, descr=value)\ni3 = int_add(i2, 1)\nfinish(i3)");
        Assert.That(Count(opt, OpNum.GetfieldGcI), Is.Zero, Print(opt));
        Assert.That(Count(opt, OpNum.SetfieldGc), Is.EqualTo(1), "the held-back store is redone: " + Print(opt));
    }

    [Test]
    public void A_field_a_call_may_write_before_the_guard_is_read_again()
    {
        var loop = Loop("""
            [p0, i0]
            i1 = getfield_gc_i(p0, descr=value)
            call_n(p0, i0, descr=writeValue)
            i2 = int_lt(i1, i0)
            guard_true(i2) [p0, i1]
            finish(i0)
            """);
        Assert.That(Facts(loop), Is.Empty, Print(loop));
        var opt = Bridge(loop, "[p0, i1]\ni3 = getfield_gc_i(p0, descr=value)\nfinish(i3)");
        Assert.That(Count(opt, OpNum.GetfieldGcI), Is.EqualTo(1), Print(opt));
    }

    [Test]
    public void A_field_of_an_object_that_is_not_a_fail_arg_is_not_carried()
    {
        var loop = Loop("[p0, p1, i0]\ni1 = getfield_gc_i(p1, descr=value)\ni2 = int_lt(i1, i0)\nguard_true(i2) [p0, i1]\nfinish(i0)");
        Assert.That(Facts(loop), Is.Empty, Print(loop));
        var opt = Bridge(loop, "[p0, i1]\ni3 = getfield_gc_i(p0, descr=value)\nfinish(i3)");
        Assert.That(Count(opt, OpNum.GetfieldGcI), Is.EqualTo(1), Print(opt));
    }

    [Test]
    public void A_field_of_a_constant_object_is_carried_when_its_value_is_a_fail_arg()
    {
        var loop = Loop("[p0, i0]\np1 = getfield_gc_r(ConstPtr(someNode), descr=next)\ni1 = getfield_gc_i(p1, descr=value)\ni2 = int_lt(i1, i0)\nguard_true(i2) [p0, p1, i1]\nfinish(i0)");
        Assert.That(Facts(loop).Any(f => f.ObjectSlot < 0), Is.True, Print(loop));
        var opt = Bridge(loop, "[p0, p1, i1]\np2 = getfield_gc_r(ConstPtr(someNode), descr=next)\ni3 = getfield_gc_i(p2, descr=value)\nfinish(i3)");
        Assert.That(Count(opt, OpNum.GetfieldGcR, OpNum.GetfieldGcI), Is.Zero, Print(opt));
    }

    [Test]
    public void A_field_of_a_constant_object_is_read_again_after_the_bridge_writes_it_through_a_fail_arg()
    {
        var loop = Loop("[p0, i0]\np1 = getfield_gc_r(ConstPtr(someNode), descr=next)\ni2 = int_lt(i0, 10)\nguard_true(i2) [p0, p1]\nfinish(i0)");
        var opt = Bridge(loop, "[p0, p1]\nsetfield_gc(p0, NULL, descr=next)\np2 = getfield_gc_r(ConstPtr(someNode), descr=next)\nfinish(p2)");
        Assert.That(Count(opt, OpNum.GetfieldGcR), Is.EqualTo(1), "p0 may be someNode: " + Print(opt));
    }

    [Test]
    public void A_field_the_bridge_writes_on_another_object_before_reading_is_read_again()
    {
        var loop = Loop("[p0, p1, i0]\ni1 = getfield_gc_i(p0, descr=value)\ni2 = int_lt(i1, i0)\nguard_true(i2) [p0, p1, i1]\nfinish(i0)");
        var opt = Bridge(loop, "[p0, p1, i1]\nsetfield_gc(p1, 7, descr=value)\ni3 = getfield_gc_i(p0, descr=value)\nfinish(i3)");
        Assert.That(Count(opt, OpNum.GetfieldGcI), Is.EqualTo(1), "p1 may be p0: " + Print(opt));
        var node = new Node { Value = 20 };
        Assert.That(new TraceInterpreter().Run(opt, node, node, 20L).Values[0], Is.EqualTo(7L));
    }

    [Test]
    public void Of_two_objects_written_in_turn_only_the_last_write_is_carried()
    {
        // After p1.value = i1, p0.value is i0 only if p0 is not p1: the cache forgot it, and so does the bridge.
        var loop = Loop("""
            [p0, p1, i0, i1]
            setfield_gc(p0, i0, descr=value)
            setfield_gc(p1, i1, descr=value)
            guard_true(i0) [p0, p1, i0, i1]
            finish(i0)
            """);
        var facts = Facts(loop);
        Assert.That(facts, Has.Length.EqualTo(1), Print(loop));
        Assert.That((facts[0].ObjectSlot, facts[0].ValueSlot), Is.EqualTo((1, 3)));
        const string bridge = "[p0, p1, i0, i1]\ni2 = getfield_gc_i(p0, descr=value)\ni3 = getfield_gc_i(p1, descr=value)\ni4 = int_sub(i2, i3)\nfinish(i4)";
        var opt = Bridge(loop, bridge);
        Assert.That(Count(opt, OpNum.GetfieldGcI), Is.EqualTo(1), Print(opt));

        // The same object twice: both reads see the last write; the unoptimized bridge agrees.
        var node = new Node();
        var r = new TraceInterpreter().Run(loop, node, node, 0L, 5L);
        Assert.That(r.Kind, Is.EqualTo(TraceExitKind.GuardFailed));
        var nodeRef = new Node();
        ResumeReader.PerformWrites((ResumeData)r.Guard!.ResumeData!, [nodeRef, nodeRef, 0L, 5L]);
        var expected = new TraceInterpreter().Run(TraceParser.Parse(bridge, World.Names()), nodeRef, nodeRef, 0L, 5L).Values[0];
        Assert.That(new TraceInterpreter().Run(opt, r.Values).Values[0], Is.EqualTo(expected).And.EqualTo(0L));
        Assert.That(node.Value, Is.EqualTo(nodeRef.Value));
    }

    [Test]
    public void A_virtual_fail_arg_gets_no_facts_and_the_bridge_knows_its_fields_from_the_recipe()
    {
        var loop = Loop("[i0]\np1 = new_with_vtable(descr=Node)\nsetfield_gc(p1, i0, descr=value)\ni1 = int_lt(i0, 10)\nguard_true(i1) [p1, i0]\nfinish(i0)");
        Assert.That(Facts(loop), Is.Empty, Print(loop));
        Assert.That(((ResumeData)Guard(loop).ResumeData!).Virtuals, Is.Not.Null);
        // The bridge's inputs: the placeholder, then i0 (also the virtual's field: one slot per value).
        var opt = Bridge(loop, "[p1, i0]\ni2 = getfield_gc_i(p1, descr=value)\nfinish(i2)");
        Assert.That(Count(opt, OpNum.GetfieldGcI, OpNum.NewWithVtable), Is.Zero, Print(opt));
        Assert.That(new TraceInterpreter().Run(opt, null, 11L).Values[0], Is.EqualTo(11L));
    }

    [Test]
    public void Nothing_is_carried_about_the_virtualizable_or_about_fields_it_holds_in_registers()
    {
        // p0 is the virtualizable, holding small in a register (a pending write); p1.value is held for it too.
        var trace = TraceParser.Parse("""
            [p0, p1, i0]
            i1 = getfield_gc_i(p0, descr=value)
            i2 = getfield_gc_i(p1, descr=small)
            i3 = getfield_gc_i(p1, descr=value)
            guard_true(i0) [p0, p1, i0, i1, i2, i3]
            finish(i0)
            """, World.Names());
        trace.Guards.Single().ResumeData = new ResumeData([new ResumeFrame(World.ResumeCode, 0, [], [])], [], false)
        {
            VableSlot = 0,
            Writes = [new PendingWrite(0, World.Value, -1, 2)],
        };
        var loop = TraceOptimizer.Optimize(trace, OptimizerOptions.All);
        var facts = Facts(loop);
        Assert.That(facts.Select(f => (f.ObjectSlot, f.Target)), Is.EqualTo(new[] { (1, (object)World.Small) }), Print(loop));
    }

    [Test]
    public void At_most_sixteen_facts_are_kept_per_guard()
    {
        var text = "[p0, i0]\n" + string.Concat(Enumerable.Range(0, 20).Select(k => $"i{k + 10} = getarrayitem_gc_i(p0, {k}, descr=longs)\n"))
            + "guard_true(i0) [p0, " + string.Join(", ", Enumerable.Range(10, 20).Select(k => "i" + k)) + "]\nfinish(i0)";
        Assert.That(Facts(Loop(text)), Has.Length.EqualTo(BridgeHeapFacts.MaxFacts));
    }

    [TestCase(3L, TestName = "A_bridge_starting_from_heap_facts_agrees_with_the_unoptimized_bridge_on_both_backends")]
    [TestCase(-2L, TestName = "A_bridge_starting_from_heap_facts_agrees_with_the_unoptimized_bridge_for_a_negative_input")]
    public void Bridge_on_interpreter_and_cil_agrees_with_unoptimized(long input)
    {
        // The loop reads p0.value and p1's length, holds back a store into p0.small, and fails its guard for input < 10.
        const string loopText = """
            [p0, p1, i0]
            i1 = getfield_gc_i(p0, descr=value)
            i2 = arraylen_gc(p1, descr=longs)
            setfield_gc(p0, i0, descr=small)
            i3 = int_lt(i0, 10)
            guard_false(i3) [p0, p1, i1, i2]
            finish(i0)
            """;
        // The bridge's inputs: the guard's fail args, then the held-back store's value.
        const string bridgeText = """
            [p0, p1, i1, i2, i0]
            i4 = getfield_gc_i(p0, descr=value)
            i5 = arraylen_gc(p1, descr=longs)
            i6 = getfield_gc_i(p0, descr=small)
            i7 = int_mul(i4, 100)
            i8 = int_add(i7, i5)
            i9 = int_mul(i8, 100)
            i10 = int_add(i9, i6)
            setfield_gc(p0, i10, descr=value)
            finish(i10)
            """;
        var loop = Loop(loopText);
        var opt = Bridge(loop, bridgeText);
        Assert.That(Count(opt, OpNum.GetfieldGcI, OpNum.ArraylenGc), Is.Zero, Print(opt));

        // Unoptimized: leave through the guard (its pending store done), then run the bridge as traced.
        var node = new Node { Value = 4, Small = 1 };
        var array = new long[6];
        var r = new TraceInterpreter().Run(loop, node, array, input);
        Assert.That(r.Kind, Is.EqualTo(TraceExitKind.GuardFailed), Print(loop));
        ResumeReader.PerformWrites((ResumeData)r.Guard!.ResumeData!, r.Values);
        var expected = new TraceInterpreter().Run(TraceParser.Parse(bridgeText, World.Names()), r.Values).Values[0];
        Assert.That(expected, Is.EqualTo(40600L + input));
        Assert.That((node.Value, (long)node.Small), Is.EqualTo((expected, input)));

        // Optimized, trace interpreter: entered with the guard's values, its store not done (as compiled code does).
        var node2 = new Node { Value = 4, Small = 1 };
        var r2 = new TraceInterpreter().Run(loop, node2, array, input);
        Assert.That(node2.Small, Is.EqualTo(1L), "the store was held back");
        Assert.That(new TraceInterpreter().Run(opt, r2.Values).Values[0], Is.EqualTo(expected));
        Assert.That((node2.Value, node2.Small), Is.EqualTo((node.Value, node.Small)));

        // Optimized, CIL backend: the bridge attached to the loop's guard.
        var backend = new CilBackend();
        var compiled = backend.CompileLoop(loop);
        backend.CompileBridge(compiled, 0, opt);
        var node3 = new Node { Value = 4, Small = 1 };
        var outcome = CompiledLoopRunner.Run(compiled, DeadFrame.For(compiled, node3, array, input));
        Assert.That(outcome.Kind, Is.EqualTo(TraceExitKind.Finish));
        Assert.That(outcome.Values[0], Is.EqualTo(expected));
        Assert.That((node3.Value, node3.Small), Is.EqualTo((node.Value, node.Small)));
    }
}
