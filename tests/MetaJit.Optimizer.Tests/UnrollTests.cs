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
