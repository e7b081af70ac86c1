using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace MetaJit.Engine.Backend.Cil;

/// <summary>
/// One trace tree between its IL and its installation (CilBackend.Trees.cs): the emitter holds the finished IL,
/// <see cref="CompileMachineCode"/> has RyuJIT compile it (on any thread: it touches only the DynamicMethods and
/// <see cref="Context"/>, which nothing else changes), and the engine's thread installs <see cref="Code"/> into
/// <see cref="Root"/>. A failure to compile is kept and rethrown at installation, where a tree compiled at once
/// would have thrown.
/// </summary>
internal sealed class TreeJob(CilCompiledTrace root, CilEmitter emitter, CilTraceContext context, int bridges, int ops,
    int bridgesAttached, int generation, TimeSpan emitTime)
{
    /// <summary>The loop the tree replaces the code of.</summary>
    public CilCompiledTrace Root { get; } = root;

    /// <summary>The tree's method, emitted.</summary>
    public CilEmitter Emitter { get; } = emitter;

    /// <summary>The object the tree's method is closed over.</summary>
    public CilTraceContext Context { get; } = context;

    /// <summary>Bridges compiled into the tree.</summary>
    public int Bridges { get; } = bridges;

    /// <summary>Ops of the loop and those bridges.</summary>
    public int Ops { get; } = ops;

    /// <summary>Bridges hanging from the loop when the tree was planned (those attached since are new to the next tree).</summary>
    public int BridgesAttached { get; } = bridgesAttached;

    /// <summary>The loop's <see cref="CilCompiledTrace.TreeCompilations"/> when the tree was planned: a tree installed
    /// since then is newer than this one.</summary>
    public int Generation { get; } = generation;

    /// <summary>Time spent planning and emitting the IL (on the engine's thread).</summary>
    public TimeSpan EmitTime { get; } = emitTime;

    /// <summary>The compiled method, closed over <see cref="Context"/>; null until compiled, or if compiling failed.</summary>
    public CilCompiledTrace.PieceCode? Code { get; private set; }

    /// <summary>What compiling threw, if it did.</summary>
    public ExceptionDispatchInfo? Failure { get; private set; }

    /// <summary>Time RyuJIT took.</summary>
    public TimeSpan MachineCodeTime { get; private set; }

    /// <summary>Has RyuJIT compile the tree's method now (entry -1 returns at once, so the call only compiles it).</summary>
    public void CompileMachineCode()
    {
        var clock = Stopwatch.StartNew();
        try
        {
            var code = Emitter.CreateDelegate(Context);
            code(null!, -1);
            Code = code;
        }
        catch (Exception e)
        {
            Failure = ExceptionDispatchInfo.Capture(e);
        }
        MachineCodeTime = clock.Elapsed;
    }
}
