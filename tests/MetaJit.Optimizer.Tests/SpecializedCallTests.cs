using MetaJit.Engine.Backend;
using MetaJit.Engine.Descriptors;
using MetaJit.Engine.Optimizer;
using MetaJit.Engine.Resume;
using MetaJit.Engine.Trace;
using NUnit.Framework;

namespace MetaJit.Optimizer.Tests;

/// <summary>
/// Calls of specialized entries (VirtualizePass.Calls.cs; docs/engine.md, "Specialized entries"): a call_assembler
/// with virtual arguments passes their fields to a target compiled for that shape, when it is sound (the caller
/// never looks at the objects again, except its exception guard, which gets them handed back).
/// </summary>
public class SpecializedCallTests
{
    /// <summary>A call_assembler target that gives out a specialized descr for any shape (or none), recording the
    /// shapes it was asked for.</summary>
    private sealed class Target(bool refuse = false) : CallAssemblerDescr
    {
        public readonly List<(EntryShape Shape, Target Special)> Asked = new();

        public override string Name => "target";
        public override ValueKind[] ArgKinds => [];
        public override int VableArgIndex => -1;
        public override VirtualizableInfo? Vable => null;
        public override DeadFrame TakeFrame() => new();
        public override long InvokeInt(DeadFrame args) => throw new NotSupportedException();
        public override double InvokeFloat(DeadFrame args) => throw new NotSupportedException();
        public override object? InvokeRef(DeadFrame args) => throw new NotSupportedException();
        public override void InvokeVoid(DeadFrame args) => throw new NotSupportedException();

        internal override CallAssemblerDescr? Specialized(EntryShape shape)
        {
            if (refuse) return null;
            var special = new Target(refuse: true);
            Asked.Add((shape, special));
            return special;
        }
    }

    private static TreeLoop Optimize(string input, Target target, out TraceNamespace ns)
    {
        ns = World.Names().Add("target", target);
        return TraceOptimizer.OptimizeLoop(TraceParser.Parse(input, ns), OptimizerOptions.Parse("virtualize"));
    }

    private static void AssertTrace(TreeLoop actual, string expected, TraceNamespace ns)
    {
        var want = TraceParser.Parse(expected, ns);
        var diff = TraceEquivalence.Difference(want, actual);
        Assert.That(diff, Is.Null, () => $"{diff}\n--- actual:\n{new TracePrinter(ns).Print(actual)}--- expected:\n{new TracePrinter(ns).Print(want)}");
    }

    [Test]
    public void A_virtual_argument_the_trace_does_not_use_again_is_passed_as_its_fields()
    {
        var target = new Target();
        var actual = Optimize("[i0]\np1 = new_with_vtable(descr=Node)\nsetfield_gc(p1, i0, descr=value)\ni2 = call_assembler_i(p1, i0, descr=target)\nguard_no_exception() []\nfinish(i2)",
            target, out var ns);
        Assert.That(target.Asked, Has.Count.EqualTo(1));
        Assert.That(target.Asked[0].Shape.ToString(), Is.EqualTo("Node{Value=_}, _"));
        ns.Add("special", target.Asked[0].Special);
        AssertTrace(actual, "[i0]\ni2 = call_assembler_i(i0, i0, descr=special)\nguard_no_exception() []\nfinish(i2)", ns);
    }

    [Test]
    public void A_constant_is_a_leaf_so_calls_differing_in_constants_have_one_shape()
    {
        var target = new Target();
        Optimize("[i0]\np1 = new_with_vtable(descr=Node)\nsetfield_gc(p1, 3, descr=value)\ni2 = call_assembler_i(p1, 4, descr=target)\nguard_no_exception() []\n"
            + "p3 = new_with_vtable(descr=Node)\nsetfield_gc(p3, i0, descr=value)\ni4 = call_assembler_i(p3, i0, descr=target)\nguard_no_exception() []\nfinish(i4)", target, out _);
        Assert.That(target.Asked, Has.Count.EqualTo(2));
        Assert.That(target.Asked[0].Shape, Is.EqualTo(target.Asked[1].Shape));
    }

    [Test]
    public void A_null_is_part_of_the_shape_and_not_passed()
    {
        var target = new Target();
        var actual = Optimize("[i0, p9]\np1 = new_with_vtable(descr=Node)\nsetfield_gc(p1, i0, descr=value)\ni2 = call_assembler_i(p1, NULL, descr=target)\nguard_no_exception() []\n"
            + "p3 = new_with_vtable(descr=Node)\nsetfield_gc(p3, i0, descr=value)\ni4 = call_assembler_i(p3, p9, descr=target)\nguard_no_exception() []\nfinish(i4)", target, out var ns);
        Assert.That(target.Asked, Has.Count.EqualTo(2));
        Assert.That(target.Asked[0].Shape.ToString(), Is.EqualTo("Node{Value=_}, NULL"));
        Assert.That(target.Asked[1].Shape.ToString(), Is.EqualTo("Node{Value=_}, _"));
        Assert.That(target.Asked[0].Shape, Is.Not.EqualTo(target.Asked[1].Shape));
        ns.Add("special0", target.Asked[0].Special);
        ns.Add("special1", target.Asked[1].Special);
        AssertTrace(actual, "[i0, p9]\ni2 = call_assembler_i(i0, descr=special0)\nguard_no_exception() []\n"
            + "i4 = call_assembler_i(i0, p9, descr=special1)\nguard_no_exception() []\nfinish(i4)", ns);
    }

    [Test]
    public void A_virtual_used_after_the_call_is_allocated_and_passed_as_a_reference()
    {
        var target = new Target();
        var actual = Optimize("[i0]\np1 = new_with_vtable(descr=Node)\nsetfield_gc(p1, i0, descr=value)\np2 = new_with_vtable(descr=Node)\nsetfield_gc(p2, 5, descr=value)\n"
            + "i3 = call_assembler_i(p1, p2, descr=target)\nguard_no_exception() []\ni4 = getfield_gc_i(p1, descr=value)\nfinish(i4)", target, out var ns);
        Assert.That(target.Asked[0].Shape.ToString(), Is.EqualTo("_, Node{Value=_}"));
        ns.Add("special", target.Asked[0].Special);
        AssertTrace(actual, "[i0]\np1 = new_with_vtable(descr=Node)\nsetfield_gc(p1, i0, descr=value)\ni3 = call_assembler_i(p1, 5, descr=special)\n"
            + "guard_no_exception() []\ni4 = getfield_gc_i(p1, descr=value)\nfinish(i4)", ns);
    }

    [Test]
    public void A_virtual_another_virtual_holds_is_allocated_and_the_call_stays_generic()
    {
        var target = new Target();
        var actual = Optimize("[i0]\np1 = new_with_vtable(descr=Node)\np2 = new_with_vtable(descr=Node)\nsetfield_gc(p2, i0, descr=value)\nsetfield_gc(p1, p2, descr=next)\n"
            + "i3 = call_assembler_i(p2, descr=target)\nguard_no_exception() []\nfinish(p1)", target, out var ns);
        Assert.That(target.Asked, Is.Empty, "nothing virtual is left to pass as fields");
        AssertTrace(actual, "[i0]\np2 = new_with_vtable(descr=Node)\nsetfield_gc(p2, i0, descr=value)\ni3 = call_assembler_i(p2, descr=target)\n"
            + "guard_no_exception() []\np1 = new_with_vtable(descr=Node)\nsetfield_gc(p1, p2, descr=next)\nfinish(p1)", ns);
    }

    [Test]
    public void The_exception_guard_may_name_a_virtual_argument_which_the_call_hands_back()
    {
        var target = new Target();
        var actual = Optimize("[i0]\np1 = new_with_vtable(descr=Node)\nsetfield_gc(p1, i0, descr=value)\ni2 = call_assembler_i(p1, descr=target)\nguard_no_exception() [p1, i0]\nfinish(i2)",
            target, out var ns);
        var special = target.Asked.Single().Special;
        ns.Add("special", special);
        AssertTrace(actual, "[i0]\ni2 = call_assembler_i(i0, descr=special)\nguard_no_exception() [NULL, i0]\nfinish(i2)", ns);
        var recipe = ((ResumeData)actual.Guards[0].ResumeData!).Virtuals![0];
        Assert.That(recipe.HandBack, Is.EqualTo(new HandBack(special, 0)));
    }

    [Test]
    public void A_later_guard_naming_a_virtual_argument_makes_it_allocated()
    {
        var target = new Target();
        var actual = Optimize("[i0]\np1 = new_with_vtable(descr=Node)\nsetfield_gc(p1, i0, descr=value)\ni2 = call_assembler_i(p1, descr=target)\nguard_no_exception() []\n"
            + "guard_true(i2) [p1]\nfinish(i2)", target, out var ns);
        Assert.That(target.Asked, Is.Empty);
        AssertTrace(actual, "[i0]\np1 = new_with_vtable(descr=Node)\nsetfield_gc(p1, i0, descr=value)\ni2 = call_assembler_i(p1, descr=target)\nguard_no_exception() []\n"
            + "guard_true(i2) [p1]\nfinish(i2)", ns);
    }

    [Test]
    public void A_target_without_specialized_entries_gets_the_objects()
    {
        var target = new Target(refuse: true);
        var actual = Optimize("[i0]\np1 = new_with_vtable(descr=Node)\nsetfield_gc(p1, i0, descr=value)\ni2 = call_assembler_i(p1, descr=target)\nguard_no_exception() []\nfinish(i2)",
            target, out var ns);
        AssertTrace(actual, "[i0]\np1 = new_with_vtable(descr=Node)\nsetfield_gc(p1, i0, descr=value)\ni2 = call_assembler_i(p1, descr=target)\nguard_no_exception() []\nfinish(i2)", ns);
    }

    /// <summary>The target's side: its recorded trace optimized again with the argument virtual from the start. The
    /// field read folds, the object exists only in the guard's recipe, and the guard marks the slot that holds the
    /// entry's argument (resume hands it to the caller if the invocation raises).</summary>
    [Test]
    public void A_specialized_entry_rebuilds_its_virtual_arguments_and_marks_them_in_its_guards()
    {
        var caller = new Target();
        Optimize("[i0]\np1 = new_with_vtable(descr=Node)\nsetfield_gc(p1, i0, descr=value)\ni2 = call_assembler_i(p1, i0, descr=target)\nguard_no_exception() []\nfinish(i2)", caller, out _);
        var shape = caller.Asked.Single().Shape;
        var ns = World.Names().Add("start", new TargetToken("start")).Add("entry", new TargetToken("entry"));
        var recorded = TraceParser.Parse("[p0, i1]\nlabel(p0, i1, descr=start)\ni2 = getfield_gc_i(p0, descr=value)\nguard_true(i2) [p0, i1]\ni3 = int_add(i2, i1)\nfinish(i3)", ns);
        var actual = TraceOptimizer.OptimizeSpecializedEntry(recorded, shape, new TargetToken("entry"), OptimizerOptions.Parse("virtualize"));
        AssertTrace(actual, "[i0, i1]\nlabel(i0, i1, descr=entry)\nguard_true(i0) [NULL, i1, i0]\ni3 = int_add(i0, i1)\nfinish(i3)", ns);
        Assert.That(((ResumeData)actual.Guards[0].ResumeData!).EntryObjects, Is.EqualTo(new[] { new EntryObject(0, 0) }));
    }
}
