using MetaJit.Engine.Backend;
using MetaJit.Engine.Backend.Cil;
using MetaJit.Engine.Optimizer;
using MetaJit.Engine.Resume;
using MetaJit.Engine.Trace;
using NUnit.Framework;

namespace MetaJit.Optimizer.Tests;

/// <summary>
/// The heap pass keeps a held-back setfield past a guard (RPython's pending setfields): the guard's resume data
/// records it, leaving through the guard performs it, and a bridge from the guard starts by doing it.
/// </summary>
public class LazyWritesTests
{
    private const string Text = """
        [p0, i0]
        setfield_gc(p0, i0, descr=value)
        guard_true(i0) [i0]
        setfield_gc(p0, 5, descr=value)
        finish(i0)
        """;

    private static TreeLoop Optimized(string text)
    {
        var trace = World.GiveFailArgResumeData(TraceParser.Parse(text, World.Names()));
        return TraceOptimizer.Optimize(trace, OptimizerOptions.All);
    }

    [Test]
    public void A_write_before_a_guard_is_not_stored_on_the_way_but_recorded_in_the_guard()
    {
        var opt = Optimized(Text);
        var ops = opt.Operations;
        Assert.That(ops.Count(o => o.Num == OpNum.SetfieldGc), Is.EqualTo(1), new TracePrinter(World.Names()).Print(opt));
        Assert.That(ops[0].Num, Is.EqualTo(OpNum.GuardTrue), "the first store is merged into the second");
        var writes = ((ResumeData)ops[0].ResumeData!).Writes;
        Assert.That(writes, Has.Length.EqualTo(1));
        Assert.That(writes[0].Lazy && writes[0].Field == World.Value, Is.True);
    }

    [TestCase(0L, 0L, TestName = "Leaving_through_the_guard_performs_the_kept_back_write")]
    [TestCase(3L, 5L, TestName = "Not_failing_the_guard_ends_with_the_last_write_only")]
    public void The_heap_after_the_trace_is_the_unoptimized_one(long input, long expected)
    {
        var node = new Node();
        var r = new TraceInterpreter().Run(Optimized(Text), node, input);
        if (r.Kind == TraceExitKind.GuardFailed) ResumeReader.PerformWrites((ResumeData)r.Guard!.ResumeData!, r.Values);
        Assert.That(node.Value, Is.EqualTo(expected));
    }

    [Test]
    public void A_bridge_from_the_guard_starts_by_doing_the_write_and_compiled_code_agrees()
    {
        var loop = Optimized(Text);
        var guard = loop.Operations[0];
        var ns = World.Names();
        var bridge = TraceParser.Parse("[i0, p0]\ni1 = getfield_gc_i(p0, descr=value)\nfinish(i1)", ns);
        var opt = TraceOptimizer.OptimizeBridge(bridge, guard, OptimizerOptions.All);
        Assert.That(opt.Operations.Any(o => o.Num == OpNum.SetfieldGc), Is.True, new TracePrinter(ns).Print(opt));
        var node = new Node { Value = 99 };
        Assert.That(new TraceInterpreter().Run(opt, 0L, node).Values[0], Is.EqualTo(0L), "the read sees the kept-back write");
        Assert.That(node.Value, Is.EqualTo(0));

        var backend = new CilBackend();
        var compiled = backend.CompileLoop(loop);
        backend.CompileBridge(compiled, 0, opt);
        var cilNode = new Node { Value = 99 };
        var outcome = CompiledLoopRunner.Run(compiled, DeadFrame.For(compiled, cilNode, 0L));
        Assert.That(outcome.Kind, Is.EqualTo(TraceExitKind.Finish));
        Assert.That(outcome.Values[0], Is.EqualTo(0L));
        Assert.That(cilNode.Value, Is.EqualTo(0));
    }
}
