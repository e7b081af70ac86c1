using System.Globalization;
using MetaJit.Engine.Backend;
using MetaJit.Engine.Trace;
using NUnit.Framework;

namespace MetaJit.Jit.Tests.Backend;

/// <summary>
/// What every backend must do, as one abstract fixture: subclass it with <see cref="CreateBackend"/> (CIL
/// today, x64 next). Most tests check the backend against the <see cref="TraceInterpreter"/>, the reference.
/// </summary>
public abstract class BackendContract
{
    protected abstract IBackend CreateBackend();

    protected IBackend Backend = null!;
    protected TraceNamespace Names = null!;

    [SetUp]
    public void CreateWorld()
    {
        Backend = CreateBackend();
        Names = TestWorld.Names();
    }

    protected ICompiledTrace Compile(string text) => Backend.CompileLoop(TraceParser.Parse(text, Names));

    protected RunOutcome Run(string text, params object?[] inputs)
    {
        var loop = Compile(text);
        return CompiledLoopRunner.Run(loop, DeadFrame.For(loop, inputs));
    }

    /// <summary>Runs the trace on the interpreter and on the backend, each on fresh inputs, and compares everything.</summary>
    protected void Agree(string text, Func<object?[]> inputs)
    {
        var interpInputs = inputs();
        TraceResult expected;
        try
        {
            expected = new TraceInterpreter().Run(TraceParser.Parse(text, Names), interpInputs);
        }
        catch (Exception e)
        {
            var compiledInputs = inputs();
            var ex = Assert.Catch(() => Run(text, compiledInputs), text);
            Assert.That(ex!.GetType(), Is.EqualTo(e.GetType()), text);
            return;
        }
        var backendInputs = inputs();
        var actual = Run(text, backendInputs);
        Assert.That(actual.Kind, Is.EqualTo(expected.Kind), text);
        Assert.That(actual.GuardIndex, Is.EqualTo(expected.GuardIndex), text);
        Assert.That(actual.Values.Select(Show), Is.EqualTo(expected.Values.Select(Show)), text);
        Assert.That(actual.Frame.Exception?.GetType(), Is.EqualTo(expected.Exception?.GetType()), text);
        Assert.That(backendInputs.Select(Show), Is.EqualTo(interpInputs.Select(Show)), "heap state after the run\n" + text);
    }

    protected void Agree(string text, params object?[] inputs) => Agree(text, () => inputs);

    protected static string Show(object? v) => v switch
    {
        null => "null",
        double d => double.IsNaN(d) ? "NaN" : BitConverter.DoubleToInt64Bits(d).ToString(CultureInfo.InvariantCulture) + "/" + d.ToString("R", CultureInfo.InvariantCulture),
        long l => l.ToString(CultureInfo.InvariantCulture),
        Node n => $"Node({n.value},{n.big},{Show(n.f)},{n.small},{n.next != null},{n.payload})",
        Exception e => e.GetType().Name + ": " + e.Message,
        Array a => a.GetType().Name + "[" + string.Join(",", a.Cast<object?>().Select(Show)) + "]",
        _ => v.ToString() ?? "",
    };

    // ---- every op family ----

    [TestCase(0L, 0L)]
    [TestCase(7L, -3L)]
    [TestCase(long.MaxValue, 2L)]
    [TestCase(long.MinValue, -1L)]
    [TestCase(-123456789L, 987654321L)]
    public void Integer_ops_agree_with_the_trace_interpreter(long a, long b) => Agree("""
        [i0, i1]
        i2 = int_add(i0, i1)
        i3 = int_sub(i0, i1)
        i4 = int_mul(i0, i1)
        i5 = int_floordiv(i0, 7)
        i6 = int_mod(i0, -7)
        i7 = uint_floordiv(i0, 7)
        i8 = uint_mod(i0, 7)
        i9 = int_and(i0, i1)
        i10 = int_or(i0, i1)
        i11 = int_xor(i0, i1)
        i12 = int_lshift(i0, i1)
        i13 = int_rshift(i0, i1)
        i14 = uint_rshift(i0, i1)
        i15 = int_neg(i0)
        i16 = int_invert(i0)
        i17 = int_signext(i0, 1)
        i18 = int_signext(i0, 2)
        i19 = int_signext(i0, 4)
        i20 = int_lt(i0, i1)
        i21 = int_le(i0, i1)
        i22 = int_eq(i0, i1)
        i23 = int_ne(i0, i1)
        i24 = int_gt(i0, i1)
        i25 = int_ge(i0, i1)
        i26 = uint_lt(i0, i1)
        i27 = uint_le(i0, i1)
        i28 = uint_gt(i0, i1)
        i29 = uint_ge(i0, i1)
        i30 = int_is_zero(i0)
        i31 = int_is_true(i1)
        i32 = int_signext(i0, 8)
        finish(i2, i3, i4, i5, i6, i7, i8, i9, i10, i11, i12, i13, i14, i15, i16, i17, i18, i19, i20, i21, i22, i23, i24, i25, i26, i27, i28, i29, i30, i31, i32)
        """, a, b);

    [TestCase(1.5, -2.25)]
    [TestCase(0.0, -0.0)]
    [TestCase(double.NaN, 1.0)]
    [TestCase(double.PositiveInfinity, 1e308)]
    [TestCase(-1e19, 3.0)]
    public void Float_ops_agree_with_the_trace_interpreter(double a, double b) => Agree("""
        [f0, f1, i2]
        f3 = float_add(f0, f1)
        f4 = float_sub(f0, f1)
        f5 = float_mul(f0, f1)
        f6 = float_truediv(f0, f1)
        f7 = float_neg(f0)
        f8 = float_abs(f1)
        i9 = float_lt(f0, f1)
        i10 = float_le(f0, f1)
        i11 = float_eq(f0, f1)
        i12 = float_ne(f0, f1)
        i13 = float_gt(f0, f1)
        i14 = float_ge(f0, f1)
        f15 = cast_int_to_float(i2)
        i16 = cast_float_to_int(f0)
        f17 = same_as_f(f1)
        i18 = same_as_i(i2)
        finish(f3, f4, f5, f6, f7, f8, i9, i10, i11, i12, i13, i14, f15, i16, f17, i18)
        """, a, b, -77L);

    [TestCase("int_add_ovf", long.MaxValue, 1L)]
    [TestCase("int_add_ovf", long.MaxValue, -1L)]
    [TestCase("int_sub_ovf", long.MinValue, 1L)]
    [TestCase("int_sub_ovf", 5L, 9L)]
    [TestCase("int_mul_ovf", 1L << 32, 1L << 31)]
    [TestCase("int_mul_ovf", 1L << 32, 1L << 30)]
    [TestCase("int_mul_ovf", long.MinValue, -1L)]
    public void Overflow_ops_and_their_guards_agree(string op, long a, long b)
    {
        Agree($"[i0, i1]\ni2 = {op}(i0, i1)\nguard_no_overflow() [i0, i1]\nfinish(i2)", a, b);
        Agree($"[i0, i1]\ni2 = {op}(i0, i1)\nguard_overflow() [i0]\nfinish(i1)", a, b);
    }

    [Test]
    public void Fields_statics_and_arrays_read_and_write_the_heap()
    {
        Agree("""
            [p0, i1, f2]
            i3 = getfield_gc_i(p0, descr=value)
            i4 = int_add(i3, i1)
            setfield_gc(p0, i4, descr=value)
            setfield_gc(p0, 300, descr=small)
            i5 = getfield_gc_i(p0, descr=small)
            setfield_gc(p0, f2, descr=f)
            f6 = getfield_gc_f(p0, descr=f)
            setfield_gc(p0, p0, descr=next)
            p7 = getfield_gc_r(p0, descr=next)
            i8 = ptr_eq(p7, p0)
            i9 = ptr_ne(p7, NULL)
            setfield_gc(p0, ConstPtr(sharedNode), descr=payload)
            p10 = getfield_gc_r(p0, descr=payload)
            i11 = getfield_gc_i(p10, descr=value)
            p12 = new_array_clear(5, descr=ints)
            setarrayitem_gc(p12, 4, -1, descr=ints)
            i13 = getarrayitem_gc_i(p12, 4, descr=ints)
            i14 = arraylen_gc(p12, descr=ints)
            p15 = new_array(i1, descr=doubles)
            setarrayitem_gc(p15, 0, f6, descr=doubles)
            f16 = getarrayitem_gc_f(p15, 0, descr=doubles)
            p17 = new_array(2, descr=objs)
            setarrayitem_gc(p17, 1, p0, descr=objs)
            p18 = getarrayitem_gc_r(p17, 1, descr=objs)
            p19 = new_array(1, descr=bytes)
            setarrayitem_gc(p19, 0, 511, descr=bytes)
            i20 = getarrayitem_gc_i(p19, 0, descr=bytes)
            setstatic(i4, descr=counter)
            i21 = getstatic_i(descr=counter)
            finish(i3, i4, i5, f6, i8, i9, i11, i13, i14, f16, p18, i20, i21, p12)
            """, () => [new Node { value = 40 }, 2L, 2.5]);
    }

    [Test]
    public void Allocation_and_constructor_calls_make_real_objects()
    {
        var outcome = Run("""
            [i0]
            p1 = new_with_vtable(descr=Node)
            setfield_gc(p1, i0, descr=big)
            p2 = call_r(9, descr=newNode)
            setfield_gc(p1, p2, descr=next)
            finish(p1)
            """, 5L);
        var node = (Node)outcome.Values[0]!;
        Assert.That(node.big, Is.EqualTo(5));
        Assert.That(node.next!.value, Is.EqualTo(9));
    }

    [Test]
    public void String_ops_read_length_and_chars() =>
        Agree("[p0, i1]\ni2 = strlen(p0)\ni3 = strgetitem(p0, i1)\ni4 = strgetitem('xyz', 2)\nfinish(i2, i3, i4)", "héllo", 1L);

    [Test]
    public void Residual_calls_of_every_result_kind_agree()
    {
        Helpers.Calls = 0;
        Agree("""
            [i0, f1, p2]
            i3 = call_i(i0, 5, descr=Add)
            i4 = call_i(i3, 2147483647, descr=AddInts)
            f5 = call_f(f1, i3, descr=Scale)
            p6 = call_r(p2, 'tail', descr=Concat)
            call_n(descr=Count)
            p7 = call_r(i3, descr=Wrap)
            i8 = getfield_gc_i(p7, descr=big)
            i9 = call_pure_i(i0, i0, descr=Add)
            i10 = call_may_force_i(i0, 1, descr=Add)
            guard_not_forced() [i0]
            i11 = call_loopinvariant_i(i0, 2, descr=Add)
            i12 = call_i(p2, descr=Hash)
            finish(i3, i4, f5, p6, i8, i9, i10, i11)
            """, 10L, 0.5, "head");
        Assert.That(Helpers.Calls, Is.EqualTo(2));
    }

    // ---- guards and exits ----

    [Test]
    public void Guard_exit_stores_every_fail_arg_kind()
    {
        var node = new Node();
        var outcome = Run("""
            [i0, f1, p2]
            i3 = int_add(i0, 1)
            f4 = float_mul(f1, 2.0)
            i5 = int_gt(i3, 100)
            guard_true(i5) [f4, i3, p2, NULL, 7, f1, i0, -2.5, p2]
            finish()
            """, 1L, 1.25, node);
        Assert.That(outcome.Kind, Is.EqualTo(TraceExitKind.GuardFailed));
        Assert.That(outcome.GuardIndex, Is.EqualTo(0));
        Assert.That(outcome.Values, Is.EqualTo(new object?[] { 2.5, 2L, node, null, 7L, 1.25, 1L, -2.5, node }));
    }

    [TestCase(5L, 0)]
    [TestCase(-5L, 1)]
    [TestCase(0L, 2)]
    [TestCase(3L, 3)]
    public void Guards_with_the_same_fail_args_share_an_exit_but_report_their_own_index(long x, int expectedGuard)
    {
        var text = """
            [i0, p1]
            i2 = int_lt(i0, 5)
            guard_true(i2) [i0, p1]
            i3 = int_gt(i0, -5)
            guard_true(i3) [i0, p1]
            i4 = int_ne(i0, 0)
            guard_true(i4) [i0, p1]
            guard_value(i0, 4) [i0, p1]
            finish(i0)
            """;
        var outcome = Run(text, x, "ref");
        Assert.That(outcome.GuardIndex, Is.EqualTo(expectedGuard));
        Assert.That(outcome.Values, Is.EqualTo(new object?[] { x, "ref" }));
        Agree(text, x, "ref");
    }

    [Test]
    public void Class_null_and_value_guards_on_refs()
    {
        const string text = """
            [p0, p1]
            guard_nonnull(p0) [p0]
            guard_class(p0, ConstClass(Node)) [p0]
            guard_isnull(p1) [p1]
            guard_value(p0, ConstPtr(sharedNode)) [p0]
            finish(p0)
            """;
        Assert.That(Run(text, new SubNode(), null).GuardIndex, Is.EqualTo(1));
        Assert.That(Run(text, null, null).GuardIndex, Is.EqualTo(0));
        Assert.That(Run(text, new Node(), new Node()).GuardIndex, Is.EqualTo(2));
        Assert.That(Run(text, new Node(), null).GuardIndex, Is.EqualTo(3));
        Assert.That(Run(text, TestWorld.SharedNode, null).Kind, Is.EqualTo(TraceExitKind.Finish));
        const string nonnullClass = "[p0]\nguard_nonnull_class(p0, ConstClass(SubNode)) [p0]\nfinish()";
        Assert.That(Run(nonnullClass, (object?)null).GuardIndex, Is.EqualTo(0));
        Assert.That(Run(nonnullClass, new Node()).GuardIndex, Is.EqualTo(0));
        Assert.That(Run(nonnullClass, new SubNode()).Kind, Is.EqualTo(TraceExitKind.Finish));
    }

    [Test]
    public void Float_guard_value_compares_bits()
    {
        const string text = "[f0]\nguard_value(f0, 0.0) [f0]\nfinish()";
        Assert.That(Run(text, 0.0).Kind, Is.EqualTo(TraceExitKind.Finish));
        Assert.That(Run(text, -0.0).Kind, Is.EqualTo(TraceExitKind.GuardFailed));
        Agree("[f0]\nguard_value(f0, nan) [f0]\nfinish()", double.NaN);
    }

    [Test]
    public void Guard_not_invalidated_fails_once_the_trace_is_invalidated()
    {
        var loop = Compile("[i0]\nguard_not_invalidated() [i0]\nfinish(i0)");
        Assert.That(CompiledLoopRunner.Run(loop, DeadFrame.For(loop, 1L)).Kind, Is.EqualTo(TraceExitKind.Finish));
        loop.Invalidate();
        Assert.That(CompiledLoopRunner.Run(loop, DeadFrame.For(loop, 1L)).Kind, Is.EqualTo(TraceExitKind.GuardFailed));
    }

    [TestCase(0L)]
    [TestCase(1L)]
    [TestCase(2L)]
    [TestCase(-1L)]
    public void Finish_returns_values_of_every_kind(long x)
    {
        var outcome = Run("[i0]\nf1 = cast_int_to_float(i0)\np2 = call_r(i0, descr=Wrap)\nfinish(i0, f1, p2, 3)", x);
        Assert.That(outcome.Kind, Is.EqualTo(TraceExitKind.Finish));
        Assert.That(outcome.Values[0], Is.EqualTo(x));
        Assert.That(outcome.Values[1], Is.EqualTo((double)x));
        Assert.That(((Node)outcome.Values[2]!).big, Is.EqualTo(x));
        Assert.That(outcome.Values[3], Is.EqualTo(3L));
    }

    // ---- exceptions ----

    [Test]
    public void An_exception_from_a_residual_call_is_caught_by_guard_no_exception()
    {
        const string text = "[i0, p1]\ni2 = call_i(i0, descr=CheckPositive)\nguard_no_exception() [i0, p1]\ni3 = int_add(i2, 1)\nfinish(i3)";
        var outcome = Run(text, -4L, "live");
        Assert.That(outcome.Kind, Is.EqualTo(TraceExitKind.GuardFailed));
        Assert.That(outcome.Values, Is.EqualTo(new object?[] { -4L, "live" }));
        Assert.That(outcome.Frame.Exception, Is.TypeOf<TestException>().With.Message.EqualTo("negative: -4"));
        Assert.That(Run(text, 4L, "live").Values, Is.EqualTo(new object?[] { 5L }));
    }

    [TestCase(1L, TraceExitKind.Finish)]
    [TestCase(0L, TraceExitKind.GuardFailed)]
    public void Guard_exception_matches_the_exact_class_and_gives_the_exception(long doThrow, TraceExitKind kind)
    {
        const string text = "[i0]\ncall_n(i0, descr=ThrowIf)\np1 = guard_exception(descr=InvalidOperation) [i0]\nfinish(p1)";
        var outcome = Run(text, doThrow);
        Assert.That(outcome.Kind, Is.EqualTo(kind));
        if (kind == TraceExitKind.Finish) Assert.That(outcome.Values[0], Is.TypeOf<InvalidOperationException>());
        else Assert.That(outcome.Frame.Exception, Is.Null);
        Agree(text, doThrow);
    }

    [Test]
    public void Guard_exception_with_another_class_fails_and_keeps_the_exception()
    {
        var outcome = Run("[i0]\ni1 = call_i(i0, descr=CheckPositive)\np2 = guard_exception(descr=InvalidOperation) [i0]\nfinish(p2)", -1L);
        Assert.That(outcome.Kind, Is.EqualTo(TraceExitKind.GuardFailed));
        Assert.That(outcome.Frame.Exception, Is.TypeOf<TestException>());
    }

    private TwiceAssembler Twice => Names.TryGet("twice", out var d) ? (TwiceAssembler)d : throw new InvalidOperationException("no twice");

    [TestCase(4L, TraceExitKind.Finish)]
    [TestCase(-4L, TraceExitKind.GuardFailed)]
    public void An_exception_from_a_call_assembler_is_caught_by_guard_no_exception(long x, TraceExitKind kind)
    {
        const string text = "[i0, p1]\ni2 = call_assembler_i(i0, descr=twice)\nguard_no_exception() [i0, p1]\ni3 = int_add(i2, 1)\nfinish(i3)";
        var outcome = Run(text, x, "live");
        Assert.That(outcome.Kind, Is.EqualTo(kind));
        if (kind == TraceExitKind.Finish)
        {
            Assert.That(outcome.Values, Is.EqualTo(new object?[] { 2 * x + 1 }));
            Assert.That(outcome.Frame.Exception, Is.Null);
        }
        else
        {
            Assert.That(outcome.Values, Is.EqualTo(new object?[] { x, "live" }));
            Assert.That(outcome.Frame.Exception, Is.TypeOf<TestException>().With.Message.EqualTo("negative: -4"));
        }
        Assert.That(Twice.Raised, Is.Null, "the exception was taken, none is left for the next call");
    }

    [TestCase(-1L, TraceExitKind.GuardFailed, true)]
    [TestCase(1L, TraceExitKind.GuardFailed, false)]
    public void Guard_exception_after_a_call_assembler_takes_the_exact_class(long x, TraceExitKind kind, bool raised)
    {
        // TestException raised: guard_exception(InvalidOperation) fails keeping it; none raised: it fails too.
        var outcome = Run("[i0]\ni1 = call_assembler_i(i0, descr=twice)\np2 = guard_exception(descr=InvalidOperation) [i0]\nfinish(p2)", x);
        Assert.That(outcome.Kind, Is.EqualTo(kind));
        Assert.That(outcome.Frame.Exception, raised ? Is.TypeOf<TestException>() : Is.Null);
        var caught = Run("[i0]\ni1 = call_assembler_i(i0, descr=twice)\np2 = guard_exception(descr=TestException) [i0]\nfinish(p2)", -1L);
        Assert.That(caught.Kind, Is.EqualTo(TraceExitKind.Finish));
        Assert.That(caught.Values[0], Is.TypeOf<TestException>());
        Assert.That(Twice.Raised, Is.Null);
    }

    [Test]
    public void An_exception_from_a_call_assembler_without_exception_guard_propagates()
    {
        Assert.Throws<TestException>(() => Run("[i0]\ni1 = call_assembler_i(i0, descr=twice)\nfinish(i1)", -1L));
        Assert.That(Twice.Raised, Is.Null);
        Assert.That(Run("[i0]\ni1 = call_assembler_i(i0, descr=twice)\nfinish(i1)", 5L).Values[0], Is.EqualTo(10L));
    }

    [Test]
    public void An_exception_from_a_call_without_exception_guard_propagates()
    {
        Assert.Throws<TestException>(() => Run("[i0]\ni1 = call_i(i0, descr=CheckPositive)\nfinish(i1)", -1L));
    }

    [Test]
    public void Exceptions_inside_a_loop_exit_with_the_loop_state()
    {
        var outcome = Run("""
            [i0]
            label(i0, descr=loop)
            i1 = int_sub(i0, 1)
            i2 = call_i(i1, descr=CheckPositive)
            guard_no_exception() [i1]
            jump(i2, descr=loop)
            """, 10L);
        Assert.That(outcome.Values, Is.EqualTo(new object[] { -1L }));
        Assert.That(outcome.Frame.Exception, Is.TypeOf<TestException>());
    }

    // ---- loops and bridges ----

    [Test]
    public void A_label_and_jump_run_as_a_loop()
    {
        var outcome = Run("""
            [i0, i1, f2]
            label(i0, i1, f2, descr=loop)
            i3 = int_add(i0, 1)
            i4 = int_add(i1, i0)
            f5 = float_add(f2, 0.5)
            i6 = int_lt(i3, 1000000)
            guard_true(i6) [i3, i4, f5]
            jump(i3, i4, f5, descr=loop)
            """, 0L, 0L, 0.0);
        Assert.That(outcome.Values, Is.EqualTo(new object[] { 1000000L, 499999500000L, 500000.0 }));
    }

    [Test]
    public void Jump_args_are_moved_in_parallel()
    {
        Agree("""
            [i0, i1, i2]
            label(i0, i1, i2, descr=loop)
            i3 = int_lt(i2, 5)
            guard_true(i3) [i0, i1, i2]
            i4 = int_add(i2, 1)
            jump(i1, i0, i4, descr=loop)
            """, 1L, 2L, 0L);
    }

    [Test]
    public void A_loop_with_a_preamble_enters_the_peeled_loop()
    {
        Agree("""
            [i0, p1]
            label(i0, p1, descr=preamble)
            i2 = getfield_gc_i(p1, descr=value)
            label(i0, i2, p1, descr=loop)
            i3 = int_add(i0, i2)
            setfield_gc(p1, i3, descr=big)
            i4 = int_lt(i3, 100)
            guard_true(i4) [i3, p1]
            jump(i3, i2, p1, descr=loop)
            """, () => [0L, new Node { value = 7 }]);
    }

    /// <summary>i0 counts to 100; odd values leave through guard 0 (tests attach <see cref="AddTenBridge"/> there).</summary>
    internal const string CountingLoop = """
        [i0, i1]
        label(i0, i1, descr=loop)
        i2 = int_and(i0, 1)
        guard_false(i2) [i0, i1]
        i3 = int_add(i0, 1)
        i4 = int_add(i1, 1)
        i5 = int_lt(i3, 100)
        guard_true(i5) [i3, i4]
        jump(i3, i4, descr=loop)
        """;

    /// <summary>A bridge for <see cref="CountingLoop"/>'s guard 0: adds 10 to i1 and jumps back.</summary>
    internal const string AddTenBridge = """
        [i0, i1]
        i2 = int_add(i0, 1)
        i3 = int_add(i1, 10)
        jump(i2, i3, descr=loop)
        """;

    [Test]
    public void A_bridge_attached_to_a_guard_jumps_back_into_the_loop()
    {
        var loop = Compile(CountingLoop);
        Assert.That(CompiledLoopRunner.Run(loop, DeadFrame.For(loop, 0L, 0L)).GuardIndex, Is.EqualTo(0));
        Backend.CompileBridge(loop, 0, TraceParser.Parse(AddTenBridge, Names));
        var outcome = CompiledLoopRunner.Run(loop, DeadFrame.For(loop, 0L, 0L));
        Assert.That(outcome.Trace, Is.SameAs(loop));
        Assert.That(outcome.GuardIndex, Is.EqualTo(1));
        Assert.That(outcome.Values, Is.EqualTo(new object[] { 101L, 51L + 50L * 10L })); // 51 loop iterations add 1, 50 bridge runs add 10
    }

    [Test]
    public void A_loop_started_in_the_background_is_handed_back_once_and_runs_once_installed()
    {
        var trace = TraceParser.Parse(CountingLoop, Names);
        var pending = Backend.StartLoop(trace);
        Assert.That(pending.Trace, Is.SameAs(trace));

        Backend.WaitForBackgroundWork();

        Assert.That(Backend.HasFinishedTraces, Is.True);
        Assert.That(Backend.TakeFinishedTraces(), Is.EqualTo(new[] { pending }));
        Assert.That(Backend.HasFinishedTraces, Is.False);
        Assert.That(Backend.TakeFinishedTraces(), Is.Empty, "handed back once");
        var loop = pending.Install();
        Assert.That(pending.Install(), Is.SameAs(loop));
        Assert.That(((TargetToken)trace.Labels.Single().Descr!).CompiledTrace, Is.SameAs(loop), "its label is an entry now");
        var outcome = CompiledLoopRunner.Run(loop, DeadFrame.For(loop, 0L, 0L));
        Assert.That(outcome.GuardIndex, Is.EqualTo(0));
        Assert.That(outcome.Values, Is.EqualTo(new object[] { 1L, 1L }));
    }

    [Test]
    public void A_bridge_started_in_the_background_is_attached_to_its_guard_only_when_installed()
    {
        var loop = Compile(CountingLoop);
        var pending = Backend.StartBridge(loop, 0, TraceParser.Parse(AddTenBridge, Names));
        Backend.WaitForBackgroundWork();
        Assert.That(CompiledLoopRunner.Run(loop, DeadFrame.For(loop, 0L, 0L)).GuardIndex, Is.EqualTo(0), "not attached yet");

        var bridge = Backend.TakeFinishedTraces().Single().Install();

        Assert.That(bridge.Trace, Is.SameAs(pending.Trace));
        var outcome = CompiledLoopRunner.Run(loop, DeadFrame.For(loop, 0L, 0L));
        Assert.That(outcome.GuardIndex, Is.EqualTo(1));
        Assert.That(outcome.Values, Is.EqualTo(new object[] { 101L, 51L + 50L * 10L }));
    }

    [Test]
    public void A_bridge_whose_inputs_do_not_match_the_guard_is_refused_before_it_is_started()
    {
        var loop = Compile("[i0]\nguard_true(i0) [i0]\nfinish()");
        Assert.Throws<ArgumentException>(() => Backend.StartBridge(loop, 0, TraceParser.Parse("[f0]\nfinish()", Names)));
        Backend.WaitForBackgroundWork();
        Assert.That(Backend.HasFinishedTraces, Is.False);
    }

    [Test]
    public void A_bridge_can_finish_or_fail_its_own_guards_and_carry_every_kind()
    {
        var loop = Compile("""
            [i0, f1, p2]
            i3 = int_gt(i0, 0)
            guard_true(i3) [p2, f1, i0]
            finish(i0)
            """);
        var bridge = Backend.CompileBridge(loop, 0, TraceParser.Parse("""
            [p0, f1, i2]
            i3 = getfield_gc_i(p0, descr=value)
            i4 = int_eq(i3, 0)
            guard_false(i4) [i2, f1]
            f5 = float_add(f1, 1.0)
            finish(f5)
            """, Names));
        var outcome = CompiledLoopRunner.Run(loop, DeadFrame.For(loop, -1L, 2.0, new Node { value = 1 }));
        Assert.That(outcome.Trace, Is.SameAs(bridge));
        Assert.That(outcome.Kind, Is.EqualTo(TraceExitKind.Finish));
        Assert.That(outcome.Values, Is.EqualTo(new object[] { 3.0 }));
        outcome = CompiledLoopRunner.Run(loop, DeadFrame.For(loop, -1L, 2.0, new Node { value = 0 }));
        Assert.That(outcome.Trace, Is.SameAs(bridge));
        Assert.That(outcome.GuardIndex, Is.EqualTo(0));
        Assert.That(outcome.Values, Is.EqualTo(new object[] { -1L, 2.0 }));
    }

    [Test]
    public void A_bridge_whose_inputs_do_not_match_the_guard_is_refused()
    {
        var loop = Compile("[i0]\nguard_true(i0) [i0]\nfinish()");
        Assert.Throws<ArgumentException>(() => Backend.CompileBridge(loop, 0, TraceParser.Parse("[f0]\nfinish()", Names)));
    }

    // ---- GC, size, fuzz ----

    [Test]
    public void References_stay_valid_while_residual_calls_force_collections()
    {
        var outcome = Run("""
            [i0, p1]
            label(i0, p1, descr=loop)
            p2 = call_r(i0, descr=Wrap)
            setfield_gc(p2, p1, descr=next)
            i3 = call_i(i0, descr=ForceGc)
            p4 = new_array(3, descr=nodes)
            setarrayitem_gc(p4, 1, p2, descr=nodes)
            i5 = call_i(i0, descr=ForceGc)
            p6 = getarrayitem_gc_r(p4, 1, descr=nodes)
            i7 = getfield_gc_i(p6, descr=big)
            i8 = int_eq(i7, i0)
            guard_true(i8) [i0, p6]
            i9 = int_add(i0, 1)
            i10 = int_lt(i9, 30)
            guard_true(i10) [i9, p6]
            jump(i9, p6, descr=loop)
            """, 0L, null);
        Assert.That(outcome.GuardIndex, Is.EqualTo(1));
        int length = 0;
        for (var n = (Node?)outcome.Values[1]; n != null; n = n.next) Assert.That(n.big, Is.EqualTo(29 - length++));
        Assert.That(length, Is.EqualTo(30));
    }

    [Test]
    public void A_trace_longer_than_a_thousand_ops_runs_correctly()
    {
        Agree(LongTrace(3000), 1L, 2L);
    }

    protected static string LongTrace(int n)
    {
        var sb = new System.Text.StringBuilder("[i0, i1]\nlabel(i0, i1, descr=long)\n");
        string prev = "i0";
        for (int k = 0; k < n; k++)
        {
            string v = "i" + (k + 2);
            sb.Append(k % 3 == 2 ? $"guard_true(i1) [{prev}, i1]\n" : $"{v} = int_add({prev}, {k % 7})\n");
            if (k % 3 != 2) prev = v;
        }
        sb.Append($"i{n + 10} = int_sub({prev}, i0)\ni{n + 11} = int_lt(i1, 50)\nguard_true(i{n + 11}) [{prev}, i1]\ni{n + 12} = int_add(i1, 1)\njump(i{n + 10}, i{n + 12}, descr=long)\n");
        return sb.ToString();
    }

    [Test]
    public void Random_traces_agree_with_the_trace_interpreter()
    {
        int iterations = int.TryParse(Environment.GetEnvironmentVariable("METAJIT_FUZZ_ITERATIONS"), out int n) ? n : 150;
        for (int seed = 0; seed < iterations; seed++)
        {
            var rng = new Random(seed);
            bool loop = seed % 2 == 1;
            var text = RandomTraces.Generate(rng, 5 + rng.Next(40), loop);
            var inputs = new object?[] { rng.NextInt64(-100, 100), rng.NextInt64(long.MinValue, long.MaxValue), (long)rng.Next(-3, 3), rng.NextDouble() * 10, -rng.NextDouble(), null };
            long counter = rng.Next(0, 5);
            Agree(text, () =>
            {
                var copy = inputs.ToArray();
                copy[5] = new Node { value = 3, big = -9, f = 0.5, small = 200 };
                return loop ? [.. copy, counter] : copy;
            });
        }
    }
}
