using MetaJit.Engine.Backend;
using MetaJit.Engine.Backend.Cil;
using MetaJit.Engine.Optimizer;
using MetaJit.Engine.Trace;
using NUnit.Framework;

namespace MetaJit.Optimizer.Tests;

public class UnrollTests
{
    private const string CountLoop = """
        [i0]
        label(i0, descr=loop)
        i1 = int_add(i0, 1)
        i2 = int_lt(i1, 100)
        guard_true(i2) [i1]
        jump(i1, descr=loop)
        """;

    private const string BoxLoop = """
        [p0]
        label(p0, descr=loop)
        guard_class(p0, ConstClass(Node)) [p0]
        i1 = getfield_gc_i(p0, descr=value)
        i2 = int_add(i1, 1)
        p3 = new_with_vtable(descr=Node)
        setfield_gc(p3, i2, descr=value)
        i4 = int_lt(i2, 1000)
        guard_true(i4) [p3]
        jump(p3, descr=loop)
        """;

    private const string InvariantLoop = """
        [p0, i0]
        label(p0, i0, descr=loop)
        guard_nonnull_class(p0, ConstClass(Node)) [p0, i0]
        i1 = getfield_gc_i(p0, descr=id)
        i2 = int_add(i0, i1)
        i3 = int_lt(i2, 500)
        guard_true(i3) [p0, i2]
        jump(p0, i2, descr=loop)
        """;

    [Test]
    public void A_counting_loop_is_peeled_into_preamble_and_body()
    {
        World.AssertOptimizes("all", CountLoop, """
            [i0]
            label(i0, descr=loop)
            i1 = int_add(i0, 1)
            i2 = int_lt(i1, 100)
            guard_true(i2) [i1]
            label(i1, descr=loop.loop)
            i3 = int_add(i1, 1)
            i4 = int_lt(i3, 100)
            guard_true(i4) [i3]
            jump(i3, descr=loop.loop)
            """);
    }

    /// <summary>The Brainfuck shape: the head stays put, so the preamble's checks of it against the tape's length
    /// hold in every iteration; the body drops them (the jump passes the same values, so the fact is proved again). The item itself is read
    /// again: array items are not carried across the label.</summary>
    [Test]
    public void Comparisons_of_loop_invariants_decided_in_the_preamble_are_not_checked_again()
    {
        World.AssertOptimizes("all", """
            [p0, i1]
            label(p0, i1, descr=loop)
            i3 = arraylen_gc(p0, descr=longs)
            i4 = uint_lt(i1, i3)
            guard_true(i4) [i1]
            i5 = getarrayitem_gc_i(p0, i1, descr=longs)
            i6 = int_add(i1, 1)
            i7 = int_lt(i6, i3)
            guard_true(i7) [i1]
            i8 = int_add(i5, 1)
            setarrayitem_gc(p0, i1, i8, descr=longs)
            i9 = int_is_true(i8)
            guard_true(i9) [i1]
            jump(p0, i1, descr=loop)
            """, """
            [p0, i1]
            label(p0, i1, descr=loop)
            i2 = arraylen_gc(p0, descr=longs)
            i3 = uint_lt(i1, i2)
            guard_true(i3) [i1]
            i4 = getarrayitem_gc_i(p0, i1, descr=longs)
            i5 = int_add(i1, 1)
            i6 = int_lt(i5, i2)
            guard_true(i6) [i1]
            i7 = int_add(i4, 1)
            i8 = int_is_true(i7)
            setarrayitem_gc(p0, i1, i7, descr=longs)
            guard_true(i8) [i1]
            label(p0, i1, descr=loop.loop)
            i9 = getarrayitem_gc_i(p0, i1, descr=longs)
            i10 = int_add(i9, 1)
            i11 = int_is_true(i10)
            setarrayitem_gc(p0, i1, i10, descr=longs)
            guard_true(i11) [i1]
            jump(p0, i1, descr=loop.loop)
            """);
    }

    /// <summary>A moving index: the preamble's check is about the first iteration only; the body keeps its own.</summary>
    [Test]
    public void A_comparison_of_values_the_jump_changes_is_checked_again_in_the_body()
    {
        World.AssertOptimizes("all", """
            [p0, i1]
            label(p0, i1, descr=loop)
            i3 = arraylen_gc(p0, descr=longs)
            i6 = int_add(i1, 1)
            i7 = int_lt(i6, i3)
            guard_true(i7) [i1]
            jump(p0, i6, descr=loop)
            """, """
            [p0, i1]
            label(p0, i1, descr=loop)
            i3 = arraylen_gc(p0, descr=longs)
            i6 = int_add(i1, 1)
            i7 = int_lt(i6, i3)
            guard_true(i7) [i1]
            label(p0, i6, i3, descr=loop.loop)
            i8 = int_add(i6, 1)
            i9 = int_lt(i8, i3)
            guard_true(i9) [i6]
            jump(p0, i8, i3, descr=loop.loop)
            """);
    }

    [Test]
    public void A_virtual_crosses_the_back_edge_as_its_fields()
    {
        World.AssertOptimizes("all", BoxLoop, """
            [p0]
            label(p0, descr=loop)
            guard_class(p0, ConstClass(Node)) [p0]
            i1 = getfield_gc_i(p0, descr=value)
            i2 = int_add(i1, 1)
            i4 = int_lt(i2, 1000)
            guard_true(i4) [NULL, i2]
            label(i2, descr=loop.loop)
            i5 = int_add(i2, 1)
            i6 = int_lt(i5, 1000)
            guard_true(i6) [NULL, i5]
            jump(i5, descr=loop.loop)
            """);
    }

    [Test]
    public void A_loop_invariant_class_guard_is_only_in_the_preamble()
    {
        var opt = World.AssertOptimizes("intbounds:rewrite:virtualize:pure:unroll", InvariantLoop, """
            [p0, i0]
            label(p0, i0, descr=loop)
            guard_nonnull_class(p0, ConstClass(Node)) [p0, i0]
            i1 = getfield_gc_i(p0, descr=id)
            i2 = int_add(i0, i1)
            i3 = int_lt(i2, 500)
            guard_true(i3) [p0, i2]
            label(p0, i2, descr=loop.loop)
            i4 = getfield_gc_i(p0, descr=id)
            i5 = int_add(i2, i4)
            i6 = int_lt(i5, 500)
            guard_true(i6) [p0, i5]
            jump(p0, i5, descr=loop.loop)
            """);
        Assert.That(opt.Labels.Count(), Is.EqualTo(2));
    }

    [Test]
    public void A_loop_whose_virtual_escapes_in_the_body_falls_back_to_allocating_it()
    {
        var text = """
            [p0]
            label(p0, descr=loop)
            i1 = getfield_gc_i(p0, descr=value)
            i2 = int_add(i1, 1)
            p3 = new_with_vtable(descr=Node)
            setfield_gc(p3, i2, descr=value)
            call_n(p0, descr=store)
            guard_no_exception() [p0]
            i4 = int_lt(i2, 50)
            guard_true(i4) [p3]
            jump(p3, descr=loop)
            """;
        var (plain, optimized) = RunBoth(text, () => [new Node { Value = 0 }]);
        Assert.That(optimized.Kind, Is.EqualTo(plain.Kind));
        Assert.That(((Node)Materialize(optimized)[0]!).Value, Is.EqualTo(((Node)plain.Values[0]!).Value));
    }

    [TestCase(CountLoop, TestName = "Peeled_counting_loop_runs_like_the_original_on_the_interpreter_and_the_CIL_backend")]
    [TestCase(InvariantLoop, TestName = "Peeled_loop_with_invariant_guards_runs_like_the_original_on_both_runners")]
    public void Peeled_loop_runs_like_the_original(string text)
    {
        object?[] Inputs() => text.StartsWith("[i0]") ? [0L] : [new Node(3), 1L];
        var (plain, optimized) = RunBoth(text, Inputs);
        Assert.That(optimized.Kind, Is.EqualTo(plain.Kind));
        Assert.That(optimized.Values.Select(Box), Is.EqualTo(plain.Values.Select(Box)));
        var opt = TraceOptimizer.OptimizeLoop(TraceParser.Parse(text, World.Names()), OptimizerOptions.All);
        var compiled = new CilBackend().CompileLoop(opt);
        var outcome = CompiledLoopRunner.Run(compiled, DeadFrame.For(compiled, Inputs()), ((TargetToken)opt.Operations[0].Descr!).EntryIndex);
        Assert.That(outcome.Kind, Is.EqualTo(TraceExitKind.GuardFailed));
        Assert.That(outcome.Values.Select(Box), Is.EqualTo(plain.Values.Select(Box)));
    }

    [Test]
    public void Virtual_loop_rebuilds_the_same_object_on_the_CIL_backend()
    {
        var opt = TraceOptimizer.OptimizeLoop(TraceParser.Parse(BoxLoop, World.Names()), OptimizerOptions.All);
        var compiled = new CilBackend().CompileLoop(opt);
        var outcome = CompiledLoopRunner.Run(compiled, DeadFrame.For(compiled, new Node { Value = 10 }), 1);
        var data = (MetaJit.Engine.Resume.ResumeData)outcome.Guard!.ResumeData!;
        var node = (Node)Materializer.Rebuild(data, outcome.Values, 1)[0]!;
        Assert.That(node.Value, Is.EqualTo(1000));
    }

    private const string RotatingLoop = """
        [i0, i1]
        label(i0, i1, descr=loop)
        i2 = int_add(i0, i1)
        i3 = int_lt(i2, 1000)
        guard_true(i3) [i0, i1, i2]
        jump(i1, i2, descr=loop)
        """;

    private const string ListBuildingLoop = """
        [p0, i0]
        label(p0, i0, descr=loop)
        p1 = new_with_vtable(descr=Node)
        setfield_gc(p1, i0, descr=value)
        setfield_gc(p1, p0, descr=next)
        i1 = int_add(i0, 1)
        i2 = int_lt(i1, 100)
        guard_true(i2) [p1, i1]
        jump(p1, i1, descr=loop)
        """;

    [Test]
    public void A_loop_rotating_its_inputs_reads_each_inputs_own_value_in_the_body()
    {
        // jump(i1, i2): in the body the first input is the old i1, not i2 (fib computed i2 + i2 before the fix).
        var (plain, optimized) = RunBoth(RotatingLoop, () => [1L, 1L]);
        Assert.That(plain.Values, Is.EqualTo(new object[] { 610L, 987L, 1597L }));
        Assert.That(optimized.Values, Is.EqualTo(plain.Values));
        var outcome = RunCompiled(RotatingLoop, 1L, 1L);
        Assert.That(outcome.Values, Is.EqualTo(plain.Values));
    }

    [Test]
    public void A_virtual_whose_field_is_an_input_points_at_the_previous_object_not_at_itself()
    {
        // push loop: p1 = Node(i0, next: p0); the body's virtual used to get next = itself.
        var (plain, optimized) = RunBoth(ListBuildingLoop, () => [null, 0L]);
        Assert.That(ListValues(Materialize(optimized)[0]), Is.EqualTo(ListValues(plain.Values[0])));
        Assert.That(ListValues(plain.Values[0]), Is.EqualTo(Enumerable.Range(0, 100).Reverse().Select(i => (long)i)));
        var outcome = RunCompiled(ListBuildingLoop, null, 0L);
        var data = (MetaJit.Engine.Resume.ResumeData)outcome.Guard!.ResumeData!;
        Assert.That(ListValues(Materializer.Rebuild(data, outcome.Values, 1)[0]), Is.EqualTo(ListValues(plain.Values[0])));
    }

    private static RunOutcome RunCompiled(string text, params object?[] inputs)
    {
        var opt = TraceOptimizer.OptimizeLoop(TraceParser.Parse(text, World.Names()), OptimizerOptions.All);
        var compiled = new CilBackend().CompileLoop(opt);
        var outcome = CompiledLoopRunner.Run(compiled, DeadFrame.For(compiled, inputs), ((TargetToken)opt.Operations[0].Descr!).EntryIndex);
        Assert.That(outcome.Kind, Is.EqualTo(TraceExitKind.GuardFailed));
        return outcome;
    }

    /// <summary>The values along a Node list (at most 1000, so a cycle shows as a long list).</summary>
    private static List<long> ListValues(object? list)
    {
        var values = new List<long>();
        for (var n = (Node?)list; n != null && values.Count < 1000; n = n.Next) values.Add(n.Value);
        return values;
    }

    private static object? Box(object? o) => o is Node n ? n.Value : o;

    private static object?[] Materialize(TraceResult r) =>
        r.Guard?.ResumeData is MetaJit.Engine.Resume.ResumeData d ? Materializer.Rebuild(d, r.Values, 1) : r.Values;

    private static (TraceResult Plain, TraceResult Optimized) RunBoth(string text, Func<object?[]> inputs)
    {
        var trace = TraceParser.Parse(text, World.Names());
        var plain = new TraceInterpreter().Run(trace, inputs());
        var opt = TraceOptimizer.OptimizeLoop(trace, OptimizerOptions.All);
        var optimized = new TraceInterpreter().Run(opt, inputs());
        return (plain, optimized);
    }
}

/// <summary>Loop-invariant reads and pure ops computed by the preamble are carried into the body (hoisted).</summary>
public partial class HoistingTests
{
    /// <summary>An invariant read (a field of a label value, or an elidable call on one) runs once, in the preamble.</summary>
    [TestCase("getfield_gc_i(p0, descr=value)", TestName = "An_invariant_field_read_is_hoisted_into_the_preamble")]
    [TestCase("call_pure_i(p0, descr=valueOf)", TestName = "An_elidable_call_on_an_invariant_value_is_hoisted_into_the_preamble")]
    public void An_invariant_read_is_hoisted_into_the_preamble(string read)
    {
        World.AssertOptimizes("all", $"""
            [p0, i0]
            label(p0, i0, descr=loop)
            i1 = {read}
            i2 = int_add(i0, i1)
            i3 = int_lt(i2, 500)
            guard_true(i3) [p0, i2]
            jump(p0, i2, descr=loop)
            """, $"""
            [p0, i0]
            label(p0, i0, descr=loop)
            i1 = {read}
            i2 = int_add(i0, i1)
            i3 = int_lt(i2, 500)
            guard_true(i3) [p0, i2]
            label(p0, i2, i1, descr=loop.loop)
            i4 = int_add(i2, i1)
            i5 = int_lt(i4, 500)
            guard_true(i5) [p0, i4]
            jump(p0, i4, i1, descr=loop.loop)
            """);
    }

    private const string WrittenInBody = """
        [p0, i0]
        label(p0, i0, descr=loop)
        i1 = getfield_gc_i(p0, descr=value)
        i2 = int_add(i1, 3)
        setfield_gc(p0, i2, descr=value)
        i3 = int_lt(i2, 500)
        guard_true(i3) [p0, i0]
        jump(p0, i0, descr=loop)
        """;

    private const string CallWritesInBody = """
        [p0, i0]
        label(p0, i0, descr=loop)
        i1 = getfield_gc_i(p0, descr=value)
        i2 = int_add(i0, i1)
        i3 = int_add(i1, 2)
        call_n(p0, i3, descr=writeValue)
        i4 = int_lt(i2, 5000)
        guard_true(i4) [p0, i2]
        jump(p0, i2, descr=loop)
        """;

    private const string InvariantArrayLoop = """
        [p0, i0, i9]
        label(p0, i0, i9, descr=loop)
        i1 = arraylen_gc(p0, descr=longs)
        i2 = int_lt(i0, i1)
        guard_true(i2) [p0, i0, i9]
        i3 = getarrayitem_gc_i(p0, i0, descr=longs)
        i4 = int_add(i9, i3)
        i5 = int_add(i0, 1)
        jump(p0, i5, i4, descr=loop)
        """;

    [Test]
    public void A_field_the_body_writes_is_carried_as_the_written_value_not_reread_or_kept_stale()
    {
        var opt = World.AssertOptimizes("all", WrittenInBody, """
            [p0, i0]
            label(p0, i0, descr=loop)
            i1 = getfield_gc_i(p0, descr=value)
            i2 = int_add(i1, 3)
            i3 = int_lt(i2, 500)
            setfield_gc(p0, i2, descr=value)
            guard_true(i3) [p0, i0]
            label(p0, i0, i2, descr=loop.loop)
            i4 = int_add(i2, 3)
            i5 = int_lt(i4, 500)
            setfield_gc(p0, i4, descr=value)
            guard_true(i5) [p0, i0]
            jump(p0, i0, i4, descr=loop.loop)
            """);
        AssertRunsLikeThePlainLoop(WrittenInBody, () => [new Node { Value = 1 }, 0L]);
    }

    [Test]
    public void A_call_that_may_write_the_field_makes_the_body_read_it_again()
    {
        var opt = Optimize(CallWritesInBody);
        var body = BodyOf(opt);
        // The call in the preamble may write p0.value, so nothing is known at the label: the body reads it.
        Assert.That(body.Count(o => o.Num == OpNum.GetfieldGcI), Is.EqualTo(1));
        Assert.That(body[^1].Args, Has.Length.EqualTo(2));
        AssertRunsLikeThePlainLoop(CallWritesInBody, () => [new Node { Value = 1 }, 0L]);
    }

    [Test]
    public void An_invariant_array_length_is_hoisted_and_the_loop_still_stops_at_the_end()
    {
        var opt = Optimize(InvariantArrayLoop);
        var body = BodyOf(opt);
        Assert.That(body.Any(o => o.Num == OpNum.ArraylenGc), Is.False, Print(opt));
        AssertRunsLikeThePlainLoop(InvariantArrayLoop, () => [new long[] { 1, 2, 3, 4, 5, 6, 7 }, 0L, 0L]);
    }

    private const string CallOnAnInvariantField = """
        [p0, i0]
        label(p0, i0, descr=loop)
        p1 = getfield_gc_r(p0, descr=next)
        guard_nonnull(p1) [p0, i0]
        i1 = call_pure_i(p1, descr=valueOf)
        guard_no_exception() [p0, i0]
        i2 = int_add(i0, i1)
        i3 = int_lt(i2, 500)
        guard_true(i3) [p0, i2]
        jump(p0, i2, descr=loop)
        """;

    /// <summary>The call's argument is itself hoisted (a field of a label value): the call is carried with it, and so
    /// is what the preamble knew of the field's value (non-null): the body does not check it again.</summary>
    [Test]
    public void An_elidable_call_on_a_hoisted_field_is_hoisted_with_it()
    {
        var opt = World.AssertOptimizes("all", CallOnAnInvariantField, """
            [p0, i0]
            label(p0, i0, descr=loop)
            p1 = getfield_gc_r(p0, descr=next)
            guard_nonnull(p1) [p0, i0]
            i1 = call_pure_i(p1, descr=valueOf)
            guard_no_exception() [p0, i0]
            i2 = int_add(i0, i1)
            i3 = int_lt(i2, 500)
            guard_true(i3) [p0, i2]
            label(p0, i2, p1, i1, descr=loop.loop)
            i4 = int_add(i2, i1)
            i5 = int_lt(i4, 500)
            guard_true(i5) [p0, i4]
            jump(p0, i4, p1, i1, descr=loop.loop)
            """);
        AssertRunsLikeThePlainLoop(CallOnAnInvariantField, () => [new Node { Next = new Node { Value = 7 } }, 0L]);
    }

    private const string NextOfAnInvariantNode = """
        [p0, i0]
        label(p0, i0, descr=loop)
        p1 = getfield_gc_r(p0, descr=next)
        guard_class(p1, ConstClass(Node)) [p0, i0]
        i1 = getfield_gc_i(p1, descr=value)
        i2 = int_add(i0, i1)
        i3 = int_lt(i2, 500)
        guard_true(i3) [p0, i2]
        jump(p0, i2, descr=loop)
        """;

    /// <summary>A hoisted field's class, checked once in the preamble, is known in the body: no guard_class there.</summary>
    [Test]
    public void What_the_preamble_knew_of_a_hoisted_field_holds_in_the_body()
    {
        var opt = Optimize(NextOfAnInvariantNode);
        var body = BodyOf(opt);
        Assert.That(body.Any(o => o.Num is OpNum.GuardClass or OpNum.GuardNonnull or OpNum.GuardNonnullClass), Is.False, Print(opt));
        AssertRunsLikeThePlainLoop(NextOfAnInvariantNode, () => [new Node { Next = new Node { Value = 7 } }, 0L]);
    }

    private const string ItemsOfAGlobalNode = """
        [p0, i0]
        label(p0, i0, descr=loop)
        p1 = getfield_gc_r(ConstPtr(someNode), descr=next)
        guard_nonnull(p1) [p0, i0]
        p2 = getfield_gc_r(p1, descr=next)
        guard_nonnull(p2) [p0, i0]
        i1 = getfield_gc_i(p2, descr=value)
        i2 = int_add(i0, i1)
        i3 = int_lt(i2, 500)
        guard_true(i3) [p0, i2]
        jump(p0, i2, descr=loop)
        """;

    /// <summary>
    /// A field of a hoisted field's value (an instance in a global's cell, then what the instance holds) is hoisted
    /// too, with what the preamble knew of it: the body reads nothing and checks nothing but its own condition.
    /// </summary>
    [Test]
    public void A_field_of_a_hoisted_fields_value_is_hoisted_too()
    {
        var opt = Optimize(ItemsOfAGlobalNode);
        var body = BodyOf(opt);
        Assert.That(body.Select(o => o.Num), Is.EqualTo(new[] { OpNum.IntAdd, OpNum.IntLt, OpNum.GuardTrue, OpNum.Jump }), Print(opt));
        var node = World.SomeNode;
        var saved = node.Next;
        node.Next = new Node { Next = new Node { Value = 7 } };
        try { AssertRunsLikeThePlainLoop(ItemsOfAGlobalNode, () => [new Node(), 0L]); }
        finally { node.Next = saved; }
    }

    private const string NextReplacedInTheBody = """
        [p0, i0]
        label(p0, i0, descr=loop)
        p1 = getfield_gc_r(p0, descr=next)
        guard_class(p1, ConstClass(Node)) [p0, i0]
        i1 = getfield_gc_i(p1, descr=value)
        i2 = int_add(i0, i1)
        p3 = call_r(i2, descr=opaqueRef)
        guard_no_exception() [p0, i2]
        setfield_gc(p0, p3, descr=next)
        i4 = int_lt(i2, 500)
        guard_true(i4) [p0, i2]
        jump(p0, i2, descr=loop)
        """;

    /// <summary>
    /// The loop stores into the field a value of unknown class: what travels into the body is the stored value,
    /// of which nothing is known, so the body must not assume it is a Node: it keeps its guard_class.
    /// </summary>
    [Test]
    public void A_hoisted_field_the_body_replaces_with_an_unknown_value_is_checked_again()
    {
        var opt = Optimize(NextReplacedInTheBody);
        var body = BodyOf(opt);
        Assert.That(body.Any(o => o.Num is OpNum.GuardClass or OpNum.GuardNonnullClass), Is.True, Print(opt));
    }

    private const string CallsOnSwappedValues = """
        [i0, i1, i9]
        label(i0, i1, i9, descr=loop)
        i2 = call_pure_i(i0, descr=check)
        guard_no_exception() [i0, i1, i9]
        i5 = call_pure_i(i1, descr=check)
        guard_no_exception() [i0, i1, i9]
        i3 = int_add(i2, i5)
        i6 = int_add(i9, i3)
        i7 = int_lt(i6, 1000)
        guard_true(i7) [i0, i1, i6]
        jump(i1, i0, i6, descr=loop)
        """;

    /// <summary>
    /// Elidable calls (that may raise: Check raises for 13) on values the jump swaps: each call the preamble made is
    /// carried, and at the jump each is the other's result (the body made neither call again). Runs like the plain
    /// loop, including a raise in the preamble's call.
    /// </summary>
    [Test]
    public void Elidable_calls_on_values_the_jump_swaps_are_carried_swapped()
    {
        var opt = TraceOptimizer.OptimizeLoop(TraceParser.Parse(CallsOnSwappedValues, World.Names()), OptimizerOptions.Parse("all"));
        var body = BodyOf(opt);
        Assert.That(body.Count(o => o.Num == OpNum.CallPureI), Is.EqualTo(0), Print(opt));
        AssertRunsLikeThePlainLoop(CallsOnSwappedValues, () => [2L, 3L, 0L]);
        AssertRunsLikeThePlainLoop(CallsOnSwappedValues, () => [13L, 1L, 0L]);
    }

    /// <summary>Plain on the trace interpreter vs optimized on the trace interpreter and on the CIL backend:
    /// the same guard fails with the same values and the heap ends the same.</summary>
    private static void AssertRunsLikeThePlainLoop(string text, Func<object?[]> inputs)
    {
        var trace = TraceParser.Parse(text, World.Names());
        var plainInputs = inputs();
        var plain = new TraceInterpreter().Run(trace, plainInputs);
        var opt = TraceOptimizer.OptimizeLoop(trace, OptimizerOptions.All);
        var optInputs = inputs();
        var optimized = new TraceInterpreter().Run(opt, optInputs);
        Assert.That(optimized.Kind, Is.EqualTo(plain.Kind));
        Assert.That(optimized.Values.Select(Show), Is.EqualTo(plain.Values.Select(Show)));
        Assert.That(optInputs.Select(Show), Is.EqualTo(plainInputs.Select(Show)));
        var cilInputs = inputs();
        var compiled = new CilBackend().CompileLoop(opt);
        var outcome = CompiledLoopRunner.Run(compiled, DeadFrame.For(compiled, cilInputs), ((TargetToken)opt.Operations[0].Descr!).EntryIndex);
        Assert.That(outcome.Values.Select(Show), Is.EqualTo(plain.Values.Select(Show)));
        Assert.That(cilInputs.Select(Show), Is.EqualTo(plainInputs.Select(Show)));
    }

    private static object? Show(object? o) => o switch
    {
        Node n => $"Node({n.Value})",
        long[] a => string.Join(",", a),
        object?[] a => string.Join(",", a.Select(Show)),
        _ => o,
    };
}
