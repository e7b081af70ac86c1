using MetaJit.Engine.Optimizer;
using MetaJit.Engine.Resume;
using MetaJit.Engine.Trace;
using NUnit.Framework;

namespace MetaJit.Optimizer.Tests;

/// <summary>
/// Bridges are optimized against what the loop knew at their guard (classes, non-null, int ranges, constants) and
/// against the guard's condition having failed, never against it having passed.
/// </summary>
public class BridgeKnowledgeTests
{
    private static ResOperation GuardAt(TreeLoop optimized, int k) => optimized.Operations.Where(o => o.IsGuard).ElementAt(k);

    private static TreeLoop OptimizeBridge(string loopText, int guard, string bridgeText)
    {
        var ns = World.Names();
        var loop = TraceOptimizer.Optimize(TraceParser.Parse(loopText, ns), OptimizerOptions.All);
        return TraceOptimizer.OptimizeBridge(TraceParser.Parse(bridgeText, ns), GuardAt(loop, guard), OptimizerOptions.All);
    }

    [Test]
    public void A_class_checked_before_the_guard_is_not_checked_again_in_the_bridge()
    {
        var opt = OptimizeBridge(
            "[p0, i0]\nguard_class(p0, ConstClass(Node)) [p0, i0]\ni1 = int_lt(i0, 10)\nguard_true(i1) [p0, i0]\nfinish(i0)",
            1,
            "[p0, i0]\nguard_class(p0, ConstClass(Node)) [p0, i0]\ni2 = getfield_gc_i(p0, descr=value)\nfinish(i2)");
        Assert.That(opt.Operations.Any(o => o.IsGuard), Is.False, new TracePrinter().Print(opt));
    }

    [Test]
    public void The_class_the_failing_guard_checks_is_not_assumed()
    {
        var opt = OptimizeBridge(
            "[p0, i0]\nguard_nonnull(p0) [p0, i0]\nguard_class(p0, ConstClass(Node)) [p0, i0]\nfinish(i0)",
            0, // guard_nonnull_class after strengthening: it fails when p0 is null or another class
            "[p0, i0]\nguard_class(p0, ConstClass(Node)) [p0, i0]\nfinish(i0)");
        Assert.That(opt.Operations.Count(o => o.Num == OpNum.GuardClass), Is.EqualTo(1), new TracePrinter().Print(opt));
    }

    [Test]
    public void An_int_range_proven_before_the_guard_and_the_failed_check_remove_the_bridges_checks()
    {
        var opt = OptimizeBridge(
            "[i0]\ni1 = int_ge(i0, 0)\nguard_true(i1) [i0]\ni2 = int_lt(i0, 10)\nguard_true(i2) [i0]\nfinish(i0)",
            1,
            "[i0]\ni3 = int_ge(i0, 0)\nguard_true(i3) [i0]\ni4 = int_lt(i0, 10)\nguard_false(i4) [i0]\ni5 = int_lt(i0, 12)\nguard_true(i5) [i0]\nfinish(i0)");
        var guards = opt.Operations.Where(o => o.IsGuard).ToList();
        Assert.That(guards, Has.Count.EqualTo(1), new TracePrinter().Print(opt)); // i0 >= 10 does not decide i0 < 12
        Assert.That(guards[0].Args[0], Is.InstanceOf<ResOperation>().With.Property("Num").EqualTo(OpNum.IntLt));
        Assert.That(new TraceInterpreter().Run(opt, 11L).Values[0], Is.EqualTo(11L));
    }

    [Test]
    public void Non_null_known_before_the_guard_removes_the_bridges_guard_nonnull()
    {
        var opt = OptimizeBridge(
            "[p0, i0]\nguard_nonnull(p0) [p0, i0]\ni1 = int_lt(i0, 10)\nguard_true(i1) [p0, i0]\nfinish(i0)",
            1,
            "[p0, i0]\nguard_nonnull(p0) [p0, i0]\nfinish(p0)");
        Assert.That(opt.Operations.Any(o => o.IsGuard), Is.False, new TracePrinter().Print(opt));
    }

    [Test]
    public void The_knowledge_is_recorded_per_fail_arg_and_absent_for_unknown_values()
    {
        var ns = World.Names();
        var loop = TraceOptimizer.Optimize(TraceParser.Parse(
            "[p0, p1, i0]\nguard_class(p0, ConstClass(Node)) [p0, p1, i0]\ni1 = int_lt(i0, 10)\nguard_true(i1) [p1, p0, i0]\nfinish(i0)", ns),
            OptimizerOptions.All);
        var knowledge = ((ResumeData)GuardAt(loop, 1).ResumeData!).Knowledge!;
        Assert.That(knowledge[0].IsEmpty, Is.True);
        Assert.That(knowledge[1].Class, Is.EqualTo(typeof(Node)));
        Assert.That(knowledge[2].IsEmpty, Is.True); // its range comes from the failing guard: not known on failure
    }

    [Test]
    public void With_no_knowledge_recorded_the_bridge_keeps_its_guards()
    {
        var opt = OptimizeBridge(
            "[p0, i0]\ni1 = int_lt(i0, 10)\nguard_true(i1) [p0, i0]\nfinish(i0)",
            0,
            "[p0, i0]\nguard_class(p0, ConstClass(Node)) [p0, i0]\ni3 = int_le(i0, 20)\nguard_true(i3) [i0]\nfinish(i0)");
        Assert.That(opt.Operations.Count(o => o.IsGuard), Is.EqualTo(2), new TracePrinter().Print(opt));
    }

    [Test]
    public void A_constant_fail_arg_is_that_constant_in_the_bridge()
    {
        var opt = OptimizeBridge(
            "[p0, i0]\ni1 = int_lt(i0, 10)\nguard_true(i1) [p0, 3, i0]\nfinish(i0)",
            0,
            "[p0, i5, i0]\ni6 = int_add(i5, 1)\nsetfield_gc(p0, i6, descr=value)\ni7 = int_lt(i5, 4)\nguard_true(i7) [p0, i5]\nfinish(i6)");
        string text = new TracePrinter().Print(opt);
        Assert.That(opt.Operations.Any(o => o.Num == OpNum.IntAdd || o.IsGuard), Is.False, text);
        Assert.That(text, Does.Contain("setfield_gc(p0, 4, descr=Node.Value)"));
        Assert.That(new TraceInterpreter().Run(opt, new Node(), 3L, 12L).Values[0], Is.EqualTo(4L));
    }

    [Test]
    public void A_null_fail_arg_is_null_in_the_bridge_but_a_virtuals_placeholder_is_not()
    {
        var opt = OptimizeBridge(
            "[p0, p1, i0]\np2 = new_with_vtable(descr=Node)\nsetfield_gc(p2, i0, descr=value)\ni1 = int_lt(i0, 10)\nguard_true(i1) [p2, NULL, i0]\nfinish(i0)",
            0,
            "[p3, p4, i5]\nguard_isnull(p4) [p3, p4]\nguard_nonnull(p3) [p3, p4]\ni7 = getfield_gc_i(p3, descr=value)\nfinish(i7)");
        Assert.That(opt.Operations.Any(o => o.IsGuard), Is.False, new TracePrinter().Print(opt));
    }

    [Test]
    public void A_failed_guard_true_leaves_its_condition_zero_in_the_bridge()
    {
        var opt = OptimizeBridge(
            "[p0, i0]\ni1 = getfield_gc_i(p0, descr=value)\nguard_true(i1) [p0, i1, i0]\nfinish(i0)",
            0,
            "[p0, i1, i0]\nguard_false(i1) [p0, i1]\ni2 = int_add(i1, i0)\nfinish(i2)");
        Assert.That(opt.Operations.Any(o => o.IsGuard), Is.False, new TracePrinter().Print(opt));
        Assert.That(new TraceInterpreter().Run(opt, new Node(), 0L, 7L).Values[0], Is.EqualTo(7L));
    }

    [Test]
    public void A_failed_guard_false_leaves_a_boolean_condition_one_but_another_int_only_nonzero()
    {
        var boolean = OptimizeBridge(
            "[p0, i0]\ni1 = int_lt(i0, 10)\nguard_false(i1) [p0, i1, i0]\nfinish(i0)",
            0,
            "[p0, i1, i0]\nguard_true(i1) [p0, i1]\ni2 = int_add(i1, i0)\nfinish(i2)");
        Assert.That(boolean.Operations.Any(o => o.IsGuard), Is.False, new TracePrinter().Print(boolean));
        Assert.That(new TracePrinter().Print(boolean), Does.Contain("int_add(i2, 1)").Or.Contain("int_add(1, i2)"));
        var other = OptimizeBridge(
            "[p0, i0]\ni1 = getfield_gc_i(p0, descr=value)\nguard_false(i1) [p0, i1, i0]\nfinish(i0)",
            0,
            "[p0, i1, i0]\ni2 = int_eq(i1, 5)\nguard_true(i2) [p0, i1]\nfinish(i1)");
        Assert.That(other.Operations.Count(o => o.IsGuard), Is.EqualTo(1), new TracePrinter().Print(other));
    }

    [Test]
    public void A_failed_guard_on_int_is_true_of_a_byte_makes_it_nonzero_in_the_bridge()
    {
        var opt = OptimizeBridge(
            "[p0, i0]\ni1 = int_and(i0, 255)\ni2 = int_is_true(i1)\nguard_false(i2) [p0, i1]\nfinish(i0)",
            0,
            "[p0, i1]\ni3 = int_is_true(i1)\nguard_true(i3) [p0, i1]\ni4 = int_eq(i1, 0)\nguard_false(i4) [p0, i1]\nfinish(i1)");
        Assert.That(opt.Operations.Any(o => o.IsGuard), Is.False, new TracePrinter().Print(opt));
    }

    [Test]
    public void A_failed_guard_false_on_an_equality_makes_the_value_that_constant_in_the_bridge()
    {
        var opt = OptimizeBridge(
            "[p0, i0]\ni1 = int_eq(i0, 3)\nguard_false(i1) [p0, i0]\nfinish(i0)",
            0,
            "[p0, i0]\ni2 = int_add(i0, 1)\nsetfield_gc(p0, i2, descr=value)\nfinish(i2)");
        Assert.That(new TracePrinter().Print(opt), Does.Contain("setfield_gc(p0, 4, descr=Node.Value)"));
    }

    [Test]
    public void A_failed_guard_true_on_an_equality_teaches_nothing_but_the_inequality()
    {
        var opt = OptimizeBridge(
            "[p0, i0]\ni1 = int_eq(i0, 3)\nguard_true(i1) [p0, i0]\nfinish(i0)",
            0,
            "[p0, i0]\ni2 = int_lt(i0, 3)\nguard_true(i2) [p0, i0]\nfinish(i0)");
        Assert.That(opt.Operations.Count(o => o.IsGuard), Is.EqualTo(1), new TracePrinter().Print(opt));
    }

    [Test]
    public void The_range_of_an_ovf_result_is_not_assumed_in_the_bridge_of_its_overflow_guard()
    {
        var opt = OptimizeBridge(
            "[i0]\ni1 = int_add(i0, 14)\ni2 = int_add_ovf(i1, 9223372036854775800)\nguard_no_overflow() [i2]\nfinish(i2)",
            0,
            "[i0]\ni1 = int_lt(i0, -9223372036854775794)\nguard_true(i1) [i0]\nfinish(i0)");
        var wrapped = unchecked(10L + 9223372036854775800L); // i1 = 10 wrapped
        var r = new TraceInterpreter().Run(opt, wrapped);
        Assert.That(r.Kind, Is.EqualTo(TraceExitKind.Finish), new TracePrinter().Print(opt));
    }

    [Test]
    public void A_failed_guard_nonnull_leaves_the_reference_null_and_a_failed_guard_isnull_leaves_it_not()
    {
        var wasNull = OptimizeBridge(
            "[p0, p1, i0]\nguard_nonnull(p1) [p0, p1, i0]\nfinish(i0)",
            0,
            "[p0, p1, i0]\nguard_isnull(p1) [p0, p1]\ni2 = ptr_eq(p1, NULL)\nguard_true(i2) [p0]\nfinish(i0)");
        Assert.That(wasNull.Operations.Any(o => o.IsGuard), Is.False, new TracePrinter().Print(wasNull));
        var wasNot = OptimizeBridge(
            "[p0, p1, i0]\nguard_isnull(p1) [p0, p1, i0]\nfinish(i0)",
            0,
            "[p0, p1, i0]\nguard_nonnull(p1) [p0, p1]\ni2 = getfield_gc_i(p1, descr=value)\nfinish(i2)");
        Assert.That(wasNot.Operations.Any(o => o.IsGuard), Is.False, new TracePrinter().Print(wasNot));
        Assert.That(new TraceInterpreter().Run(wasNot, new Node(), new Node { Value = 4 }, 0L).Values[0], Is.EqualTo(4L));
    }
}
