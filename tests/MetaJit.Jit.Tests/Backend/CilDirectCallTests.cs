using MetaJit.Engine.Backend;
using MetaJit.Engine.Backend.Cil;
using MetaJit.Engine.Descriptors;
using MetaJit.Engine.Trace;
using NUnit.Framework;

namespace MetaJit.Jit.Tests.Backend;

/// <summary>
/// Direct calls: a tree whose call_assembler targets one of its own labels calls its own method (through its
/// wrapper) instead of the descr's <c>Invoke*</c>. Whatever way the callee ends (a finish, a bridge in the tree
/// that finishes, a guard without bridge, an exception its code throws), the caller must see what it saw before
/// the tree was compiled. Run twice: with a descr that pools its frames the tree's calls of itself are frameless
/// (arguments in the descr's argument frame, the result in the tree's context, a frame taken only at an exit:
/// CilEmitter.FramelessCalls.cs); without
/// one they pass a frame from the descr.
/// </summary>
[TestFixture(true)]
[TestFixture(false)]
public class CilDirectCallTests(bool pooled)
{
    private TraceNamespace _names = null!;
    private CilBackend _backend = null!;
    private SelfAssembler _self = null!;

    /// <summary>
    /// The call_assembler target of the trace below, standing in for the engine's site: calls that do not go
    /// direct run the trace from its label; a callee that leaves by a guard without bridge "returns"
    /// 1000 x (guard index + 1), as if an interpreter had finished the call.
    /// </summary>
    private sealed class SelfAssembler : CallAssemblerDescr
    {
        public SelfAssembler(bool pooled, params ValueKind[] argKinds)
        {
            if (pooled) FramePool = new DeadFramePool();
            _argKinds = argKinds;
        }

        private readonly ValueKind[] _argKinds;
        public TargetToken? Target;
        public ICompiledTrace? Code;
        public int Invokes, Afters, Releases;

        public override string Name => "self";
        public override ValueKind[] ArgKinds => _argKinds;
        public override int VableArgIndex => -1;
        public override VirtualizableInfo? Vable => null;
        public override DeadFrame TakeFrame() => new(1, 1, 1);
        public override TargetToken? DirectTarget => Target;

        public override long InvokeInt(DeadFrame args)
        {
            Invokes++;
            return Result(CompiledLoopRunner.Run(Code!, args, Target!.EntryIndex));
        }

        public override long AfterDirectInt(DeadFrame args, int code, ICompiledTrace ran)
        {
            Afters++;
            if (code == ExitCodes.Raised) return 0;
            if (code == ExitCodes.NotRun) return InvokeInt(args);
            try { return Result(CompiledLoopRunner.After(ran, args, code)); }
            catch (Exception e) { Raised = e; return 0; }
        }

        public override void Release(DeadFrame args) => Releases++;

        private static long Result(RunOutcome o) =>
            o.Kind == TraceExitKind.Finish ? (long)o.Frame.Ints[0] : 1000L * (o.GuardIndex + 1);

        public override double InvokeFloat(DeadFrame args) => throw new NotSupportedException();
        public override object? InvokeRef(DeadFrame args) => throw new NotSupportedException();
        public override void InvokeVoid(DeadFrame args) => throw new NotSupportedException();
    }

    [SetUp]
    public void CreateWorld()
    {
        _names = TestWorld.Names();
        _self = new SelfAssembler(pooled, ValueKind.Int);
        _names.Add("self", _self);
        _backend = new CilBackend { TreeEagerness = 0, KeepIL = true };
    }

    // f(n) = 2n, computed by calling itself: f(0) leaves through guard 0, whose bridge finishes with 0; n = 30 fails
    // guard 1 (no bridge); n = 77 throws from a residual call that no guard follows, so the exception leaves the
    // callee's code and reaches the caller's guard_no_exception (guard 2).
    private const string Function = """
        [i0]
        label(i0, descr=fn)
        i1 = int_gt(i0, 0)
        guard_true(i1) [i0]
        i2 = int_eq(i0, 30)
        guard_false(i2) [i0]
        i3 = int_eq(i0, 77)
        call_n(i3, descr=ThrowIf)
        i4 = int_sub(i0, 1)
        i5 = call_assembler_i(i4, descr=self)
        guard_no_exception() [i0]
        i6 = int_add(i5, 2)
        finish(i6)
        """;

    private const string ZeroBridge = """
        [i0]
        i1 = int_sub(i0, i0)
        finish(i1)
        """;

    private CilCompiledTrace CompileFunction()
    {
        var code = (CilCompiledTrace)_backend.CompileLoop(TraceParser.Parse(Function, _names));
        _self.Code = code;
        _self.Target = (TargetToken)code.Trace.Labels.Single().Descr!;
        _backend.CompileBridge(code, 0, TraceParser.Parse(ZeroBridge, _names));
        return code;
    }

    private static bool FramelessIn(CilCompiledTrace code) => code.CodeListing.Any(il => il.Contains("#tree#frameless"));

    private static RunOutcome Run(ICompiledTrace code, long n) => CompiledLoopRunner.Run(code, DeadFrame.For(code, n));

    [TestCase(10L, TestName = "Calls_that_finish_return_their_result")]
    [TestCase(40L, TestName = "A_callee_that_fails_a_guard_without_bridge_goes_on_through_the_descr")]
    [TestCase(80L, TestName = "An_exception_thrown_in_a_callee_reaches_the_callers_exception_guard")]
    public void A_tree_calling_itself_computes_what_the_calls_through_the_descr_computed(long n)
    {
        var code = CompileFunction();
        var before = Run(code, n);
        Assert.That(_self.Invokes, Is.GreaterThan(0));
        Assert.That(_self.DirectEntries, Is.Zero, "no direct calls before the tree");

        Assert.That(_backend.CompileTree(code), Is.True);
        Assert.That(FramelessIn(code), Is.EqualTo(pooled), "frameless calls exactly when the descr pools frames");
        _self.Invokes = 0;
        var after = Run(code, n);
        Assert.That((after.Kind, after.GuardIndex, after.Values), Is.EqualTo((before.Kind, before.GuardIndex, before.Values)));
        Assert.That(after.Frame.Ints[0], Is.EqualTo(before.Frame.Ints[0]));
        Assert.That(_self.Invokes, Is.Zero, "every call goes direct");
        Assert.That(_self.DirectEntries, Is.EqualTo(n > 77 ? n - 77 : n > 30 ? n - 30 : n));
        Assert.That(_self.FramelessEntries, Is.EqualTo(pooled ? _self.DirectEntries : 0));
        Assert.That(_self.Raised, Is.Null, "what a call raised was taken by the guard after it");
    }

    [Test]
    public void The_results_are_twice_the_argument_or_what_the_descr_said_for_the_failed_call()
    {
        var code = CompileFunction();
        Assert.That(_backend.CompileTree(code), Is.True);
        Assert.That(Run(code, 10L).Frame.Ints[0], Is.EqualTo(20L));
        Assert.That(Run(code, 40L).Frame.Ints[0], Is.EqualTo(1000L * 2 + 2 * 10), "f(30) failed guard 1: the descr gave 2000");
        Assert.That(Run(code, 80L).Frame.Ints[0], Is.EqualTo(1000L * 3 + 2 * 2), "f(78) failed guard 2: the descr gave 3000 for f(79)");
        if (pooled) Assert.That(_self.Releases, Is.Zero, "no frame taken for a call that finishes, none from the descr at an exit");
        else Assert.That(_self.Releases, Is.GreaterThan(0), "frames of calls that finished are given back");
        Assert.That(_self.Afters, Is.GreaterThan(0));
    }

    // Another trace calling the function: its call runs the function's compiled code directly (CallDirect).
    private const string Caller = """
        [i0]
        i1 = call_assembler_i(i0, descr=self)
        guard_no_exception() [i0]
        i2 = int_add(i1, 1)
        finish(i2)
        """;

    [Test]
    public void Another_trace_calls_the_targets_code_directly()
    {
        CompileFunction(); // its own calls go through the descr: compiled before the descr named it as target
        var caller = _backend.CompileLoop(TraceParser.Parse(Caller, _names));
        var outcome = Run(caller, 10L);
        Assert.That(outcome.Kind, Is.EqualTo(TraceExitKind.Finish));
        Assert.That(outcome.Frame.Ints[0], Is.EqualTo(21L));
        Assert.That(_self.DirectEntries, Is.EqualTo(1));
        Assert.That(_self.Invokes, Is.EqualTo(10), "the function's own calls, f(10) to f(1) each making one");
    }

    [Test]
    public void An_exception_the_directly_called_code_throws_fails_the_callers_exception_guard()
    {
        CompileFunction();
        var caller = _backend.CompileLoop(TraceParser.Parse(Caller, _names));
        var outcome = Run(caller, 77L);
        Assert.That((outcome.Kind, outcome.GuardIndex), Is.EqualTo((TraceExitKind.GuardFailed, 0)));
        Assert.That(outcome.Frame.Exception, Is.TypeOf<InvalidOperationException>());
        Assert.That(_self.DirectEntries, Is.EqualTo(1));
        Assert.That(_self.Raised, Is.Null);
    }

    [TestCase(10L, 21L)]
    [TestCase(40L, 2021L)]
    public void Another_trace_calls_a_trees_label_as_its_own_calls_do(long n, long expected)
    {
        var function = CompileFunction();
        Assert.That(_backend.CompileTree(function), Is.True);
        var caller = _backend.CompileLoop(TraceParser.Parse(Caller, _names));
        var outcome = Run(caller, n);
        Assert.That((outcome.Kind, outcome.Frame.Ints[0]), Is.EqualTo((TraceExitKind.Finish, expected)));
        Assert.That(_self.Invokes, Is.Zero, "the caller's call and the function's own calls all go direct");
        Assert.That(_self.FramelessEntries, Is.EqualTo(pooled ? _self.DirectEntries : 0));
        Assert.That(_self.DirectEntries, Is.EqualTo(n > 30 ? n - 30 + 1 : n + 1));

        function.Invalidate();
        Assert.That(Run(caller, 10L).Frame.Ints[0], Is.EqualTo(21L));
        Assert.That(_self.Invokes, Is.EqualTo(1), "an invalidated tree is called through the descr (which here runs it anyway)");
    }

    [Test]
    public void An_exception_thrown_in_a_tree_called_from_another_trace_fails_the_callers_exception_guard()
    {
        // f(77) throws from a call no guard follows: the exception leaves the tree's code.
        var function = CompileFunction();
        Assert.That(_backend.CompileTree(function), Is.True);
        var caller = _backend.CompileLoop(TraceParser.Parse(Caller, _names));
        var outcome = Run(caller, 77L);
        Assert.That((outcome.Kind, outcome.GuardIndex), Is.EqualTo((TraceExitKind.GuardFailed, 0)));
        Assert.That(outcome.Frame.Exception, Is.TypeOf<InvalidOperationException>());
        Assert.That(_self.Raised, Is.Null);
    }

    [Test]
    public void Code_invalidated_after_the_caller_was_compiled_is_not_called_directly()
    {
        var function = CompileFunction();
        var caller = _backend.CompileLoop(TraceParser.Parse(Caller, _names));
        function.Invalidate();
        var outcome = Run(caller, 10L);
        Assert.That(outcome.Frame.Ints[0], Is.EqualTo(21L));
        Assert.That(_self.Invokes, Is.EqualTo(11), "the call went through the descr, and so did the function's own ten");
    }

    [Test]
    public void With_direct_calls_off_the_tree_calls_through_the_descr()
    {
        _backend = new CilBackend { TreeEagerness = 0, DirectCalls = false };
        var code = CompileFunction();
        Assert.That(_backend.CompileTree(code), Is.True);
        Assert.That(Run(code, 10L).Frame.Ints[0], Is.EqualTo(20L));
        Assert.That(_self.DirectEntries, Is.Zero);
        Assert.That(_self.Invokes, Is.EqualTo(10));
    }
    [Test]
    public void With_frameless_calls_off_a_tree_passes_frames_and_computes_the_same()
    {
        _backend = new CilBackend { TreeEagerness = 0, KeepIL = true, FramelessCalls = false };
        var code = CompileFunction();
        Assert.That(_backend.CompileTree(code), Is.True);
        Assert.That(FramelessIn(code), Is.False);
        Assert.That(Run(code, 10L).Frame.Ints[0], Is.EqualTo(20L));
        Assert.That(Run(code, 40L).Frame.Ints[0], Is.EqualTo(2020L));
        Assert.That(_self.DirectEntries, Is.EqualTo(20));
    }

    // g(n, p) = 3n, passing p down: the calls' reference argument.
    private const string WithReference = """
        [i0, p0]
        label(i0, p0, descr=fn)
        i1 = int_gt(i0, 0)
        guard_true(i1) [i0, p0]
        i4 = int_sub(i0, 1)
        i5 = call_assembler_i(i4, p0, descr=selfr)
        guard_no_exception() [i0, p0]
        i6 = int_add(i5, 3)
        finish(i6)
        """;

    [Test]
    public void A_reference_argument_is_not_kept_alive_by_the_tree_after_the_calls()
    {
        var selfr = new SelfAssembler(pooled, ValueKind.Int, ValueKind.Ref);
        _names.Add("selfr", selfr);
        var code = (CilCompiledTrace)_backend.CompileLoop(TraceParser.Parse(WithReference, _names));
        selfr.Code = code;
        selfr.Target = (TargetToken)code.Trace.Labels.Single().Descr!;
        _backend.CompileBridge(code, 0, TraceParser.Parse(ZeroBridge.Replace("[i0]", "[i0, p0]"), _names));
        Assert.That(_backend.CompileTree(code), Is.True);
        Assert.That(FramelessIn(code), Is.EqualTo(pooled));

        var weak = RunWithGarbage(code);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        Assert.That(weak.IsAlive, Is.False, "the argument of the last call is not held by the tree's context or a pooled frame");
        Assert.That(selfr.DirectEntries, Is.EqualTo(12));
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static WeakReference RunWithGarbage(ICompiledTrace code)
    {
        var argument = new object();
        var outcome = CompiledLoopRunner.Run(code, DeadFrame.For(code, 12L, argument));
        Assert.That(outcome.Frame.Ints[0], Is.EqualTo(36L));
        outcome.Frame.ClearRefs();
        return new WeakReference(argument);
    }
}
