using MetaJit.Engine.Backend;
using MetaJit.Engine.Backend.Cil;
using MetaJit.Engine.Trace;
using NUnit.Framework;

namespace MetaJit.Jit.Tests.Backend;

/// <summary>Trace trees in the CIL backend: a loop recompiled with its bridges in one method behaves exactly as the separate traces.</summary>
[TestFixture]
public class CilTreeTests
{
    private TraceNamespace _names = null!;
    private CilBackend _backend = null!;

    [SetUp]
    public void CreateWorld()
    {
        _names = TestWorld.Names();
        _backend = new CilBackend { TreeEagerness = 0 }; // trees only when a test asks
    }

    private TreeLoop Parse(string text) => TraceParser.Parse(text, _names);

    private const string CountingLoop = BackendContract.CountingLoop;
    private const string AddTenBridge = BackendContract.AddTenBridge;

    private static RunOutcome Run(ICompiledTrace loop, params object?[] inputs) => CompiledLoopRunner.Run(loop, DeadFrame.For(loop, inputs));

    [Test]
    public void A_loop_recompiled_with_its_bridge_gives_the_same_results()
    {
        var loop = (CilCompiledTrace)_backend.CompileLoop(Parse(CountingLoop));
        _backend.CompileBridge(loop, 0, Parse(AddTenBridge));
        var separate = Run(loop, 0L, 0L);

        Assert.That(_backend.CompileTree(loop), Is.True);
        Assert.That(loop.BridgesInTree, Is.EqualTo(1));
        Assert.That(_backend.TreesCompiled, Is.EqualTo(1));
        var tree = Run(loop, 0L, 0L);
        Assert.That(tree.Trace, Is.SameAs(loop));
        Assert.That(tree.GuardIndex, Is.EqualTo(separate.GuardIndex));
        Assert.That(tree.Values, Is.EqualTo(separate.Values));
        Assert.That(tree.Values, Is.EqualTo(new object[] { 101L, 51L + 50L * 10L }));
    }

    [Test]
    public void A_failing_guard_of_a_bridge_in_the_tree_is_reported_as_the_bridges_with_its_fail_args()
    {
        var loop = _backend.CompileLoop(Parse("""
            [i0, f1, p2]
            i3 = int_gt(i0, 0)
            guard_true(i3) [p2, f1, i0]
            finish(i0)
            """));
        var bridge = _backend.CompileBridge(loop, 0, Parse("""
            [p0, f1, i2]
            i3 = getfield_gc_i(p0, descr=value)
            i4 = int_eq(i3, 0)
            guard_false(i4) [i2, f1]
            f5 = float_add(f1, 1.0)
            finish(f5)
            """));
        Assert.That(_backend.CompileTree(loop), Is.True);

        var outcome = Run(loop, -1L, 2.0, new Node { value = 1 });
        Assert.That(outcome.Trace, Is.SameAs(bridge));
        Assert.That(outcome.Kind, Is.EqualTo(TraceExitKind.Finish));
        Assert.That(outcome.Values, Is.EqualTo(new object[] { 3.0 }));

        outcome = Run(loop, -1L, 2.0, new Node { value = 0 });
        Assert.That(outcome.Trace, Is.SameAs(bridge));
        Assert.That(outcome.Kind, Is.EqualTo(TraceExitKind.GuardFailed));
        Assert.That(outcome.GuardIndex, Is.EqualTo(0));
        Assert.That(outcome.Guard, Is.SameAs(bridge.Trace.Guards[0]), "the guard (and so its resume data) is the bridge's own");
        Assert.That(outcome.Values, Is.EqualTo(new object[] { -1L, 2.0 }));
        Assert.That(outcome.Frame.ExitOwner, Is.Null, "the runner consumes the owner it reports");
    }

    [Test]
    public void Bridges_of_bridges_go_into_the_tree_and_later_bridges_still_run()
    {
        // Guard 0 of the loop (i0 odd) -> bridge A; A's guard (i0 % 3 == 0) -> bridge B, attached before the
        // tree; the loop's exit guard gets bridge C only after the tree is compiled.
        var loop = (CilCompiledTrace)_backend.CompileLoop(Parse(CountingLoop));
        var a = _backend.CompileBridge(loop, 0, Parse("""
            [i0, i1]
            i2 = int_mod(i0, 3)
            i3 = int_eq(i2, 0)
            guard_false(i3) [i0, i1]
            i4 = int_add(i0, 1)
            i5 = int_add(i1, 10)
            jump(i4, i5, descr=loop)
            """));
        _backend.CompileBridge(a, 0, Parse("""
            [i0, i1]
            i2 = int_add(i0, 1)
            i3 = int_add(i1, 1000)
            jump(i2, i3, descr=loop)
            """));
        var separate = Run(loop, 0L, 0L).Values;
        Assert.That(_backend.CompileTree(loop), Is.True);
        Assert.That(loop.BridgesInTree, Is.EqualTo(2));
        Assert.That(Run(loop, 0L, 0L).Values, Is.EqualTo(separate));

        var c = _backend.CompileBridge(loop, 1, Parse("""
            [i0, i1]
            finish(i1)
            """));
        var outcome = Run(loop, 0L, 0L);
        Assert.That(outcome.Trace, Is.SameAs(c));
        Assert.That(outcome.Kind, Is.EqualTo(TraceExitKind.Finish));
        Assert.That(outcome.Values, Is.EqualTo(new[] { separate[1] }));
    }

    [Test]
    public void Invalidating_the_loop_makes_the_guards_in_its_tree_fail()
    {
        var loop = _backend.CompileLoop(Parse("""
            [i0]
            label(i0, descr=loop)
            i1 = int_add(i0, 1)
            i2 = int_lt(i1, 50)
            guard_true(i2) [i1]
            jump(i1, descr=loop)
            """));
        var bridge = _backend.CompileBridge(loop, 0, Parse("""
            [i0]
            guard_not_invalidated() [i0]
            i1 = int_lt(i0, 100)
            guard_true(i1) [i0]
            jump(i0, descr=loop)
            """));
        Assert.That(_backend.CompileTree(loop), Is.True);
        Assert.That(Run(loop, 0L).Trace, Is.SameAs(bridge));
        loop.Invalidate();
        var outcome = Run(loop, 0L);
        Assert.That(outcome.Trace, Is.SameAs(bridge));
        Assert.That(outcome.Guard!.Num, Is.EqualTo(OpNum.GuardNotInvalidated));
        Assert.That(outcome.Values, Is.EqualTo(new object[] { 50L }));
    }

    [Test]
    public void A_loop_whose_bridges_run_often_is_recompiled_as_a_tree_by_heat()
    {
        var backend = new CilBackend { TreeEagerness = 1, BackgroundTrees = false };
        var loop = (CilCompiledTrace)backend.CompileLoop(Parse(CountingLoop));
        backend.CompileBridge(loop, 0, Parse(AddTenBridge));
        Assert.That(backend.CompileHotTrees(), Is.Empty, "no bridge has run yet");
        for (int k = 0; k < 4; k++) Run(loop, 0L, 0L); // 50 bridge runs each; the tree has 12 ops
        Assert.That(backend.CompileHotTrees(), Has.Count.EqualTo(1));
        Assert.That(loop.TreeCompilations, Is.EqualTo(1));
        for (int k = 0; k < 4; k++) Run(loop, 0L, 0L);
        Assert.That(backend.CompileHotTrees(), Is.Empty, "nothing new to put in, and the bridge no longer runs through the runner");
        Assert.That(Run(loop, 0L, 0L).Values, Is.EqualTo(new object[] { 101L, 51L + 50L * 10L }));
    }

    [Test]
    public void Bridges_that_do_not_fit_in_one_method_keep_their_own_code()
    {
        var backend = new CilBackend(maxOpsPerMethod: 10) { TreeEagerness = 0 };
        var loop = (CilCompiledTrace)backend.CompileLoop(Parse(CountingLoop));
        backend.CompileBridge(loop, 0, Parse(AddTenBridge)); // 4 ops: the tree would have 11
        Assert.That(backend.CompileTree(loop), Is.False);
        Assert.That(Run(loop, 0L, 0L).Values, Is.EqualTo(new object[] { 101L, 51L + 50L * 10L }));
    }

    [Test]
    public void A_bridge_inlined_at_an_exception_guard_starts_without_the_exception()
    {
        var loop = _backend.CompileLoop(Parse("""
            [i0]
            i1 = call_i(i0, descr=CheckPositive)
            guard_no_exception() [i0]
            finish(i1)
            """));
        var bridge = _backend.CompileBridge(loop, 0, Parse("""
            [i0]
            i1 = int_lt(i0, -5)
            guard_false(i1) [i0]
            i2 = int_neg(i0)
            finish(i2)
            """));
        Assert.That(_backend.CompileTree(loop), Is.True);
        var outcome = Run(loop, -3L);
        Assert.That(outcome.Trace, Is.SameAs(bridge));
        Assert.That(outcome.Values, Is.EqualTo(new object[] { 3L }));
        outcome = Run(loop, -7L);
        Assert.That(outcome.Kind, Is.EqualTo(TraceExitKind.GuardFailed));
        Assert.That(outcome.Frame.Exception, Is.Null, "the exception was consumed by taking the bridge");
    }

    /// <summary>What the engine does for the runner: compiles the trees that became hot, counting them.</summary>
    private sealed class CountingTrees(CilBackend backend) : IHotTreeCompiler
    {
        public int Compiled;
        public bool HasHotTrees => backend.HasHotTrees;
        public void CompileHotTrees() => Compiled += backend.CompileHotTrees().Count;
    }

    /// <summary>
    /// The loop's exit is bridged, so the run never comes back to the engine until it ends: the tree that heats up on
    /// the way is compiled between two traces, not after the run (with it, a loop whose exits all have bridges ran
    /// its bridges as separate methods to the end of the program).
    /// </summary>
    [Test]
    public void A_tree_that_heats_up_during_a_run_is_compiled_during_that_run()
    {
        var backend = new CilBackend { TreeEagerness = 1, BackgroundTrees = false };
        var loop = (CilCompiledTrace)backend.CompileLoop(Parse(CountingLoop));
        backend.CompileBridge(loop, 0, Parse(AddTenBridge));
        var trees = new CountingTrees(backend);

        var outcome = CompiledLoopRunner.Run(loop, DeadFrame.For(loop, 0L, 0L), 0, trees);

        Assert.That(trees.Compiled, Is.EqualTo(1));
        Assert.That(loop.TreeCompilations, Is.EqualTo(1));
        Assert.That(loop.BridgesInTree, Is.EqualTo(1));
        Assert.That(outcome.Values, Is.EqualTo(new object[] { 101L, 51L + 50L * 10L }));
    }

    /// <summary>A backend compiling trees in the background, and the counting loop with its bridge, run until its
    /// tree is hot (not yet looked at).</summary>
    private (CilBackend Backend, CilCompiledTrace Loop, CilCompiledTrace Bridge) HotLoopWithBackgroundTrees()
    {
        var backend = new CilBackend { TreeEagerness = 1, BackgroundTrees = true };
        var loop = (CilCompiledTrace)backend.CompileLoop(Parse(CountingLoop));
        var bridge = (CilCompiledTrace)backend.CompileBridge(loop, 0, Parse(AddTenBridge));
        for (int k = 0; k < 4; k++) Run(loop, 0L, 0L);
        return (backend, loop, bridge);
    }

    [Test]
    public void A_tree_compiled_in_the_background_is_installed_by_the_next_look_after_it_is_done()
    {
        var (backend, loop, bridge) = HotLoopWithBackgroundTrees();
        Assert.That(backend.CompileHotTrees(), Is.Empty, "started, not installed");
        Assert.That(backend.TreesInFlight, Is.EqualTo(1));
        Assert.That(Run(loop, 0L, 0L).Values, Is.EqualTo(new object[] { 101L, 51L + 50L * 10L }), "the old code runs meanwhile");

        backend.WaitForBackgroundTrees();
        backend.CompileHotTrees();

        Assert.That(backend.TreesInFlight, Is.Zero);
        Assert.That(backend.TreesCompiled, Is.EqualTo(1));
        Assert.That(loop.TreeCompilations, Is.EqualTo(1));
        Assert.That(backend.BackgroundCompileTime, Is.GreaterThan(TimeSpan.Zero));
        long runs = bridge.Runs;
        Assert.That(Run(loop, 0L, 0L).Values, Is.EqualTo(new object[] { 101L, 51L + 50L * 10L }));
        Assert.That(bridge.Runs, Is.EqualTo(runs), "the bridge runs inside the tree, not through the runner");
    }

    [Test]
    public void A_tree_whose_loop_was_invalidated_while_it_compiled_is_not_installed()
    {
        var (backend, loop, _) = HotLoopWithBackgroundTrees();
        backend.CompileHotTrees();
        loop.Invalidate();

        backend.WaitForBackgroundTrees();

        Assert.That(backend.CompileHotTrees(), Is.Empty);
        Assert.That(backend.TreesInFlight, Is.Zero);
        Assert.That(backend.TreesCompiled, Is.Zero);
        Assert.That(loop.TreeCompilations, Is.Zero);
    }

    [Test]
    public void A_tree_compiled_at_once_meanwhile_is_not_replaced_by_the_older_background_one()
    {
        var (backend, loop, _) = HotLoopWithBackgroundTrees();
        backend.CompileHotTrees();
        Assert.That(backend.CompileTree(loop), Is.True);

        backend.WaitForBackgroundTrees();

        Assert.That(backend.CompileHotTrees(), Is.Empty);
        Assert.That(loop.TreeCompilations, Is.EqualTo(1));
        Assert.That(Run(loop, 0L, 0L).Values, Is.EqualTo(new object[] { 101L, 51L + 50L * 10L }));
    }

    private const string ScalingLoop = """
        [f0, i1]
        label(f0, i1, descr=loop)
        f2 = float_mul(f0, 1.5)
        i3 = int_and(i1, 1)
        guard_false(i3) [f2, i1]
        i4 = int_add(i1, 1)
        i5 = int_lt(i4, 20)
        guard_true(i5) [f2, i4]
        jump(f2, i4, descr=loop)
        """;

    private const string ScalingBridge = """
        [f0, i1]
        f2 = float_mul(f0, 1.5)
        f3 = float_add(f2, 0.25)
        i4 = int_add(i1, 1)
        jump(f3, i4, descr=loop)
        """;

    /// <summary>
    /// A float constant the loop and a bridge in its tree share is a literal in the loop and a load from the
    /// context in the bridge, so RyuJIT does not make it one register live across the bridge (and spilled in the
    /// loop); the results are those of the separate traces.
    /// </summary>
    [Test]
    public void A_bridge_in_a_tree_loads_its_float_constants_from_the_context()
    {
        var backend = new CilBackend { TreeEagerness = 0, KeepIL = true };
        var loop = (CilCompiledTrace)backend.CompileLoop(Parse(ScalingLoop));
        backend.CompileBridge(loop, 0, Parse(ScalingBridge));
        var separate = Run(loop, 1.0, 0L).Values;

        Assert.That(backend.CompileTree(loop), Is.True);
        var il = string.Join("\n", loop.IL);
        var bridgeIl = il[il.IndexOf("// bridge", StringComparison.Ordinal)..];
        Assert.That(il[..il.IndexOf("// bridge", StringComparison.Ordinal)], Does.Contain("ldc.r8 1.5"), "the loop keeps its literal");
        Assert.That(bridgeIl, Does.Not.Contain("ldc.r8"), "the bridge loads its constants");
        Assert.That(bridgeIl, Does.Contain("CilTraceContext::Floats"));
        Assert.That(Run(loop, 1.0, 0L).Values, Is.EqualTo(separate));
    }
}
