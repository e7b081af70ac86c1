using MetaJit.Engine.Backend;
using MetaJit.Engine.Backend.Cil;
using MetaJit.Engine.Descriptors;
using MetaJit.Engine.JitCodes;
using MetaJit.Engine.Optimizer;
using MetaJit.Engine.Resume;
using MetaJit.Engine.Trace;

namespace MetaJit.Engine.Tracing;

/// <summary>
/// Runs the optimizer and the CIL backend once over a small synthetic loop and bridge, on a background
/// thread, while the interpreter starts. The first real trace otherwise pays for the runtime's first use of
/// that code (tier-0 compiles of generic instantiations, ReadyToRun fixups, type loads): ~15 ms for the
/// optimizer alone. Nothing it does is visible: its own backend, its own objects, no statistics.
/// </summary>
internal static class JitWarmup
{
    private static int _started;

    /// <summary>The warm-up's thread, once started.</summary>
    internal static Thread? Thread { get; private set; }

    /// <summary>What stopped the warm-up, if it failed (it fails quietly: it only costs the time it would have saved).</summary>
    internal static Exception? Failure { get; private set; }

    /// <summary>Starts the warm-up once per process (later calls do nothing).</summary>
    public static void Start()
    {
        if (Interlocked.Exchange(ref _started, 1) != 0) return;
        var thread = new Thread(RunQuietly) { IsBackground = true, Name = "metajit warm-up", Priority = ThreadPriority.BelowNormal };
        Thread = thread;
        thread.Start();
    }

    private static void RunQuietly()
    {
        try { Run(); }
        catch (Exception e) { Failure = e; }
    }

    /// <summary>The object the synthetic trace reads and writes.</summary>
    private sealed class Cell
    {
        public long Count = 1;
        public double Sum = 0.5;
        public long[] Items = new long[4];
    }

    private static long Bump(long x) => x + 1;

    /// <summary>A loop over the op families every interpreter's traces have: field and array access, an
    /// allocation the optimizer removes, overflow and class checks, a residual call with its exception guard.</summary>
    private static TreeLoop Loop(WarmupDescrs d)
    {
        var (p0, i1, f2) = (new InputArg(ValueKind.Ref), new InputArg(ValueKind.Int), new InputArg(ValueKind.Float));
        var start = new TargetToken("warm-up");
        var ops = new List<ResOperation>();
        ResOperation Op(OpNum num, Value[] args, Descr? descr = null, Value[]? failArgs = null)
        {
            var op = new ResOperation(num, args, descr, failArgs);
            ops.Add(op);
            return op;
        }
        Op(OpNum.Label, [p0, i1, f2], start);
        var i3 = Op(OpNum.GetfieldGcI, [p0], d.Count);
        var i4 = Op(OpNum.IntAddOvf, [i3, i1]);
        Op(OpNum.GuardNoOverflow, [], null, [p0, i1, f2]);
        Op(OpNum.SetfieldGc, [p0, i4], d.Count);
        var p5 = Op(OpNum.NewWithVtable, [], d.CellType);
        Op(OpNum.SetfieldGc, [p5, i4], d.Count);
        Op(OpNum.SetfieldGc, [p5, f2], d.Sum);
        var f6 = Op(OpNum.GetfieldGcF, [p5], d.Sum);
        var f7 = Op(OpNum.FloatAdd, [f6, new ConstFloat(1.5)]);
        var p8 = Op(OpNum.GetfieldGcR, [p0], d.Items);
        Op(OpNum.GuardNonnullClass, [p8, new ConstPtr(typeof(long[]))], d.LongsType, [p0, i4, f7, p5]);
        var i9 = Op(OpNum.ArraylenGc, [p8], d.Longs);
        var i10 = Op(OpNum.IntAnd, [i4, new ConstInt(3)]);
        var i11 = Op(OpNum.UintLt, [i10, i9]);
        Op(OpNum.GuardTrue, [i11], null, [p0, i4, f7, p5]);
        var i12 = Op(OpNum.GetarrayitemGcI, [p8, i10], d.Longs);
        var i13 = Op(OpNum.IntAdd, [i12, new ConstInt(1)]);
        Op(OpNum.SetarrayitemGc, [p8, i10, i13], d.Longs);
        var i14 = Op(OpNum.CallI, [i13], d.Bump);
        Op(OpNum.GuardNoException, [], null, [p0, i4, f7, p5]);
        var i15 = Op(OpNum.IntLt, [i4, new ConstInt(1_000)]);
        Op(OpNum.GuardTrue, [i15], null, [p0, i4, f7, p5]);
        Op(OpNum.Jump, [p0, i14, f7], start);
        return new TreeLoop([p0, i1, f2], ops, "warm-up loop");
    }

    /// <summary>A bridge from the loop's last guard (inputs: its fail args; the cell may arrive virtual).</summary>
    private static TreeLoop Bridge(WarmupDescrs d, Value[] failArgs)
    {
        var inputs = failArgs.Select(a => new InputArg(a.Kind)).ToArray();
        var p3 = inputs.FirstOrDefault(a => a.Kind == ValueKind.Ref && !ReferenceEquals(a, inputs[0])) ?? inputs[0];
        var i4 = new ResOperation(OpNum.GetfieldGcI, [p3], d.Count);
        var i5 = new ResOperation(OpNum.IntSub, i4, new ConstInt(1));
        var f6 = new ResOperation(OpNum.CastIntToFloat, i5);
        var f7 = new ResOperation(OpNum.FloatMul, f6, new ConstFloat(0.5));
        var finish = new ResOperation(OpNum.Finish, [i5, f7], new NamedDescr("warm-up done"));
        return new TreeLoop(inputs, [i4, i5, f6, f7, finish], "warm-up bridge");
    }

    private sealed class WarmupDescrs
    {
        public readonly FieldDescr Count = Descrs.Field(typeof(Cell).GetField(nameof(Cell.Count))!);
        public readonly FieldDescr Sum = Descrs.Field(typeof(Cell).GetField(nameof(Cell.Sum))!);
        public readonly FieldDescr Items = Descrs.Field(typeof(Cell).GetField(nameof(Cell.Items))!);
        public readonly ArrayDescr Longs = Descrs.Array(typeof(long));
        public readonly TypeDescr CellType = Descrs.Type(typeof(Cell));
        public readonly TypeDescr LongsType = Descrs.Type(typeof(long[]));
        public readonly CallDescr Bump = Descrs.Call(BumpMethod);
    }

    private static readonly System.Reflection.MethodInfo BumpMethod =
        typeof(JitWarmup).GetMethod(nameof(Bump), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!;

    /// <summary>Does the warm-up's work on the calling thread; returns what the compiled loop and its bridge
    /// computed (for tests: the warm-up must run the real pipeline to the end, or it warms nothing).</summary>
    internal static (long Count, double Scaled) Run()
    {
        var code = new JitCode(BumpMethod, "warm-up");
        var d = new WarmupDescrs();
        var optimized = TraceOptimizer.OptimizeLoop(Resumable(Loop(d), code), OptimizerOptions.All);
        var backend = new CilBackend();
        var compiled = backend.CompileLoop(optimized);
        var guard = optimized.Guards.Last();
        var bridge = TraceOptimizer.OptimizeBridge(Resumable(Bridge(d, guard.FailArgs!), code), guard, OptimizerOptions.All);
        backend.CompileBridge(compiled, guard.GuardIndex, bridge);
        var outcome = CompiledLoopRunner.Run(compiled, DeadFrame.For(compiled, new Cell(), 1L, 0.5));
        var values = outcome.Values;
        return ((long)values[0]!, (double)values[1]!);
    }

    private static TreeLoop Resumable(TreeLoop trace, JitCode code)
    {
        int pc = 0;
        foreach (var g in trace.Guards)
        {
            var slots = Enumerable.Range(0, g.FailArgs!.Length).ToArray();
            g.ResumeData = new ResumeData([new ResumeFrame(code, pc++, slots, slots)], [], false);
        }
        return trace;
    }
}
