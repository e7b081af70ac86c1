namespace MetaJit.Engine.Backend.Cil;

/// <summary>
/// One trace tree between its IL and its installation (CilBackend.Trees.cs): the emitter holds the finished IL,
/// <see cref="MachineCodeJob.CompileMachineCode"/> has RyuJIT compile it, and the engine's thread installs
/// <see cref="Code"/> into <see cref="Root"/>.
/// </summary>
internal sealed class TreeJob(CilCompiledTrace root, CilEmitter emitter, CilTraceContext context, int bridges, int ops,
    int bridgesAttached, int generation, TimeSpan emitTime, System.Reflection.Emit.DynamicMethod? frameless) : MachineCodeJob(emitTime)
{
    /// <summary>The loop the tree replaces the code of.</summary>
    public CilCompiledTrace Root { get; } = root;

    /// <summary>The tree's method, emitted.</summary>
    public CilEmitter Emitter { get; } = emitter;

    /// <summary>Bridges compiled into the tree.</summary>
    public int Bridges { get; } = bridges;

    /// <summary>Ops of the loop and those bridges.</summary>
    public int Ops { get; } = ops;

    /// <summary>Bridges hanging from the loop when the tree was planned (those attached since are new to the next tree).</summary>
    public int BridgesAttached { get; } = bridgesAttached;

    /// <summary>The loop's <see cref="CilCompiledTrace.TreeCompilations"/> when the tree was planned: a tree installed
    /// since then is newer than this one.</summary>
    public int Generation { get; } = generation;

    /// <summary>The compiled method, closed over the tree's context; null until compiled, or if compiling failed.</summary>
    public CilCompiledTrace.PieceCode? Code { get; private set; }

    /// <summary>The tree's context when other traces may call its labels without a frame (its frameless wrapper made);
    /// null otherwise.</summary>
    public CilTraceContext? FramelessContext { get; private set; }

    /// <inheritdoc/>
    protected override void Compile()
    {
        var code = Emitter.CreateDelegate(context);
        code(null!, -1);
        Code = code;
        if (frameless == null) return;
        context.Frameless = (FramelessCode)frameless.CreateDelegate(typeof(FramelessCode));
        FramelessContext = context;
    }
}
