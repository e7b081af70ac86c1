using MetaJit.Engine.Optimizer;
using MetaJit.Engine.Resume;
using MetaJit.Engine.Trace;
using NUnit.Framework;

namespace MetaJit.Optimizer.Tests;

/// <summary>
/// Bridges are optimized against what the loop knew at their guard (classes, non-null, int ranges), and
/// never against what the failing guard itself checks.
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
    public void An_int_range_proven_before_the_guard_removes_the_bridges_check_but_not_the_failed_one()
    {
        var opt = OptimizeBridge(
            "[i0]\ni1 = int_ge(i0, 0)\nguard_true(i1) [i0]\ni2 = int_lt(i0, 10)\nguard_true(i2) [i0]\nfinish(i0)",
            1,
            "[i0]\ni3 = int_ge(i0, 0)\nguard_true(i3) [i0]\ni4 = int_lt(i0, 10)\nguard_false(i4) [i0]\nfinish(i0)");
        var guards = opt.Operations.Where(o => o.IsGuard).ToList();
        Assert.That(guards, Has.Count.EqualTo(1), new TracePrinter().Print(opt));
        Assert.That(guards[0].Num, Is.EqualTo(OpNum.GuardFalse));
        Assert.That(new TraceInterpreter().Run(opt, 12L).Values[0], Is.EqualTo(12L));
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
            "[p0, i0]\nguard_class(p0, ConstClass(Node)) [p0, i0]\ni3 = int_ge(i0, 0)\nguard_true(i3) [i0]\nfinish(i0)");
        Assert.That(opt.Operations.Count(o => o.IsGuard), Is.EqualTo(2), new TracePrinter().Print(opt));
    }
}
