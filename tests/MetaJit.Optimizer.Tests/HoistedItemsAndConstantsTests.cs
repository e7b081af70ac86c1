using MetaJit.Engine.Optimizer;
using MetaJit.Engine.Trace;
using NUnit.Framework;

namespace MetaJit.Optimizer.Tests;

/// <summary>
/// Unroll carries array items at constant indices (only where the body's heap cache knows them at the jump: a read
/// there would be an access no guard protects) and heap facts whose value the preamble knows to be a constant (only
/// where the body still knows the same constant at its end).
/// </summary>
public partial class HoistingTests
{
    private static TreeLoop Optimize(string text) => TraceOptimizer.OptimizeLoop(TraceParser.Parse(text, World.Names()), OptimizerOptions.All);

    /// <summary>The peeled loop's body, after its label.</summary>
    private static List<ResOperation> BodyOf(TreeLoop opt) =>
        opt.Operations.SkipWhile(o => o.Descr is not TargetToken { Name: "loop.loop" }).Skip(1).ToList();

    private static string Print(TreeLoop opt) => new TracePrinter(World.Names()).Print(opt);

    private const string InvariantItem = """
        [p0, i0]
        label(p0, i0, descr=loop)
        i1 = getarrayitem_gc_i(p0, 2, descr=longs)
        i2 = int_add(i0, i1)
        i3 = int_lt(i2, 500)
        guard_true(i3) [p0, i2]
        jump(p0, i2, descr=loop)
        """;

    [Test]
    public void An_item_of_an_invariant_array_at_a_constant_index_is_read_once_in_the_preamble()
    {
        World.AssertOptimizes("all", InvariantItem, """
            [p0, i0]
            label(p0, i0, descr=loop)
            i1 = getarrayitem_gc_i(p0, 2, descr=longs)
            i2 = int_add(i0, i1)
            i3 = int_lt(i2, 500)
            guard_true(i3) [p0, i2]
            label(p0, i2, i1, descr=loop.loop)
            i4 = int_add(i2, i1)
            i5 = int_lt(i4, 500)
            guard_true(i5) [p0, i4]
            jump(p0, i4, i1, descr=loop.loop)
            """);
        AssertRunsLikeThePlainLoop(InvariantItem, () => [new long[] { 1, 2, 3 }, 0L]);
    }

    private const string ItemWrittenInBody = """
        [p0, i0]
        label(p0, i0, descr=loop)
        i1 = getarrayitem_gc_i(p0, 0, descr=longs)
        i2 = int_add(i1, 3)
        setarrayitem_gc(p0, 0, i2, descr=longs)
        i3 = int_lt(i2, 500)
        guard_true(i3) [p0, i0]
        jump(p0, i0, descr=loop)
        """;

    [Test]
    public void An_item_the_body_writes_is_carried_as_the_written_value()
    {
        var opt = Optimize(ItemWrittenInBody);
        var body = BodyOf(opt);
        Assert.That(body.Count(o => o.Num == OpNum.GetarrayitemGcI), Is.EqualTo(0), Print(opt));
        Assert.That(body.Count(o => o.Num == OpNum.SetarrayitemGc), Is.EqualTo(1), Print(opt));
        AssertRunsLikeThePlainLoop(ItemWrittenInBody, () => [new long[] { 1, 2 }, 0L]);
    }

    private const string StoreAtAnUnknownIndex = """
        [p0, i0]
        label(p0, i0, descr=loop)
        i1 = getarrayitem_gc_i(p0, 0, descr=longs)
        i2 = int_add(i1, 1)
        i9 = int_and(i0, 1)
        setarrayitem_gc(p0, i9, i2, descr=longs)
        i4 = int_add(i0, 1)
        i3 = int_lt(i4, 50)
        guard_true(i3) [p0, i4]
        jump(p0, i4, descr=loop)
        """;

    /// <summary>The body stores at an index that may be 0: at its end the item is not known, so it is not carried
    /// (and not read at the jump): the body reads it again.</summary>
    [Test]
    public void An_item_a_store_at_an_unknown_index_may_overwrite_is_read_again_in_the_body()
    {
        var opt = Optimize(StoreAtAnUnknownIndex);
        var body = BodyOf(opt);
        Assert.That(body.Count(o => o.Num == OpNum.GetarrayitemGcI), Is.EqualTo(1), Print(opt));
        Assert.That(body[^1].Args, Has.Length.EqualTo(2), Print(opt));
        AssertRunsLikeThePlainLoop(StoreAtAnUnknownIndex, () => [new long[] { 1, 2 }, 0L]);
    }

    private const string SwappedArrays = """
        [p0, p1, i0]
        label(p0, p1, i0, descr=loop)
        i1 = getarrayitem_gc_i(p0, 1, descr=longs)
        i2 = int_add(i0, i1)
        i3 = int_lt(i2, 500)
        guard_true(i3) [p0, p1, i2]
        jump(p1, p0, i2, descr=loop)
        """;

    /// <summary>The jump swaps the arrays: each iteration reads the array the previous one did not, so the body reads
    /// once and carries the item it read into the iteration after, which reads the other array.</summary>
    [Test]
    public void Items_of_arrays_the_jump_swaps_are_carried_swapped()
    {
        var opt = Optimize(SwappedArrays);
        Assert.That(BodyOf(opt).Count(o => o.Num == OpNum.GetarrayitemGcI), Is.EqualTo(1), Print(opt));
        AssertRunsLikeThePlainLoop(SwappedArrays, () => [new long[] { 0, 3 }, new long[] { 0, 4 }, 0L]);
    }

    private const string GuardedMap = """
        [p0, i0]
        label(p0, i0, descr=loop)
        p1 = getfield_gc_r(p0, descr=next)
        guard_value(p1, ConstPtr(someNode)) [p0, i0]
        i2 = int_add(i0, 1)
        i3 = int_lt(i2, 500)
        guard_true(i3) [p0, i2]
        jump(p0, i2, descr=loop)
        """;

    /// <summary>A field the preamble guarded to a constant (an instance's map): the body neither reads nor checks it.</summary>
    [Test]
    public void A_field_guarded_to_a_constant_in_the_preamble_is_neither_read_nor_checked_in_the_body()
    {
        World.AssertOptimizes("all", GuardedMap, """
            [p0, i0]
            label(p0, i0, descr=loop)
            p1 = getfield_gc_r(p0, descr=next)
            guard_value(p1, ConstPtr(someNode)) [p0, i0]
            i2 = int_add(i0, 1)
            i3 = int_lt(i2, 500)
            guard_true(i3) [p0, i2]
            label(p0, i2, descr=loop.loop)
            i4 = int_add(i2, 1)
            i5 = int_lt(i4, 500)
            guard_true(i5) [p0, i4]
            jump(p0, i4, descr=loop.loop)
            """);
        AssertRunsLikeThePlainLoop(GuardedMap, () => [new Node { Next = World.SomeNode }, 0L]);
        AssertRunsLikeThePlainLoop(GuardedMap, () => [new Node { Next = World.OtherNode }, 0L]);
    }

    private const string GuardedValueACallRewrites = """
        [p0, i0]
        label(p0, i0, descr=loop)
        i1 = getfield_gc_i(p0, descr=value)
        guard_value(i1, 5) [p0, i0]
        i2 = int_add(i0, 1)
        call_n(p0, i2, descr=writeValue)
        i3 = int_lt(i2, 500)
        guard_true(i3) [p0, i2]
        jump(p0, i2, descr=loop)
        """;

    /// <summary>A call in the loop may write the guarded field: the constant does not hold at the body's end, so the
    /// body reads and checks the field again, and fails where the plain loop fails (the call writes 1).</summary>
    [Test]
    public void A_field_guarded_to_a_constant_that_a_call_may_write_is_checked_again_in_the_body()
    {
        var opt = Optimize(GuardedValueACallRewrites);
        var body = BodyOf(opt);
        Assert.That(body.Count(o => o.Num == OpNum.GetfieldGcI), Is.EqualTo(1), Print(opt));
        Assert.That(body.Count(o => o.Num == OpNum.GuardValue), Is.EqualTo(1), Print(opt));
        AssertRunsLikeThePlainLoop(GuardedValueACallRewrites, () => [new Node { Value = 5 }, 0L]);
    }

    private const string GuardedItem = """
        [p0, i0]
        label(p0, i0, descr=loop)
        i1 = getarrayitem_gc_i(p0, 0, descr=longs)
        guard_value(i1, 7) [p0, i0]
        i2 = int_add(i0, 1)
        i3 = int_lt(i2, 500)
        guard_true(i3) [p0, i2]
        jump(p0, i2, descr=loop)
        """;

    [Test]
    public void An_item_guarded_to_a_constant_in_the_preamble_is_neither_read_nor_checked_in_the_body()
    {
        var opt = Optimize(GuardedItem);
        var body = BodyOf(opt);
        Assert.That(body.Any(o => o.Num is OpNum.GetarrayitemGcI or OpNum.GuardValue), Is.False, Print(opt));
        AssertRunsLikeThePlainLoop(GuardedItem, () => [new long[] { 7 }, 0L]);
        AssertRunsLikeThePlainLoop(GuardedItem, () => [new long[] { 8 }, 0L]);
    }

    // Each iteration stores into the array the node the previous one left in p0.next, then leaves its own there.
    // After the loop guard nothing else is guarded, so the body's array store is still held back when the jump comes.
    private const string StoreHeldBackToTheJump = """
        [p0, p1, p2, i0]
        label(p0, p1, p2, i0, descr=loop)
        i1 = int_add(i0, 1)
        i2 = int_lt(i1, 10)
        guard_true(i2) [p0, p1, i1]
        p3 = getfield_gc_r(p0, descr=next)
        setarrayitem_gc(p1, 0, p3, descr=objects)
        setfield_gc(p0, p2, descr=next)
        p4 = new_with_vtable(descr=Node)
        setfield_gc(p4, i1, descr=value)
        jump(p0, p1, p4, i1, descr=loop)
        """;

    /// <summary>A carried field read that only a held-back store uses (it reaches the output at the jump) is still
    /// carried, and the jump passes the value the body wrote, not the preamble's (a fuzzed Lox program printed a
    /// stale global through this).</summary>
    [Test]
    public void A_carried_read_that_only_a_held_back_store_uses_takes_the_bodys_value_at_the_jump()
    {
        var opt = Optimize(StoreHeldBackToTheJump);
        var body = BodyOf(opt);
        var label = opt.Operations.First(o => o.Descr is TargetToken { Name: "loop.loop" });
        var store = body.Single(o => o.Num == OpNum.SetarrayitemGc);
        Assert.That(label.Args, Does.Contain(store.Args[2]), Print(opt));
        AssertRunsLikeThePlainLoop(StoreHeldBackToTheJump, () => [new Node { Next = new Node { Value = 100 } }, new object?[1], new Node { Value = 0 }, 0L]);
    }

    // Each iteration swaps p1 with what p0.next holds; only the jump passes the value read.
    private const string ReadPassedOnlyByTheJump = """
        [p0, p1, i0]
        label(p0, p1, i0, descr=loop)
        i1 = int_add(i0, 1)
        i2 = int_lt(i1, 9)
        guard_true(i2) [p0, p1, i1]
        p2 = getfield_gc_r(p0, descr=next)
        setfield_gc(p0, p1, descr=next)
        jump(p0, p2, i1, descr=loop)
        """;

    /// <summary>A carried field read whose only use is the jump's state is still carried.</summary>
    [Test]
    public void A_carried_read_that_only_the_jump_passes_on_is_carried()
    {
        var opt = Optimize(ReadPassedOnlyByTheJump);
        var body = BodyOf(opt);
        var label = opt.Operations.First(o => o.Descr is TargetToken { Name: "loop.loop" });
        Assert.That(body[^1].Args.All(a => a is Const || label.Args.Contains(a) || (a is ResOperation r && body.Contains(r))), Is.True, Print(opt));
        AssertRunsLikeThePlainLoop(ReadPassedOnlyByTheJump, () => [new Node { Next = new Node { Value = 100 } }, new Node { Value = 1 }, 0L]);
    }
}
