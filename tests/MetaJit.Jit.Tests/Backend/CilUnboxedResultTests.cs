using MetaJit.Engine.Backend;
using MetaJit.Engine.Backend.Cil;
using MetaJit.Engine.Descriptors;
using MetaJit.Engine.Trace;
using NUnit.Framework;

namespace MetaJit.Jit.Tests.Backend;

/// <summary>A boxed number, as an interpreter returns one: its whole state is one immutable field.</summary>
public sealed class FloatBox(double value)
{
    public readonly double Value = value;
}

/// <summary>A one-field box of a narrower integer than a register.</summary>
public sealed class IntBox(int value)
{
    public readonly int Value = value;
}

/// <summary>A one-field box holding a reference.</summary>
public sealed class RefBox(object? item)
{
    public readonly object? Item = item;
}

/// <summary>
/// Unboxed results of frameless calls (CilEmitter.UnboxedResults.cs): a tree whose finish makes a new
/// <see cref="FloatBox"/> hands its caller the number, and the caller that tests the result's class makes the object
/// only where something needs it (a guard's exit). Every way the result can come back must compute what the calls
/// through the descr computed before the tree existed: unboxed, a box the callee did not make (a constant), an
/// object of another class (the caller's guard fails), and a result that an exit needs as an object.
/// </summary>
public class CilUnboxedResultTests
{
    private TraceNamespace _names = null!;
    private CilBackend _backend = null!;

    /// <summary>The call_assembler target, standing in for the engine's site (as in <see cref="CilDirectCallTests"/>):
    /// calls that do not go direct run the trace from its label; a callee that fails guard 1 "returns" a
    /// <see cref="Node"/> (not a box), guard 4 the number of the result it held plus 0.25, any other guard a box of
    /// 1000 x (guard index + 1).</summary>
    private sealed class BoxAssembler : CallAssemblerDescr
    {
        public BoxAssembler(params ValueKind[] argKinds)
        {
            FramePool = new DeadFramePool();
            _argKinds = argKinds;
        }

        private readonly ValueKind[] _argKinds;
        public TargetToken? Target;
        public ICompiledTrace? Code;
        public int Invokes;

        public override string Name => "box";
        public override ValueKind[] ArgKinds => _argKinds;
        public override int VableArgIndex => -1;
        public override VirtualizableInfo? Vable => null;
        public override DeadFrame TakeFrame() => new(1, 1, 2);
        public override TargetToken? DirectTarget => Target;

        public override object? InvokeRef(DeadFrame args)
        {
            Invokes++;
            return Result(CompiledLoopRunner.Run(Code!, args, Target!.EntryIndex));
        }

        public override object? AfterDirectRef(DeadFrame args, int code, ICompiledTrace ran)
        {
            if (code == ExitCodes.Raised) return null;
            if (code == ExitCodes.NotRun) return InvokeRef(args);
            try { return Result(CompiledLoopRunner.After(ran, args, code)); }
            catch (Exception e) { Raised = e; return null; }
        }

        public override void Release(DeadFrame args) { }

        private static object? Result(RunOutcome o) => o.Kind == TraceExitKind.Finish ? o.Frame.Refs[0] : o.GuardIndex switch
        {
            1 => new Node(1),
            4 => new FloatBox(((FloatBox)o.Frame.Refs[0]!).Value + 0.25),
            _ => new FloatBox(1000.0 * (o.GuardIndex + 1)),
        };

        public override long InvokeInt(DeadFrame args) => throw new NotSupportedException();
        public override double InvokeFloat(DeadFrame args) => throw new NotSupportedException();
        public override void InvokeVoid(DeadFrame args) => throw new NotSupportedException();
    }

    private BoxAssembler _box = null!;
    private static readonly FloatBox Half = new(0.5);

    [SetUp]
    public void CreateWorld()
    {
        _names = TestWorld.Names();
        _names.Add("FloatBox", Descrs.Type(typeof(FloatBox)));
        _names.Add("FloatBox.Value", Descrs.Field(typeof(FloatBox).GetField(nameof(FloatBox.Value))!));
        _names.Add("IntBox", Descrs.Type(typeof(IntBox)));
        _names.Add("IntBox.Value", Descrs.Field(typeof(IntBox).GetField(nameof(IntBox.Value))!));
        _names.Add("RefBox", Descrs.Type(typeof(RefBox)));
        _names.Add("RefBox.Item", Descrs.Field(typeof(RefBox).GetField(nameof(RefBox.Item))!));
        _names.Add("half", Half);
        _names.Add("ValueOf", Descrs.Call(typeof(CilUnboxedResultTests).GetMethod(nameof(ValueOf))!));
        _box = new BoxAssembler(ValueKind.Int);
        _names.Add("box", _box);
        _backend = new CilBackend { TreeEagerness = 0 };
    }

    // h(n) = h(n - 1) + 2 as a new FloatBox; h(0) is the constant box 0.5 (guard 0's bridge). n = 30 fails guard 1
    // (its caller's guard 3 then sees a Node, and the descr gives 4000 for h(31)); n = 50 fails guard 4, which keeps
    // the result of h(49) as an object.
    private const string Function = """
        [i0]
        label(i0, descr=fn)
        i1 = int_gt(i0, 0)
        guard_true(i1) [i0]
        i2 = int_eq(i0, 30)
        guard_false(i2) [i0]
        i4 = int_sub(i0, 1)
        p5 = call_assembler_r(i4, descr=box)
        guard_no_exception() [i0]
        guard_nonnull_class(p5, ConstClass(FloatBox)) [i0, p5]
        f6 = getfield_gc_f(p5, descr=FloatBox.Value)
        i7 = int_eq(i0, 50)
        guard_false(i7) [i0, p5]
        f8 = float_add(f6, 2.0)
        p9 = new_with_vtable(descr=FloatBox)
        setfield_gc(p9, f8, descr=FloatBox.Value)
        finish(p9)
        """;

    private const string ConstantBridge = """
        [i0]
        finish(ConstPtr(half))
        """;

    private CilCompiledTrace CompileFunction() => Compile(Function, ConstantBridge);

    /// <summary>Compiles <paramref name="function"/> as the target of <paramref name="assembler"/> (by default the
    /// namespace's <c>box</c>), with <paramref name="bridge"/> at its guard 0.</summary>
    private CilCompiledTrace Compile(string function, string bridge, BoxAssembler? assembler = null)
    {
        assembler ??= _box;
        var code = (CilCompiledTrace)_backend.CompileLoop(TraceParser.Parse(function, _names));
        assembler.Code = code;
        assembler.Target = (TargetToken)code.Trace.Labels.Single().Descr!;
        _backend.CompileBridge(code, 0, TraceParser.Parse(bridge, _names));
        return code;
    }

    private static object? Result(ICompiledTrace code, long n)
    {
        var outcome = CompiledLoopRunner.Run(code, DeadFrame.For(code, n));
        Assert.That(outcome.Kind, Is.EqualTo(TraceExitKind.Finish));
        return outcome.Frame.Refs[0];
    }

    private static string Describe(object? result) => result switch
    {
        FloatBox b => $"FloatBox {b.Value}",
        null => "null",
        _ => result.GetType().Name,
    };

    [TestCase(10L, "FloatBox 20.5", TestName = "Results_that_come_back_unboxed_are_the_numbers_the_boxes_held")]
    [TestCase(35L, "FloatBox 4008", TestName = "A_result_of_another_class_fails_the_callers_class_guard")]
    [TestCase(55L, "FloatBox 4046.25", TestName = "An_exit_that_keeps_an_unboxed_result_gets_the_object_made_from_its_number")]
    public void A_tree_returning_boxes_computes_what_the_calls_through_the_descr_computed(long n, string expected)
    {
        var code = CompileFunction();
        var before = Describe(Result(code, n));
        Assert.That(before, Is.EqualTo(expected), "the calls through the descr");
        Assert.That(_backend.CompileTree(code), Is.True);
        _box.Invokes = 0;
        Assert.That(Describe(Result(code, n)), Is.EqualTo(expected));
        Assert.That(_box.Invokes, Is.Zero, "every call goes direct");
        Assert.That(_box.FramelessEntries, Is.EqualTo(_box.DirectEntries));
        Assert.That(_box.UnboxedResults, Is.GreaterThan(0));
    }

    [Test]
    public void Every_call_whose_callee_made_its_box_returns_unboxed()
    {
        var code = CompileFunction();
        Assert.That(_backend.CompileTree(code), Is.True);
        Assert.That(Describe(Result(code, 10L)), Is.EqualTo("FloatBox 20.5"));
        Assert.That(_box.DirectEntries, Is.EqualTo(10), "h(9) .. h(0)");
        Assert.That(_box.UnboxedResults, Is.EqualTo(9), "h(0) returned the constant box, the others a new one each");
    }

    [Test]
    public void With_unboxed_results_off_the_same_is_computed_with_boxes()
    {
        _backend = new CilBackend { TreeEagerness = 0, UnboxedResults = false };
        var code = CompileFunction();
        Assert.That(_backend.CompileTree(code), Is.True);
        Assert.That(Describe(Result(code, 55L)), Is.EqualTo("FloatBox 4046.25"));
        Assert.That(_box.FramelessEntries, Is.GreaterThan(0));
        Assert.That(_box.UnboxedResults, Is.Zero);
    }

    /// <summary>A residual call that needs the result as an object.</summary>
    public static double ValueOf(object box) => ((FloatBox)box).Value;

    // h as above (without guards 1 and 4), but the result goes on to a call as an object: made at the guard.
    private const string PassesTheObjectOn = """
        [i0]
        label(i0, descr=fn)
        i1 = int_gt(i0, 0)
        guard_true(i1) [i0]
        i4 = int_sub(i0, 1)
        p5 = call_assembler_r(i4, descr=box)
        guard_no_exception() [i0]
        guard_nonnull_class(p5, ConstClass(FloatBox)) [i0, p5]
        f6 = call_f(p5, descr=ValueOf)
        f8 = float_add(f6, 2.0)
        p9 = new_with_vtable(descr=FloatBox)
        setfield_gc(p9, f8, descr=FloatBox.Value)
        finish(p9)
        """;

    [Test]
    public void A_result_the_trace_passes_on_is_made_from_its_number()
    {
        var code = Compile(PassesTheObjectOn, ConstantBridge);
        Assert.That(_backend.CompileTree(code), Is.True);
        Assert.That(Describe(Result(code, 10L)), Is.EqualTo("FloatBox 20.5"));
        Assert.That(_box.UnboxedResults, Is.EqualTo(9));
    }

    // Other traces calling the tree: one that reads the number, one that keeps the object.
    private const string NumberCaller = """
        [i0]
        p1 = call_assembler_r(i0, descr=box)
        guard_no_exception() [i0]
        guard_class(p1, ConstClass(FloatBox)) [i0]
        f2 = getfield_gc_f(p1, descr=FloatBox.Value)
        f3 = float_mul(f2, 10.0)
        finish(f3)
        """;

    private const string ObjectCaller = """
        [i0]
        p1 = call_assembler_r(i0, descr=box)
        guard_no_exception() [i0]
        finish(p1)
        """;

    [Test]
    public void Another_trace_that_tests_the_class_gets_the_number()
    {
        var function = CompileFunction();
        Assert.That(_backend.CompileTree(function), Is.True);
        var caller = _backend.CompileLoop(TraceParser.Parse(NumberCaller, _names));
        var outcome = CompiledLoopRunner.Run(caller, DeadFrame.For(caller, 10L));
        Assert.That((outcome.Kind, outcome.Frame.Floats[0]), Is.EqualTo((TraceExitKind.Finish, 205.0)));
        Assert.That(_box.UnboxedResults, Is.EqualTo(10), "the caller's call and the tree's nine");
    }

    [Test]
    public void Another_trace_that_keeps_the_object_gets_a_box()
    {
        var function = CompileFunction();
        Assert.That(_backend.CompileTree(function), Is.True);
        var caller = _backend.CompileLoop(TraceParser.Parse(ObjectCaller, _names));
        Assert.That(Describe(Result(caller, 10L)), Is.EqualTo("FloatBox 20.5"));
        Assert.That(Describe(Result(caller, 10L)), Is.EqualTo("FloatBox 20.5"), "the second call finds the context as the first");
        Assert.That(_box.UnboxedResults, Is.EqualTo(18), "the tree's own calls only: 9 per run");
    }

    // r(n) = r(n - 1), r(0) a new FloatBox of 7 (guard 0's bridge): the tree's own calls pass the result on untested.
    private const string PassesTheResultOn = """
        [i0]
        label(i0, descr=fn)
        i1 = int_gt(i0, 0)
        guard_true(i1) [i0]
        i4 = int_sub(i0, 1)
        p5 = call_assembler_r(i4, descr=box)
        guard_no_exception() [i0]
        finish(p5)
        """;

    private const string SevenBridge = """
        [i0]
        p1 = new_with_vtable(descr=FloatBox)
        setfield_gc(p1, 7.0, descr=FloatBox.Value)
        finish(p1)
        """;

    [Test]
    public void A_caller_that_does_not_test_the_class_gets_an_object_made_from_the_number()
    {
        var code = Compile(PassesTheResultOn, SevenBridge);
        Assert.That(_backend.CompileTree(code), Is.True);
        Assert.That(Describe(Result(code, 6L)), Is.EqualTo("FloatBox 7"));
        Assert.That(_box.FramelessEntries, Is.EqualTo(6));
        Assert.That(_box.UnboxedResults, Is.Zero, "no caller expected the class");
    }

    // m(n) = n as an IntBox, computed with values past 32 bits: each level adds 2^32 + 1 to what it read and stores it
    // in the int field (which drops the 2^32); had the read kept the high bits, the shift would see them.
    private const string IntFunction = """
        [i0]
        label(i0, descr=fn)
        i1 = int_gt(i0, 0)
        guard_true(i1) [i0]
        i4 = int_sub(i0, 1)
        p5 = call_assembler_r(i4, descr=box)
        guard_no_exception() [i0]
        guard_nonnull_class(p5, ConstClass(IntBox)) [i0, p5]
        i6 = getfield_gc_i(p5, descr=IntBox.Value)
        i7 = uint_rshift(i6, 32)
        i8 = int_add(i6, 4294967297)
        i9 = int_add(i8, i7)
        p10 = new_with_vtable(descr=IntBox)
        setfield_gc(p10, i9, descr=IntBox.Value)
        finish(p10)
        """;

    private const string IntBridge = """
        [i0]
        p1 = new_with_vtable(descr=IntBox)
        setfield_gc(p1, 0, descr=IntBox.Value)
        finish(p1)
        """;

    [Test]
    public void An_unboxed_value_is_what_the_field_would_hold()
    {
        var code = Compile(IntFunction, IntBridge);
        Assert.That(((IntBox)Result(code, 9L)!).Value, Is.EqualTo(9), "through the descr");
        Assert.That(_backend.CompileTree(code), Is.True);
        Assert.That(((IntBox)Result(code, 9L)!).Value, Is.EqualTo(9));
        Assert.That(_box.UnboxedResults, Is.EqualTo(9), "m(8) .. m(0), m(0) from the bridge in the tree");
    }

    // k(n, p) = a RefBox of p, rebuilt at every level; k(0, p) is made by guard 0's bridge, in the tree.
    private const string RefFunction = """
        [i0, p0]
        label(i0, p0, descr=fn)
        i1 = int_gt(i0, 0)
        guard_true(i1) [i0, p0]
        i4 = int_sub(i0, 1)
        p5 = call_assembler_r(i4, p0, descr=refbox)
        guard_no_exception() [i0, p0]
        guard_nonnull_class(p5, ConstClass(RefBox)) [i0, p5]
        p6 = getfield_gc_r(p5, descr=RefBox.Item)
        p9 = new_with_vtable(descr=RefBox)
        setfield_gc(p9, p6, descr=RefBox.Item)
        finish(p9)
        """;

    private const string RefBridge = """
        [i0, p0]
        p1 = new_with_vtable(descr=RefBox)
        setfield_gc(p1, p0, descr=RefBox.Item)
        finish(p1)
        """;

    [Test]
    public void A_box_of_a_reference_passes_the_same_reference_and_the_context_keeps_nothing_alive()
    {
        var refbox = new BoxAssembler(ValueKind.Int, ValueKind.Ref);
        _names.Add("refbox", refbox);
        var code = Compile(RefFunction, RefBridge, refbox);
        Assert.That(_backend.CompileTree(code), Is.True);

        var weak = RunWithGarbage(code);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        Assert.That(weak.IsAlive, Is.False, "the item of the last result is not held by the tree's context");
        Assert.That(refbox.UnboxedResults, Is.EqualTo(8), "k(7) .. k(0), k(0) from the bridge in the tree");
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static WeakReference RunWithGarbage(ICompiledTrace code)
    {
        var item = new object();
        var outcome = CompiledLoopRunner.Run(code, DeadFrame.For(code, 8L, item));
        Assert.That(outcome.Frame.Refs[0], Is.TypeOf<RefBox>());
        Assert.That(((RefBox)outcome.Frame.Refs[0]!).Item, Is.SameAs(item));
        outcome.Frame.ClearRefs();
        return new WeakReference(item);
    }

    private sealed class Mutable { public double Value = 1; }
    private class Base { protected readonly long Kept = 1; }
    private sealed class Derived : Base;

    [Test]
    public void Only_a_class_whose_whole_state_is_one_immutable_field_is_a_box()
    {
        Assert.That(ResultBox.Of(typeof(FloatBox))?.Field.Field.Name, Is.EqualTo("Value"));
        Assert.That(ResultBox.Of(typeof(Derived))?.Field.Field.Name, Is.EqualTo("Kept"), "a field of a base class counts");
        Assert.That(ResultBox.Of(typeof(Node)), Is.Null, "many fields");
        Assert.That(ResultBox.Of(typeof(Mutable)), Is.Null, "a field that may change after the caller read it");
        Assert.That(ResultBox.Of(typeof(string)), Is.Null);
        Assert.That(ResultBox.Of(typeof(object)), Is.Null, "no field");
        Assert.That(ResultBox.WithId(ResultBox.Of(typeof(FloatBox))!.Id).Type.Type, Is.EqualTo(typeof(FloatBox)));
    }
}
