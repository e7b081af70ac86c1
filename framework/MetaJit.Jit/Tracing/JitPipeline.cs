using System.Diagnostics;
using MetaJit.Engine.Backend;
using MetaJit.Engine.Backend.Cil;
using MetaJit.Engine.Descriptors;
using MetaJit.Engine.Execution;
using MetaJit.Engine.JitCodes;
using MetaJit.Engine.Optimizer;
using MetaJit.Engine.Resume;
using MetaJit.Engine.Runtime;
using MetaJit.Engine.Trace;

namespace MetaJit.Engine.Tracing;

/// <summary>
/// What JIT mode does at a hot key: trace a loop (<see cref="Tracer"/>), optimize it, compile it
/// (<see cref="IBackend"/>), run it; leave compiled code through resume data and the blackhole; trace and
/// attach bridges to guards that fail often. The interpreter's state travels as a JitFrame at a merge point.
/// </summary>
internal sealed partial class JitPipeline : IJitPipeline, IHotTreeCompiler
{
    private readonly JitEngine _engine;
    private readonly IBackend _backend;
    private int _loopNumber;
    private bool _tracing;

    public JitPipeline(JitEngine engine, IBackend backend)
    {
        _engine = engine;
        _backend = backend;
    }

    private JitStatistics Stats => _engine.Statistics;
    private readonly int _traceEagerness = JitParams.GetInt("trace_eagerness");
    private readonly int _bridgeBudget = JitParams.GetInt("bridge_budget");
    private const int MaxBridgeRetries = 10;

    /// <summary>
    /// Failures of a guard before a bridge is traced from it: <c>trace_eagerness</c>, times one more for every
    /// <c>bridge_budget</c> bridges compiled so far. Each bridge is a compilation (a DynamicMethod: ~1-3 ms, a
    /// thousand guard failures' worth); a program that keeps asking for bridges (BF mandel: 1,760 at a flat 200)
    /// has many lukewarm paths, and each further one must prove itself more. Programs with a few hot bridges are
    /// unaffected. Measured on mandel: 8.8 s -> 3.7 s (budget 10); Lox benchmarks unchanged (at most 8 bridges).
    /// </summary>
    private int BridgeEagerness => _bridgeBudget == 0 ? _traceEagerness : _traceEagerness * (1 + Stats.BridgesCompiled / _bridgeBudget);
    private readonly DeadFramePool _frames = new();
    private readonly Dictionary<ICompiledTrace, LoopDependency> _dependencies = new(ReferenceEqualityComparer.Instance);
    /// <summary>The cell each compiled loop starts at (a bridge's tracer does not inline recursive calls into it).</summary>
    private readonly Dictionary<ICompiledTrace, JitCell> _loopCells = new(ReferenceEqualityComparer.Instance);

    /// <summary>A dead frame for one run of compiled code.</summary>
    private DeadFrame TakeDeadFrame() => _frames.Take();

    private void GiveBack(DeadFrame dead) => _frames.GiveBack(dead);

    /// <inheritdoc/>
    public DeadFramePool Frames => _frames;

    public PortalOutcome Enter(PortalRuntime portal, JitCell cell, JitFrame frame)
    {
        InstallFinishedTraces();
        if (cell.State == JitCellState.Compiled)
        {
            cell.Entries++;
            return RunCompiled(portal, (LoopEntry)cell.CompiledLoop!, frame);
        }
        // No nested tracing; a key being compiled in the background is interpreted until its loop is installed.
        if (_tracing || cell.State != JitCellState.Counting) return new PortalOutcome(false, ValueKind.Void, 0, 0, null, frame);
        if (HasTracesInFlight)
        {
            // No trace starts while one is compiling (JitPipeline.Background.cs). The key stays one jump short of
            // hot, so the installation's decay takes it below: traced later only if it stays hot once the new
            // code runs, which may have made its loop part of a trace.
            cell.Counter = _engine.Threshold - 1;
            return new PortalOutcome(false, ValueKind.Void, 0, 0, null, frame);
        }
        return TraceLoop(portal, cell, frame);
    }

    private PortalOutcome TraceLoop(PortalRuntime portal, JitCell cell, JitFrame frame)
    {
        cell.State = JitCellState.Tracing;
        var token = new TargetToken("loop" + _loopNumber++);
        var dependency = new LoopDependency(Stats, _engine.Log);
        var tracer = new Tracer(_engine, portal, dependency);
        long start = Stopwatch.GetTimestamp();
        TraceOutcome outcome;
        _tracing = true;
        try
        {
            outcome = tracer.TraceLoop(cell, frame, token);
        }
        finally
        {
            _tracing = false;
            Stats.TracingTime += JitStatistics.Since(start);
            Stats.OpsRecorded += tracer.OpsRecorded;
        }
        if (outcome.End == TraceEnd.Aborted)
        {
            dependency.Discard();
            cell.State = JitCellState.Counting;
            cell.Counter = 0;
            if (outcome.AbortIsFinal || (!outcome.AbortIsRetry && ++cell.Aborts >= 3)) cell.State = JitCellState.DontTraceHere;
            else if (outcome.AbortIsRetry && outcome.AbortWaitsFor != null)
            {
                // This loop was hot; only the inner loop it reached was not compiled yet: trace it again as soon
                // as that one is (its counter would otherwise start from zero).
                cell.TraceSoon = true;
                cell.WaitsFor = outcome.AbortWaitsFor;
            }
            Stats.Abort(outcome.AbortReason!);
            _engine.Log($"trace aborted ({outcome.AbortReason}) at {frame.Code.Name}");
            return ContinueOnBlackhole(portal, outcome.Top, outcome.PendingException);
        }
        var optimized = Optimize(outcome.Trace!, "loop", t => TraceOptimizer.OptimizeLoop(t, OptimizerOptions.FromParams()));
        if (_backgroundTraces)
        {
            // The cell stays in Tracing (interpreted, never traced again) until the loop is installed.
            if (!Start(() => _backend.StartLoop(optimized), new PendingLoop(cell, token, tracer.VableLengths, dependency) { Recorded = outcome.Trace }))
            {
                dependency.Discard();
                cell.State = JitCellState.DontTraceHere;
                return ContinueOnBlackhole(portal, outcome.Top, null);
            }
        }
        else
        {
            var compiled = Compile(optimized, "loop");
            if (compiled == null)
            {
                dependency.Discard();
                cell.State = JitCellState.DontTraceHere;
                return ContinueOnBlackhole(portal, outcome.Top, null);
            }
            LoopCompiled(new PendingLoop(cell, token, tracer.VableLengths, dependency) { Recorded = outcome.Trace }, compiled);
        }
        if (outcome.End == TraceEnd.Finished) return outcome.Returned;
        return RunAt(portal, outcome.Top);
    }

    /// <summary>What the engine keeps of a traced loop until it is compiled.</summary>
    private sealed record PendingLoop(JitCell Cell, TargetToken Token, int[] VableLengths, LoopDependency Dependency)
    {
        /// <summary>The trace as recorded: specialized entries are optimized from it (JitPipeline.Specialization.cs).</summary>
        public TreeLoop? Recorded { get; init; }
    }

    /// <summary>A loop's code is ready: its key enters it from now on.</summary>
    private void LoopCompiled(PendingLoop loop, ICompiledTrace compiled)
    {
        var entry = new LoopEntry(compiled, loop.Token, loop.VableLengths) { Recorded = loop.Recorded, Dependency = loop.Dependency };
        loop.Cell.CompiledLoop = entry;
        loop.Cell.State = JitCellState.Compiled;
        Stats.LoopsCompiled++;
        _engine.Decay();
        _dependencies[compiled] = loop.Dependency;
        _loopCells[compiled] = loop.Cell;
        loop.Dependency.Bind(loop.Cell, entry, compiled); // invalidates at once if the trace wrote what it had read
    }

    /// <summary>Logs a recorded trace, optimizes it and logs the result.</summary>
    private TreeLoop Optimize(TreeLoop trace, string what, Func<TreeLoop, TreeLoop> optimize)
    {
        LogTrace(trace, what + " (recorded)");
        long nested = _nestedTicks;
        long start = Stopwatch.GetTimestamp();
        var optimized = optimize(trace);
        LogTrace(optimized, what + " (optimized)");
        // Specialized entries made meanwhile counted their own time (JitPipeline.Specialization.cs).
        Stats.OptimizingTime += JitStatistics.Since(start) - Stopwatch.GetElapsedTime(0, _nestedTicks - nested);
        return optimized;
    }

    /// <summary>Compiles an optimized trace; null (logged, counted as an abort) when the backend refuses it.</summary>
    private ICompiledTrace? Compile(TreeLoop optimized, string what, Func<TreeLoop, ICompiledTrace>? compile = null)
    {
        long start = Stopwatch.GetTimestamp();
        try
        {
            var compiled = compile != null ? compile(optimized) : _backend.CompileLoop(optimized);
            Stats.OpsCompiled += optimized.Operations.Length;
            LogCode(compiled, what);
            return compiled;
        }
        catch (NotSupportedException e)
        {
            Stats.Abort("backend: " + e.Message);
            _engine.Log("backend refused the trace: " + e.Message);
            return null;
        }
        finally
        {
            Stats.CompilingTime += JitStatistics.Since(start);
            Stats.MachineCodeTime = _backend.MachineCodeTime;
        }
    }

    private void LogCode(ICompiledTrace compiled, string what)
    {
        if (!_engine.Options.Log.HasFlag(LogFlags.Code)) return;
        var w = _engine.Options.LogWriter;
        var listing = compiled.CodeListing;
        w.WriteLine($"[metajit] code of {what}: {compiled.Trace.Name}, {listing.Count} method(s)");
        for (int k = 0; k < listing.Count; k++)
        {
            w.WriteLine($"-- method {k}");
            w.WriteLine(listing[k]);
        }
    }

    private void LogTrace(TreeLoop trace, string title)
    {
        if (!_engine.Options.Log.HasFlag(LogFlags.Traces)) return;
        var w = _engine.Options.LogWriter;
        w.WriteLine($"[metajit] {title}: {trace.Name}, {trace.Operations.Length} ops");
        w.WriteLine(new TracePrinter().Print(trace));
    }

    /// <summary>At a merge point of the bottom frame (where a trace ended): run the compiled loop there if any, else
    /// hand the state back.</summary>
    private PortalOutcome RunAt(PortalRuntime portal, JitFrame frame)
    {
        var cell = CellAt(portal, frame);
        if (cell.State != JitCellState.Compiled) return new PortalOutcome(false, ValueKind.Void, 0, 0, null, frame);
        cell.Entries++;
        return RunCompiled(portal, (LoopEntry)cell.CompiledLoop!, frame);
    }

    private static JitCell CellAt(PortalRuntime portal, JitFrame frame) => portal.CellAt(frame);

    /// <summary>Runs compiled code from the merge-point state in <paramref name="frame"/> until it leaves for good.</summary>
    private PortalOutcome RunCompiled(PortalRuntime portal, LoopEntry entry, JitFrame frame)
    {
        var dead = EntryFrame(portal, entry, frame);
        return dead == null ? new PortalOutcome(false, ValueKind.Void, 0, 0, null, frame) : RunFrom(portal, entry, dead);
    }

    /// <summary>A dead frame holding the inputs of <paramref name="entry"/> read from the merge-point state in
    /// <paramref name="frame"/> (reds, then the vable's slots); null when the vable's arrays have other lengths
    /// than the loop is specialised on (another length cannot enter it).</summary>
    private DeadFrame? EntryFrame(PortalRuntime portal, LoopEntry entry, JitFrame frame)
    {
        var args = frame.Code.Code[frame.Pc].Args!;
        var vable = VableAt(portal, frame, args);
        if (portal.Vable != null && (vable == null || !portal.Vable.HasLengths(vable, entry.VableLengths))) return null;
        var dead = TakeDeadFrame();
        dead.EnsureCapacity(entry.Compiled.FrameSize.Ints, entry.Compiled.FrameSize.Floats, entry.Compiled.FrameSize.Refs);
        int ni = 0, nf = 0, nr = 0;
        for (int k = portal.GreenCount; k < args.Length; k++)
        {
            var reg = Reg.Decode(args[k]);
            switch (reg.Kind)
            {
                case ValueKind.Int: dead.Ints[ni++] = frame.I[reg.Index]; break;
                case ValueKind.Float: dead.Floats[nf++] = frame.F[reg.Index]; break;
                default: dead.Refs[nr++] = frame.R[reg.Index]; break;
            }
        }
        if (vable != null) VableEntryValues.Read(portal.Vable!, vable, dead, ni, nf, nr);
        return dead;
    }

    /// <summary>Runs compiled code whose inputs are in <paramref name="dead"/>, through bridges, guard failures and
    /// the blackhole, until the portal returns or stands at a merge point without compiled code.</summary>
    private PortalOutcome RunFrom(PortalRuntime portal, LoopEntry? entry, DeadFrame dead, RunOutcome? first = null)
    {
        while (true)
        {
            RunOutcome run;
            if (first is { } ran)
            {
                run = ran; // (counted as an entry by who ran it)
                first = null;
            }
            else
            {
                Stats.CountLoopEntry();
                run = CompiledLoopRunner.Run(entry!.Compiled, dead, entry.Token.EntryIndex, this);
            }
            if (run.Kind == TraceExitKind.Finish)
            {
                var returned = Finished(portal, dead);
                GiveBack(dead);
                CompileHotTrees(); // a function's trace and bridges may never end at an unbridged guard
                return returned;
            }
            Stats.GuardFailures++;
            CompileHotTrees();
            var guard = run.Guard!;
            var data = (ResumeData)guard.ResumeData!;
            data.Failures++;
            JitFrame frame;
            // No bridges from guard_not_invalidated: once invalidated, the whole loop is to be retraced.
            if (!data.ExceptionPending && (data.Failures >= BridgeEagerness || data.BridgeWaitsFor is { State: JitCellState.Compiled })
                && data.BridgeAttempts < 3 && !_tracing && !HasTracesInFlight
                && guard.Num != OpNum.GuardNotInvalidated)
            {
                var values = run.Values;
                GiveBack(dead);
                var bridged = TraceBridge(portal, run.Trace, run.GuardIndex, data, values);
                if (bridged.HasReturned) return bridged;
                frame = bridged.Frame!;
            }
            else
            {
                var top = ResumeReader.Rebuild(data, guard.FailArgs!, dead);
                var pending = data.ExceptionPending ? dead.Exception : null;
                if (data.ExceptionPending && pending == null) ResumeReader.CompleteCall(top, data, guard.FailArgs!, dead);
                GiveBack(dead);
                var result = Blackhole.Run(top, stopAtMergePoint: true, pending);
                if (result.HasReturned)
                {
                    Stats.BlackholeRuns++;
                    return PortalOutcome.From(result);
                }
                frame = result.Frame!;
            }
            var cell = CellAt(portal, frame);
            if (cell.State != JitCellState.Compiled) return new PortalOutcome(false, ValueKind.Void, 0, 0, null, frame);
            entry = (LoopEntry)cell.CompiledLoop!;
            var next = EntryFrame(portal, entry, frame);
            if (next == null) return new PortalOutcome(false, ValueKind.Void, 0, 0, null, frame);
            dead = next;
        }
    }

    /// <summary>
    /// Runs one whole portal invocation from the merge-point state in <paramref name="frame"/> (a portal frame
    /// without caller) until it returns: compiled code where there is some, the blackhole in between. What a
    /// call_assembler does when it cannot simply run its target, and the tracer when it records one.
    /// </summary>
    public PortalOutcome RunUntilReturn(PortalRuntime portal, JitFrame frame)
    {
        while (true)
        {
            var cell = CellAt(portal, frame);
            if (cell.State == JitCellState.Compiled)
            {
                var o = RunCompiled(portal, (LoopEntry)cell.CompiledLoop!, frame);
                if (o.HasReturned) return o;
                if (!ReferenceEquals(o.Frame, frame))
                {
                    frame = o.Frame!;
                    continue;
                }
            }
            var r = Blackhole.Run(frame, stopAtMergePoint: true);
            if (r.HasReturned) return PortalOutcome.From(r);
            frame = r.Frame!;
        }
    }

    /// <summary>
    /// A call_assembler from compiled code: the callee's inputs (reds, then its vable's slots) are in
    /// <paramref name="args"/> (from <see cref="Frames"/>). Runs the target's compiled code directly when it
    /// has some for these lengths; otherwise writes the vable's slots to the object and runs the invocation
    /// from its merge point (<see cref="RunUntilReturn"/>).
    /// </summary>
    public PortalOutcome CallAssembler(CallAssemblerSite site, DeadFrame args)
    {
        var portal = site.Portal;
        if (site.Cell.State == JitCellState.Compiled && site.Cell.CompiledLoop is LoopEntry entry && site.Accepts(entry))
        {
            // The target's code runs here rather than through RunFrom: most calls of a recursive program just
            // return, and the runner's layers then cost as much as the call's own work. (CompiledLoopRunner.Enter
            // and RunFrom's finish are written out here: as calls they cost fib 3-5%.)
            Stats.CountLoopEntry();
            var compiled = entry.Compiled;
            var (ni, nf, nr) = compiled.FrameSize;
            args.EnsureCapacity(ni, nf, nr);
            args.Exception = null;
            int code = compiled.Execute(args, entry.Token.EntryIndex);
            if (code == ExitCodes.Finish)
            {
                var returned = Finished(portal, args);
                GiveBack(args);
                if (_backend.HasHotTrees) CompileHotTrees();
                return returned;
            }
            var o = RunFrom(portal, entry, args, CompiledLoopRunner.After(compiled, args, code, this));
            return o.HasReturned ? o : RunUntilReturn(portal, o.Frame!);
        }
        var frame = site.MergePointFrame(args);
        GiveBack(args);
        return RunUntilReturn(portal, frame);
    }

    /// <inheritdoc/>
    public PortalOutcome AfterDirectCall(PortalRuntime portal, DeadFrame args, int code, ICompiledTrace ran)
    {
        var o = RunFrom(portal, null, args, CompiledLoopRunner.After(ran, args, code, this));
        return o.HasReturned ? o : RunUntilReturn(portal, o.Frame!);
    }

    /// <summary>Compiled code ran into finish: the portal returned the value finish stored (first slot of its kind).</summary>
    private static PortalOutcome Finished(PortalRuntime portal, DeadFrame dead) => portal.ReturnKind switch
    {
        ValueKind.Int => new PortalOutcome(true, ValueKind.Int, dead.Ints[0], 0, null, null),
        ValueKind.Float => new PortalOutcome(true, ValueKind.Float, 0, dead.Floats[0], null, null),
        ValueKind.Ref => new PortalOutcome(true, ValueKind.Ref, 0, 0, dead.Refs[0], null),
        _ => new PortalOutcome(true, ValueKind.Void, 0, 0, null, null),
    };

    private static object? VableAt(PortalRuntime portal, JitFrame frame, int[] mergeArgs) =>
        portal.Vable == null ? null : frame.R[Reg.Decode(mergeArgs[portal.GreenCount + portal.Vable.RedIndex]).Index];

    /// <inheritdoc/>
    public bool HasHotTrees => _backend.HasHotTrees || HasFinishedTraces;

    /// <summary>Lets the backend recompile loops whose bridges run often together with them (trace trees), and
    /// counts and logs them.</summary>
    public void CompileHotTrees()
    {
        InstallFinishedTraces();
        if (!_backend.HasHotTrees) return;
        long start = Stopwatch.GetTimestamp();
        var backgroundBefore = _backend.BackgroundCompileTime;
        var trees = _backend.CompileHotTrees();
        // The engine's own time (planning, emitting, installing) and the background's for the trees installed now.
        var background = _backend.BackgroundCompileTime - backgroundBefore;
        var time = JitStatistics.Since(start) + background;
        Stats.TreeCompilingTime += time;
        Stats.CompilingTime += time;
        Stats.BackgroundCompilingTime += background;
        Stats.MachineCodeTime = _backend.MachineCodeTime;
        Stats.TreesCompiled += trees.Count;
        foreach (var root in trees) LogCode(root, "tree");
    }

    /// <summary>Traces from a failing guard (executing for real) and attaches the bridge when it reaches a loop.</summary>
    private PortalOutcome TraceBridge(PortalRuntime portal, ICompiledTrace from, int guardIndex, ResumeData data, object?[] values)
    {
        var guard = from.Trace.Guards[guardIndex];
        var top = ResumeReader.Rebuild(data, values, out var vable, out var builtVirtuals);
        var inputs = guard.FailArgs!.Select(v => new InputArg(v.Kind)).ToList();
        var boxes = ResumeReader.Boxes(data, top, inputs);
        // A bridge's quasi-immutable reads make its loop depend on them (bridges die with their loop).
        var dependency = _dependencies.GetValueOrDefault(from.Loop) ?? new LoopDependency(Stats, _engine.Log);
        var tracer = new Tracer(_engine, portal, dependency);
        long start = Stopwatch.GetTimestamp();
        TraceOutcome outcome;
        _tracing = true;
        try
        {
            outcome = tracer.TraceBridge(top, boxes, inputs, data, vable, _loopCells.GetValueOrDefault(from.Loop), builtVirtuals);
        }
        finally
        {
            _tracing = false;
            Stats.TracingTime += JitStatistics.Since(start);
            Stats.OpsRecorded += tracer.OpsRecorded;
        }
        data.Failures = 0;
        data.BridgeWaitsFor = outcome.AbortWaitsFor;
        if (outcome.End == TraceEnd.Aborted)
        {
            if (outcome.AbortIsFinal) data.BridgeAttempts = int.MaxValue;
            else if (!outcome.AbortIsRetry || ++data.BridgeRetries > MaxBridgeRetries) data.BridgeAttempts++;
            Stats.Abort("bridge: " + outcome.AbortReason);
            return ContinueOnBlackhole(portal, outcome.Top, outcome.PendingException);
        }
        var optimized = Optimize(outcome.Trace!, "bridge", t => TraceOptimizer.OptimizeBridge(t, guard, OptimizerOptions.FromParams()));
        if (_backgroundTraces)
        {
            // The guard goes on failing into the blackhole, without tracing again, until the bridge is attached.
            if (!Start(() => _backend.StartBridge(from, guardIndex, optimized), data)) data.BridgeAttempts = int.MaxValue;
        }
        else if (Compile(optimized, "bridge", t => _backend.CompileBridge(from, guardIndex, t)) == null) data.BridgeAttempts = int.MaxValue;
        else BridgeCompiled();
        if (outcome.End == TraceEnd.Finished) return outcome.Returned;
        return new PortalOutcome(false, ValueKind.Void, 0, 0, null, outcome.Top);
    }

    /// <summary>After an abort: the real state is in the frames; the blackhole runs it to the next merge point.</summary>
    private PortalOutcome ContinueOnBlackhole(PortalRuntime portal, JitFrame top, Exception? pending)
    {
        var result = Blackhole.Run(top, stopAtMergePoint: true, pending);
        if (result.HasReturned) Stats.BlackholeRuns++;
        return PortalOutcome.From(result);
    }
}
