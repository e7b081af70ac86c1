using MetaJit.Engine.Descriptors;
using MetaJit.Engine.Optimizer;
using MetaJit.Engine.Resume;
using MetaJit.Engine.Trace;
using NUnit.Framework;

namespace MetaJit.Optimizer.Tests;

public class MoreUnrollTests
{
    private static TreeLoop Opt(string text, string passes = "all") => TraceOptimizer.OptimizeLoop(TraceParser.Parse(text, World.Names()), OptimizerOptions.Parse(passes));

    private static void SameRun(string text, params object?[] inputs)
    {
        var trace = TraceParser.Parse(text, World.Names());
        var a = new TraceInterpreter().Run(trace, inputs);
        var b = new TraceInterpreter().Run(TraceOptimizer.OptimizeLoop(trace, OptimizerOptions.All), inputs);
        Assert.That(b.Kind, Is.EqualTo(a.Kind));
        Assert.That(b.Values, Is.EqualTo(a.Values));
    }

    [Test]
    public void A_value_constant_on_every_iteration_is_not_carried_by_the_label()
    {
        var opt = Opt("[i0, i1]\nlabel(i0, i1, descr=loop)\ni2 = int_add(i0, i1)\ni3 = int_lt(i2, 50)\nguard_true(i3) [i2]\njump(i2, 5, descr=loop)");
        var second = opt.Labels.Last();
        Assert.That(second.Args, Has.Length.EqualTo(1));
        SameRun("[i0, i1]\nlabel(i0, i1, descr=loop)\ni2 = int_add(i0, i1)\ni3 = int_lt(i2, 50)\nguard_true(i3) [i2]\njump(i2, 5, descr=loop)", 0L, 5L);
    }

    [Test]
    public void A_value_constant_after_the_preamble_but_changed_by_the_body_is_carried()
    {
        const string text = "[i0, i1]\nlabel(i0, i1, descr=loop)\ni2 = int_add(i0, i1)\ni3 = int_lt(i2, 50)\nguard_true(i3) [i2]\njump(i2, i2, descr=loop)";
        var opt = Opt(text);
        Assert.That(opt.Labels.Last().Args, Has.Length.EqualTo(2));
        Assert.That(opt.Labels.Last().Args.Distinct().Count(), Is.EqualTo(2), "label args must be distinct variables");
        SameRun(text, 1L, 1L);
    }

    [Test]
    public void A_trace_that_is_not_a_loop_is_not_peeled()
    {
        var opt = Opt("[i0]\ni1 = int_add(i0, 1)\nfinish(i1)");
        Assert.That(opt.Labels, Is.Empty);
    }

    [Test]
    public void Without_unroll_the_loop_keeps_its_single_label()
    {
        var opt = Opt("[i0]\nlabel(i0, descr=loop)\ni1 = int_add(i0, 1)\ni2 = int_lt(i1, 9)\nguard_true(i2) [i1]\njump(i1, descr=loop)", "intbounds:rewrite:virtualize:heap:pure");
        Assert.That(opt.Labels.Count(), Is.EqualTo(1));
        Assert.That(opt.Operations[^1].Descr!.Name, Is.EqualTo("loop"));
    }

    [Test]
    public void Bounds_at_the_label_remove_the_overflow_check_from_the_body()
    {
        const string text = "[i0]\nlabel(i0, descr=loop)\ni1 = int_add_ovf(i0, 1)\nguard_no_overflow() [i0]\ni2 = int_lt(i1, 100)\nguard_true(i2) [i1]\njump(i1, descr=loop)";
        var opt = Opt(text);
        var body = opt.Operations.SkipWhile(o => o != opt.Labels.Last()).ToList();
        Assert.That(body.Any(o => o.Num == OpNum.IntAddOvf), Is.False);
        Assert.That(body.Any(o => o.Num == OpNum.GuardNoOverflow), Is.False);
        SameRun(text, 0L);
    }

    [Test]
    public void A_virtual_array_crosses_the_back_edge_as_its_items()
    {
        const string text = "[p0]\nlabel(p0, descr=loop)\ni1 = getarrayitem_gc_i(p0, 0, descr=longs)\ni2 = int_add(i1, 1)\np3 = new_array_clear(1, descr=longs)\nsetarrayitem_gc(p3, 0, i2, descr=longs)\ni4 = int_lt(i2, 30)\nguard_true(i4) [i2]\njump(p3, descr=loop)";
        var opt = Opt(text);
        var body = opt.Operations.SkipWhile(o => o != opt.Labels.Last()).ToList();
        Assert.That(body.Any(o => o.Num == OpNum.NewArrayClear), Is.False);
        SameRun(text, new long[] { 0 });
    }

    [Test]
    public void A_virtual_whose_field_changes_class_falls_back_but_stays_correct()
    {
        const string text = "[p0, i0]\nlabel(p0, i0, descr=loop)\ni1 = int_add(i0, 1)\np2 = new_with_vtable(descr=Node)\nsetfield_gc(p2, p0, descr=next)\ni3 = int_lt(i1, 20)\nguard_true(i3) [i1]\njump(p2, i1, descr=loop)";
        SameRun(text, new Node(1), 0L);
    }
}

public class OptionsAndBridgeTests
{
    [TearDown]
    public void Reset() => MetaJit.JitParams.Reset();

    [Test]
    public void All_and_none_name_every_pass_and_no_pass()
    {
        Assert.That(OptimizerOptions.Parse("all").Passes, Is.EqualTo(OptimizerPasses.All));
        Assert.That(OptimizerOptions.Parse("none").Passes, Is.EqualTo(OptimizerPasses.None));
    }

    [Test]
    public void Pass_names_joined_by_colons_select_those_passes()
    {
        var o = OptimizerOptions.Parse("heap:pure");
        Assert.That(o.Has(OptimizerPasses.Heap) && o.Has(OptimizerPasses.Pure) && !o.Has(OptimizerPasses.Rewrite), Is.True);
        Assert.That(o.ToString(), Is.EqualTo("heap:pure"));
    }

    [Test]
    public void An_unknown_pass_name_is_reported_with_the_known_ones()
    {
        var e = Assert.Throws<ArgumentException>(() => OptimizerOptions.Parse("rewrite:fast"));
        Assert.That(e!.Message, Does.Contain("'fast'").And.Contain("intbounds:rewrite"));
    }

    [Test]
    public void FromParams_reads_enable_opts()
    {
        MetaJit.JitParams.Set("enable_opts", "intbounds:unroll");
        Assert.That(OptimizerOptions.FromParams().Passes, Is.EqualTo(OptimizerPasses.IntBounds | OptimizerPasses.Unroll));
    }

    [Test]
    public void With_no_pass_the_trace_is_copied_unchanged()
    {
        var ns = World.Names();
        var trace = TraceParser.Parse("[i0]\ni1 = int_add(i0, 0)\nguard_true(i1) [i0]\nfinish(i1)", ns);
        var opt = TraceOptimizer.OptimizeLoop(trace, OptimizerOptions.None);
        Assert.That(TraceEquivalence.Difference(trace, opt), Is.Null);
        Assert.That(opt.Operations[0], Is.Not.SameAs(trace.Operations[0]));
    }

    [Test]
    public void A_bridge_from_a_guard_with_a_virtual_starts_by_rebuilding_it_and_keeps_it_virtual()
    {
        var ns = World.Names();
        var guard = new ResOperation(OpNum.GuardTrue, [new ConstInt(1)], null, [ConstPtr.Null, new InputArg(ValueKind.Int)])
        {
            ResumeData = new ResumeData([], [], false) { Virtuals = new() { [0] = new VirtualRecipe(Descrs.Type(typeof(Node)), [World.Value], [1]) } },
        };
        var bridge = TraceParser.Parse("[p0, i1]\ni2 = getfield_gc_i(p0, descr=value)\ni3 = int_add(i2, i1)\nfinish(i3)", ns);
        var opt = TraceOptimizer.OptimizeBridge(bridge, guard, OptimizerOptions.All);
        Assert.That(opt.Operations.Any(o => o.Num is OpNum.GetfieldGcI or OpNum.NewWithVtable), Is.False);
        var r = new TraceInterpreter().Run(opt, null, 21L);
        Assert.That(r.Values[0], Is.EqualTo(42L));
    }

    [Test]
    public void A_bridge_that_lets_the_rebuilt_virtual_escape_allocates_it()
    {
        var ns = World.Names();
        var guard = new ResOperation(OpNum.GuardTrue, [new ConstInt(1)], null, [ConstPtr.Null, new InputArg(ValueKind.Int)])
        {
            ResumeData = new ResumeData([], [], false) { Virtuals = new() { [0] = new VirtualRecipe(Descrs.Type(typeof(Node)), [World.Value], [1]) } },
        };
        var bridge = TraceParser.Parse("[p0, i1]\nfinish(p0)", ns);
        var opt = TraceOptimizer.OptimizeBridge(bridge, guard, OptimizerOptions.All);
        var r = new TraceInterpreter().Run(opt, null, 9L);
        Assert.That(((Node)r.Values[0]!).Value, Is.EqualTo(9));
    }
}
