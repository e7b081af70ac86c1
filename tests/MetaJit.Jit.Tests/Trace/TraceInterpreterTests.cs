using MetaJit.Engine.Trace;
using NUnit.Framework;

namespace MetaJit.Jit.Tests.Trace;

public class TraceInterpreterTests
{
    private static TraceResult Run(string text, params object?[] inputs) =>
        new TraceInterpreter().Run(TraceParser.Parse(text, TestWorld.Names()), inputs);

    [Test]
    public void Finish_returns_its_value()
    {
        var r = Run("[i0]\ni1 = int_mul(i0, 6)\nfinish(i1)", 7L);
        Assert.That(r.Kind, Is.EqualTo(TraceExitKind.Finish));
        Assert.That(r.Values, Is.EqualTo(new object[] { 42L }));
    }

    [Test]
    public void A_loop_runs_until_its_guard_fails_with_the_fail_args()
    {
        var r = Run("""
            [i0]
            label(i0, descr=loop)
            i1 = int_add(i0, 1)
            i2 = int_lt(i1, 100)
            guard_true(i2) [i1]
            jump(i1, descr=loop)
            """, 0L);
        Assert.That(r.Kind, Is.EqualTo(TraceExitKind.GuardFailed));
        Assert.That(r.GuardIndex, Is.EqualTo(0));
        Assert.That(r.Values, Is.EqualTo(new object[] { 100L }));
    }

    [Test]
    public void Integer_division_truncates_and_shifts_mask_the_count_like_CSharp()
    {
        var r = Run("[i0]\ni1 = int_floordiv(i0, 2)\ni2 = int_mod(i0, 2)\ni3 = int_lshift(1, 65)\ni4 = uint_rshift(i0, 60)\nfinish(i1, i2, i3, i4)", -7L);
        Assert.That(r.Values, Is.EqualTo(new object[] { -3L, -1L, 2L, 15L }));
    }

    [Test]
    public void Overflow_ops_set_the_flag_guard_no_overflow_checks()
    {
        var r = Run("[i0]\ni1 = int_add_ovf(i0, 1)\nguard_no_overflow() [i0]\nfinish(i1)", long.MaxValue);
        Assert.That(r.Kind, Is.EqualTo(TraceExitKind.GuardFailed));
        r = Run("[i0]\ni1 = int_mul_ovf(i0, 3)\nguard_no_overflow() [i0]\nfinish(i1)", 5L);
        Assert.That(r.Values, Is.EqualTo(new object[] { 15L }));
    }

    [Test]
    public void Fields_arrays_and_calls_act_on_real_objects()
    {
        var node = new Node { value = 5 };
        var r = Run("""
            [p0]
            i1 = getfield_gc_i(p0, descr=value)
            i2 = call_i(i1, 10, descr=Add)
            setfield_gc(p0, i2, descr=big)
            p3 = new_array_clear(4, descr=longs)
            setarrayitem_gc(p3, 2, i2, descr=longs)
            i4 = getarrayitem_gc_i(p3, 2, descr=longs)
            i5 = arraylen_gc(p3, descr=longs)
            finish(i4, i5)
            """, node);
        Assert.That(node.big, Is.EqualTo(15));
        Assert.That(r.Values, Is.EqualTo(new object[] { 15L, 4L }));
    }

    [Test]
    public void An_exception_from_a_call_fails_guard_no_exception_and_is_reported()
    {
        var r = Run("[i0]\ni1 = call_i(i0, descr=CheckPositive)\nguard_no_exception() [i0]\nfinish(i1)", -1L);
        Assert.That(r.Kind, Is.EqualTo(TraceExitKind.GuardFailed));
        Assert.That(r.Exception, Is.TypeOf<TestException>());
    }

    [Test]
    public void Guard_exception_passes_on_the_exact_class_and_gives_the_exception()
    {
        var r = Run("[i0]\ncall_n(i0, descr=ThrowIf)\np1 = guard_exception(descr=InvalidOperation) [i0]\nfinish(p1)", 1L);
        Assert.That(r.Kind, Is.EqualTo(TraceExitKind.Finish));
        Assert.That(r.Values[0], Is.TypeOf<InvalidOperationException>());
    }

    [Test]
    public void Iteration_cap_stops_an_endless_loop()
    {
        var interp = new TraceInterpreter { MaxIterations = 1000 };
        var r = interp.Run(TraceParser.Parse("[i0]\nlabel(i0, descr=l)\ni1 = int_add(i0, 1)\njump(i1, descr=l)"), 0L);
        Assert.That(r.Kind, Is.EqualTo(TraceExitKind.IterationLimit));
    }

    [Test]
    public void A_jump_to_a_label_of_another_trace_is_reported()
    {
        var ns = TestWorld.Names();
        TraceParser.Parse("[i0]\nlabel(i0, descr=outer)\njump(i0, descr=outer)", ns);
        var r = new TraceInterpreter().Run(TraceParser.Parse("[i0]\ni1 = int_add(i0, 2)\njump(i1, descr=outer)", ns), 1L);
        Assert.That(r.Kind, Is.EqualTo(TraceExitKind.Jump));
        Assert.That(r.JumpTarget!.Name, Is.EqualTo("outer"));
        Assert.That(r.Values, Is.EqualTo(new object[] { 3L }));
    }
}
