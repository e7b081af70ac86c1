using MetaJit.Engine.Trace;

namespace MetaJit.Engine.Backend.Cil;

/// <summary>
/// A trace compiled by the <see cref="CilBackend"/>: one delegate per piece (usually one), run in sequence
/// when a piece ends with a continuation, plus the bridges attached to its guards.
/// </summary>
public sealed class CilCompiledTrace : ICompiledTrace
{
    /// <summary>A piece's code: <c>int Run(DeadFrame frame, int entry)</c>, closed over the trace's context.</summary>
    internal delegate int PieceCode(DeadFrame frame, int entry);

    /// <summary>Returned by a piece that ends before the trace does: the next piece continues.</summary>
    internal const int Continue = -3;

    private readonly PieceCode[] _pieces;
    private readonly (int Piece, int Entry)[] _labelEntries;
    private readonly ICompiledTrace?[] _bridges;
    private readonly List<CilCompiledTrace> _allBridges = new();

    internal CilCompiledTrace(TreeLoop trace, ICompiledTrace? loop, CilTraceContext context, PieceCode[] pieces,
        (int, int)[] labelEntries, (int, int, int) frameSize, IReadOnlyList<string> il)
    {
        Trace = trace;
        Loop = loop ?? this;
        Context = context;
        _pieces = pieces;
        _labelEntries = labelEntries;
        _bridges = new ICompiledTrace?[trace.Guards.Count];
        FrameSize = frameSize;
        IL = il;
    }

    /// <inheritdoc/>
    public TreeLoop Trace { get; }

    /// <inheritdoc/>
    public ICompiledTrace Loop { get; }

    /// <inheritdoc/>
    public (int Ints, int Floats, int Refs) FrameSize { get; }

    /// <summary>Number of DynamicMethods the trace was split into.</summary>
    public int PieceCount => _pieces.Length;

    /// <summary>The IL of each piece, one instruction per line (empty unless <see cref="CilBackend.KeepIL"/>).</summary>
    public IReadOnlyList<string> IL { get; }

    /// <summary>Time spent emitting IL and compiling it with RyuJIT.</summary>
    public TimeSpan CompileTime { get; internal set; }

    internal CilTraceContext Context { get; }

    /// <inheritdoc/>
    public int Execute(DeadFrame frame, int entry)
    {
        var (piece, local) = entry == 0 ? (0, 0) : _labelEntries[entry - 1];
        while (true)
        {
            int code = _pieces[piece](frame, local);
            if (code == Continue)
            {
                piece++;
                local = 0;
            }
            else if (code == ExitCodes.Jump && frame.JumpTarget!.CompiledTrace == this)
            {
                (piece, local) = _labelEntries[frame.JumpTarget.EntryIndex - 1];
                frame.JumpTarget = null;
            }
            else
            {
                return code;
            }
        }
    }

    /// <inheritdoc/>
    public ICompiledTrace? GetBridge(int guardIndex) => _bridges[guardIndex];

    internal void Attach(int guardIndex, CilCompiledTrace bridge)
    {
        _bridges[guardIndex] = bridge;
        _allBridges.Add(bridge);
        if (Context.Invalidated) bridge.Invalidate();
    }

    /// <inheritdoc/>
    public void Invalidate()
    {
        Context.Invalidated = true;
        foreach (var b in _allBridges) b.Invalidate();
    }
}
