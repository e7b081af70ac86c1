using MetaJit.Engine.Backend;
using MetaJit.Engine.Backend.Cil;
using MetaJit.Engine.Descriptors;
using MetaJit.Engine.Optimizer;
using MetaJit.Engine.Resume;
using MetaJit.Engine.Trace;
using NUnit.Framework;

namespace MetaJit.Optimizer.Tests;

/// <summary>
/// A fail arg the optimizer proves constant is not a fail arg any more: it becomes a constant of the guard's
/// resume data (a negative slot), so compiled code does not move or store it at the exit. Resume reads it from
/// the constants (boxed values and dead frame alike), a virtual's field holding it gets it, and a bridge from
/// the guard starts knowing it.
/// </summary>
public class ConstantFailArgsTests
{
    // i2 folds to 12; p1 is a virtual node whose Value is the constant 7 and whose Next is p0.
    private const string Text = """
        [i0, p0]
        i2 = int_mul(3, 4)
        p1 = new_with_vtable(descr=Node)
        setfield_gc(p1, 7, descr=value)
        setfield_gc(p1, p0, descr=next)
        guard_true(i0) [i0, i2, p1, p0]
        finish(i0)
        """;

    private static TreeLoop Optimized() =>
        TraceOptimizer.Optimize(World.GiveFailArgResumeData(TraceParser.Parse(Text, World.Names())), OptimizerOptions.All);

    private static string Print(TreeLoop t) => new TracePrinter(World.Names()).Print(t);

    [Test]
    public void A_constant_fail_arg_becomes_a_constant_of_the_resume_data()
    {
        var opt = Optimized();
        var guard = opt.Guards[0];
        Assert.That(guard.FailArgs!.OfType<ConstInt>(), Is.Empty, Print(opt));
        Assert.That(guard.FailArgs!.Count(a => a is not Const), Is.EqualTo(2), "i0 and p0 stay: " + Print(opt));
        var data = (ResumeData)guard.ResumeData!;
        int slot = data.Frames[0].Slots[1];
        Assert.That(slot, Is.LessThan(0), "the register that held i2 reads a constant");
        Assert.That(data.Consts[-slot - 1], Is.EqualTo(new ConstInt(12)));
        var recipe = data.Virtuals![data.Frames[0].Slots[2]];
        Assert.That(recipe.ValueSlots[Array.IndexOf(recipe.Fields, World.Value)], Is.LessThan(0), "the virtual's constant field too");
    }

    [Test]
    public void Resume_reads_the_constants_from_boxed_values_and_from_the_dead_frame()
    {
        var opt = Optimized();
        var guard = opt.Guards[0];
        var data = (ResumeData)guard.ResumeData!;
        var other = new Node();
        var run = new TraceInterpreter().Run(opt, 0L, other);
        Assert.That(run.Kind, Is.EqualTo(TraceExitKind.GuardFailed));
        var boxed = Materializer.Rebuild(data, run.Values, 4);
        var fromDead = Materializer.RebuildFromDeadFrame(data, guard.FailArgs!, run.Values, 4);
        foreach (var values in new[] { boxed, fromDead })
        {
            Assert.That(values[0], Is.EqualTo(0L));
            Assert.That(values[1], Is.EqualTo(12L));
            var node = (Node)values[2]!;
            Assert.That((node.Value, node.Next), Is.EqualTo((7L, other)));
            Assert.That(values[3], Is.SameAs(other));
        }
    }

    [Test]
    public void A_bridge_from_the_guard_uses_the_constants_and_compiled_code_agrees()
    {
        var loop = Optimized();
        var guard = loop.Guards[0];
        var ns = World.Names();
        // The bridge's inputs are the guard's fail args (i0, p1's placeholder, p0): it returns the virtual's value.
        var bridge = TraceParser.Parse("""
            [i0, p1, p0]
            i3 = getfield_gc_i(p1, descr=value)
            finish(i3)
            """, ns);
        Assert.That(guard.FailArgs!.Select(a => a.Kind), Is.EqualTo(new[] { ValueKind.Int, ValueKind.Ref, ValueKind.Ref }), Print(loop));
        var opt = TraceOptimizer.OptimizeBridge(bridge, guard, OptimizerOptions.All);
        Assert.That(opt.Operations.Any(o => o.Num == OpNum.GetfieldGcI), Is.False, "the rebuilt virtual's field is the constant: " + new TracePrinter(ns).Print(opt));
        Assert.That(new TraceInterpreter().Run(opt, 0L, null, new Node()).Values[0], Is.EqualTo(7L));

        var backend = new CilBackend();
        var compiled = backend.CompileLoop(loop);
        backend.CompileBridge(compiled, 0, opt);
        var outcome = CompiledLoopRunner.Run(compiled, DeadFrame.For(compiled, 0L, new Node()));
        Assert.That(outcome.Kind, Is.EqualTo(TraceExitKind.Finish));
        Assert.That(outcome.Values[0], Is.EqualTo(7L));
    }
}
