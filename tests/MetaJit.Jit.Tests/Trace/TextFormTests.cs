using MetaJit.Engine.Trace;
using NUnit.Framework;

namespace MetaJit.Jit.Tests.Trace;

public class TextFormTests
{
    private static void AssertRoundTrip(string text)
    {
        var ns = TestWorld.Names();
        var first = TraceParser.Parse(text, ns);
        var printed = new TracePrinter(ns).Print(first);
        var second = TraceParser.Parse(printed, ns);
        Assert.That(TraceEquivalence.Difference(first, second), Is.Null, printed);
        Assert.That(new TracePrinter(ns).Print(second), Is.EqualTo(printed));
    }

    [Test]
    public void Integer_ops_round_trip() => AssertRoundTrip("""
        [i0, i1]
        i2 = int_add(i0, 1)
        i3 = int_sub(i2, i1)
        i4 = int_mul(i3, -7)
        i5 = int_floordiv(i4, 3)
        i6 = int_mod(i5, 3)
        i7 = uint_floordiv(i6, 5)
        i8 = uint_mod(i7, 5)
        i9 = int_and(i8, 255)
        i10 = int_or(i9, i0)
        i11 = int_xor(i10, i1)
        i12 = int_lshift(i11, 3)
        i13 = int_rshift(i12, 1)
        i14 = uint_rshift(i13, 1)
        i15 = int_neg(i14)
        i16 = int_invert(i15)
        i17 = int_signext(i16, 2)
        i18 = int_lt(i17, i0)
        i19 = int_le(i17, i0)
        i20 = int_eq(i17, i0)
        i21 = int_ne(i17, i0)
        i22 = int_gt(i17, i0)
        i23 = int_ge(i17, i0)
        i24 = uint_lt(i17, i0)
        i25 = uint_le(i17, i0)
        i26 = uint_gt(i17, i0)
        i27 = uint_ge(i17, i0)
        i28 = int_is_zero(i27)
        i29 = int_is_true(i28)
        i30 = int_add_ovf(i29, -9223372036854775808)
        guard_no_overflow() [i30]
        i31 = int_sub_ovf(i30, 1)
        guard_overflow() []
        i32 = int_mul_ovf(i31, 9223372036854775807)
        guard_no_overflow() [i0, i32]
        finish(i32)
        """);

    [Test]
    public void Float_ops_and_float_literals_round_trip() => AssertRoundTrip("""
        [f0, f1, i2]
        f3 = float_add(f0, 1.5)
        f4 = float_sub(f3, -0.0)
        f5 = float_mul(f4, 1E+300)
        f6 = float_truediv(f5, f1)
        f7 = float_neg(f6)
        f8 = float_abs(f7)
        i9 = float_lt(f8, nan)
        i10 = float_le(f8, inf)
        i11 = float_eq(f8, -inf)
        i12 = float_ne(f8, 2.0)
        i13 = float_gt(f8, 1E-300)
        i14 = float_ge(f8, 0.1)
        f15 = cast_int_to_float(i2)
        i16 = cast_float_to_int(f15)
        f17 = same_as_f(f15)
        guard_value(f17, 3.25) [f17]
        finish(f17, descr=done)
        """);

    [Test]
    public void Memory_ops_with_descrs_round_trip() => AssertRoundTrip("""
        [p0, i1]
        guard_nonnull(p0) [p0]
        guard_class(p0, ConstClass(Node)) [p0]
        i2 = getfield_gc_i(p0, descr=value)
        f3 = getfield_gc_f(p0, descr=f)
        p4 = getfield_gc_r(p0, descr=next)
        setfield_gc(p0, i1, descr=value)
        setfield_gc(p0, NULL, descr=next)
        setfield_gc(p0, ConstPtr(sharedNode), descr=payload)
        i5 = getstatic_i(descr=counter)
        setstatic(i5, descr=counter)
        p6 = new_array_clear(10, descr=longs)
        p7 = new_array(i1, descr=doubles)
        i8 = arraylen_gc(p6, descr=longs)
        i9 = getarrayitem_gc_i(p6, 3, descr=longs)
        f10 = getarrayitem_gc_f(p7, 0, descr=doubles)
        setarrayitem_gc(p6, 3, i9, descr=longs)
        p11 = new_with_vtable(descr=Node)
        p12 = getarrayitem_gc_r(p11, 0, descr=objs)
        i13 = strlen('it''s\n')
        i14 = strgetitem('abc', 1)
        i15 = ptr_eq(p0, p4)
        i16 = ptr_ne(p0, NULL)
        p17 = same_as_r(p0)
        guard_isnull(p4) [p17]
        guard_nonnull_class(p17, ConstClass(SubNode)) [p17, i16]
        finish()
        """.Replace("'it''s\\n'", "'it\\'s\\n'"));

    [Test]
    public void Calls_and_exception_guards_round_trip() => AssertRoundTrip("""
        [i0, f1, p2]
        i3 = call_i(i0, 2, descr=Add)
        f4 = call_f(f1, i3, descr=Scale)
        p5 = call_r('a', 'b', descr=Concat)
        call_n(descr=Count)
        i6 = call_pure_i(i0, 1, descr=Add)
        i7 = call_may_force_i(i0, 1, descr=Add)
        guard_not_forced() [i7]
        i8 = call_loopinvariant_i(i0, 1, descr=Add)
        p9 = call_r(5, descr=newNode)
        i10 = call_i(i0, descr=CheckPositive)
        guard_no_exception() [i0]
        call_n(i0, descr=ThrowIf)
        p11 = guard_exception(descr=InvalidOperation) [i0, p2]
        guard_not_invalidated() []
        finish(p11)
        """);

    [Test]
    public void Loops_with_labels_jumps_and_merge_points_round_trip() => AssertRoundTrip("""
        # a comment line
        [i0, p1]
        label(i0, p1, descr=loop0)
        debug_merge_point('pc=3 line 2 # not a comment')
        i2 = int_add(i0, 1)   # trailing comment
        i3 = int_lt(i2, 100)
        guard_true(i3) [i2, p1]
        guard_false(i3) []
        guard_value(i2, 50) [i2]
        p4 = getfield_gc_r(p1, descr=next)
        jump(i2, p1, descr=loop0)
        """);

    [Test]
    public void Printed_form_matches_the_RPython_layout()
    {
        var text = "[i0, p1]\nlabel(i0, p1, descr=loop0)\ndebug_merge_point('pc=3 line 2')\ni2 = int_add(i0, 1)\ni3 = int_lt(i2, 100)\n" +
                   "guard_true(i3) [i2, p1]\np4 = getfield_gc_r(p1, descr=next)\njump(i2, p1, descr=loop0)\n";
        var ns = TestWorld.Names();
        Assert.That(new TracePrinter(ns).Print(TraceParser.Parse(text, ns)), Is.EqualTo(text));
    }

    [Test]
    public void Descrs_without_names_print_by_their_own_name_and_parse_back()
    {
        var trace = TraceParser.Parse("[p0]\ni1 = getfield_gc_i(p0, descr=value)\np2 = call_r(i1, descr=Wrap)\nfinish(p2)", TestWorld.Names());
        var fresh = new TraceNamespace();
        var text = new TracePrinter(fresh).Print(trace);
        Assert.That(text, Does.Contain("descr=Node.value"));
        Assert.That(text, Does.Contain("descr=Helpers.Wrap"));
        Assert.That(TraceEquivalence.Difference(trace, TraceParser.Parse(text, fresh)), Is.Null);
    }

    [Test]
    public void Unnamed_pointer_constants_get_names_that_parse_back()
    {
        var obj = new Node();
        var input = new InputArg(Engine.Descriptors.ValueKind.Ref);
        var op = new ResOperation(OpNum.PtrEq, input, new ConstPtr(obj));
        var trace = new TreeLoop([input], [op, new ResOperation(OpNum.Finish, op)]);
        var ns = new TraceNamespace();
        var text = new TracePrinter(ns).Print(trace);
        var again = TraceParser.Parse(text, ns);
        Assert.That(((ConstPtr)again.Operations[0].Args[1]).Object, Is.SameAs(obj));
    }

    [Test]
    public void Errors_name_the_line_and_the_problem()
    {
        var e = Assert.Throws<FormatException>(() => TraceParser.Parse("[i0]\ni1 = int_add(i0, i9)\nfinish(i1)"));
        Assert.That(e!.Message, Does.Contain("line 2").And.Contain("i9"));
        e = Assert.Throws<FormatException>(() => TraceParser.Parse("[i0]\ni1 = int_frobnicate(i0)"));
        Assert.That(e!.Message, Does.Contain("line 2").And.Contain("int_frobnicate"));
        e = Assert.Throws<FormatException>(() => TraceParser.Parse("[p0]\ni1 = getfield_gc_i(p0, descr=nosuch)"));
        Assert.That(e!.Message, Does.Contain("nosuch").And.Contain("namespace"));
        e = Assert.Throws<FormatException>(() => TraceParser.Parse("[i0]\nf1 = int_add(i0, 1)"));
        Assert.That(e!.Message, Does.Contain("f1"));
    }

    [Test]
    public void Every_op_has_a_unique_name_and_metadata()
    {
        Assert.That(OpInfo.All.Select(i => i.Name).Distinct().Count(), Is.EqualTo(OpInfo.All.Count));
        Assert.That(OpInfo.ByName("guard_true")!.IsGuard, Is.True);
        Assert.That(OpInfo.ByName("int_add")!.IsPure, Is.True);
        Assert.That(OpInfo.ByName("getfield_gc_r")!.ResultKind, Is.EqualTo(Engine.Descriptors.ValueKind.Ref));
        Assert.That(OpInfo.CallOf(OpNum.CallPureI, Engine.Descriptors.ValueKind.Void), Is.EqualTo(OpNum.CallPureN));
    }

    [Test]
    public void Guard_indices_follow_trace_order()
    {
        var trace = TraceParser.Parse("[i0]\nguard_true(i0) []\ni1 = int_add(i0, 1)\nguard_false(i1) [i1]\nfinish()");
        Assert.That(trace.Guards.Select(g => g.GuardIndex), Is.EqualTo(new[] { 0, 1 }));
        Assert.That(trace.Guards[1].FailArgs, Has.Length.EqualTo(1));
    }
}
