using MetaJit.Engine.Trace;

namespace MetaJit.Engine.Backend.Cil;

/// <summary>
/// A loop or bridge between its IL and its installation (<see cref="CilBackend"/>): the emitters hold the finished
/// pieces, <see cref="MachineCodeJob.CompileMachineCode"/> has RyuJIT compile them, and <see cref="Install"/> (on the
/// engine's thread) makes the <see cref="CilCompiledTrace"/>: label entries set, a bridge attached to its guard.
/// </summary>
internal sealed class TraceJob(CilBackend backend, TreeLoop trace, CilCompiledTrace? loop, CilCompiledTrace? owner, int guardIndex,
    List<CilEmitter> emitters, CilTraceContext context, (int, int)[] labelEntries, (int, int, int) frameSize,
    List<string> il, TimeSpan emitTime) : MachineCodeJob(emitTime), IPendingTrace
{
    private CilCompiledTrace.PieceCode[]? _codes;
    private CilCompiledTrace? _installed;

    /// <inheritdoc/>
    public TreeLoop Trace { get; } = trace;

    /// <inheritdoc/>
    public object? Tag { get; set; }

    /// <summary>For a bridge: the trace holding its guard.</summary>
    public CilCompiledTrace? Owner { get; } = owner;

    /// <inheritdoc/>
    protected override void Compile()
    {
        var codes = new CilCompiledTrace.PieceCode[emitters.Count];
        for (int k = 0; k < codes.Length; k++)
        {
            codes[k] = emitters[k].CreateDelegate(context);
            codes[k](null!, -1);
        }
        _codes = codes;
    }

    /// <inheritdoc/>
    public ICompiledTrace Install()
    {
        if (_installed != null) return _installed;
        Failure?.Throw();
        var compiled = new CilCompiledTrace(backend, Trace, loop, context, _codes!, labelEntries, frameSize, il);
        int entry = 1;
        foreach (var label in Trace.Labels)
        {
            var token = (TargetToken)label.Descr!;
            token.CompiledTrace = compiled;
            token.EntryIndex = entry++;
        }
        compiled.CompileTime = EmitTime + MachineCodeTime;
        Owner?.Attach(guardIndex, compiled);
        backend.Installed(this, compiled, InBackground);
        return _installed = compiled;
    }
}
