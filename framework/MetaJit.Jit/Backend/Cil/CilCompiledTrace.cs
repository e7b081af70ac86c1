using MetaJit.Engine.Descriptors;
using MetaJit.Engine.Trace;

namespace MetaJit.Engine.Backend.Cil;

/// <summary>
/// A trace compiled by the <see cref="CilBackend"/>: one delegate per piece (usually one), run in sequence
/// when a piece ends with a continuation, plus the bridges attached to its guards. A loop whose bridges run
/// often gets its code replaced by a tree method (the loop with its bridges inside, CilEmitter.Tree.cs);
/// code already running keeps running, and the guard indexes, resume data and bridge objects stay the same.
/// </summary>
public sealed class CilCompiledTrace : ICompiledTrace
{
    /// <summary>A piece's code: <c>int Run(DeadFrame frame, int entry)</c>, closed over the trace's context.</summary>
    internal delegate int PieceCode(DeadFrame frame, int entry);

    /// <summary>Returned by a piece that ends before the trace does: the next piece continues.</summary>
    internal const int Continue = -3;

    private readonly PieceCode[] _pieces;
    private readonly CilBackend _backend;
    private readonly CilCompiledTrace _root;
    private readonly (int Piece, int Entry)[] _labelEntries;
    private readonly CilCompiledTrace?[] _bridges;
    private readonly List<CilCompiledTrace> _allBridges = new();

    internal CilCompiledTrace(CilBackend backend, TreeLoop trace, CilCompiledTrace? loop, CilTraceContext context, PieceCode[] pieces,
        (int, int)[] labelEntries, (int, int, int) frameSize, IReadOnlyList<string> il)
    {
        _backend = backend;
        Trace = trace;
        _root = loop ?? this;
        Loop = _root;
        Context = context;
        _pieces = pieces;
        _labelEntries = labelEntries;
        _bridges = new CilCompiledTrace?[trace.Guards.Count];
        FrameSize = frameSize;
        IL = il;
    }

    /// <inheritdoc/>
    public TreeLoop Trace { get; }

    /// <inheritdoc/>
    public ICompiledTrace Loop { get; }

    /// <inheritdoc/>
    public (int Ints, int Floats, int Refs) FrameSize { get; private set; }

    /// <summary>Number of DynamicMethods the trace was split into.</summary>
    public int PieceCount => _pieces.Length;

    /// <summary>The IL of each piece, one instruction per line (empty unless <see cref="CilBackend.KeepIL"/>).</summary>
    public IReadOnlyList<string> IL { get; private set; }

    /// <inheritdoc/>
    public IReadOnlyList<string> CodeListing => IL;

    /// <summary>Bridges compiled into this loop's code (0 until the loop is compiled as a tree).</summary>
    public int BridgesInTree { get; private set; }

    /// <summary>Times this loop was compiled as a tree with its bridges.</summary>
    public int TreeCompilations { get; private set; }

    /// <summary>Time spent emitting IL and compiling it with RyuJIT.</summary>
    public TimeSpan CompileTime { get; internal set; }

    internal CilTraceContext Context { get; }

    /// <summary>The context of the installed tree when its labels have frameless entries (CilEmitter.FramelessCalls.cs),
    /// through which other traces call it without a frame; null otherwise.</summary>
    public CilTraceContext? FramelessContext { get; private set; }

    /// <inheritdoc/>
    public int Execute(DeadFrame frame, int entry)
    {
        var (piece, local) = entry == 0 ? (0, 0) : _labelEntries[entry - 1];
        return Settle(frame, piece, _pieces[piece](frame, local));
    }

    /// <summary>
    /// A direct call of this trace from other compiled code (a call_assembler whose target is one of its labels,
    /// CilEmitter.DirectCalls.cs): runs it from <paramref name="entry"/> on <paramref name="frame"/>, which holds the
    /// arguments, as <see cref="CompiledLoopRunner.Enter"/> does (frame sized, exception cleared, <see cref="Execute"/>); what the
    /// code throws goes to <paramref name="descr"/>'s <see cref="CallAssemblerDescr.Raised"/> and returns
    /// <see cref="ExitCodes.Raised"/>. Code invalidated since the caller was compiled is not run:
    /// <see cref="ExitCodes.NotRun"/>.
    /// </summary>
    public int CallDirect(DeadFrame frame, int entry, CallAssemblerDescr descr)
    {
        descr.DirectEntries++;
        if (Context.Invalidated) return ExitCodes.NotRun;
        try
        {
            return CompiledLoopRunner.Enter(this, frame, entry);
        }
        catch (Exception e)
        {
            descr.Raised = e;
            return ExitCodes.Raised;
        }
    }

    /// <summary>What <see cref="Execute"/> returns once piece <paramref name="piece"/> returned <paramref name="code"/>:
    /// later pieces and jumps to this trace's own labels run, exits of bridges in the tree are reported as theirs.
    /// Also after a direct call of the tree's method (<see cref="DirectCallWrapper"/>).</summary>
    public int Settle(DeadFrame frame, int piece, int code)
    {
        while (true)
        {
            int local;
            if (code >= _ownGuards)
            {
                // A guard of a bridge compiled into this loop's tree failed: report it as that bridge's.
                var (owner, guard) = _treeExits[code - _ownGuards];
                frame.ExitOwner = owner;
                return guard;
            }
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
            code = _pieces[piece](frame, local);
        }
    }

    /// <inheritdoc/>
    public ICompiledTrace? GetBridge(int guardIndex)
    {
        var bridge = _bridges[guardIndex];
        if (bridge != null)
        {
            bridge.Runs++;
            if (++_root._heat == _root._heatToRecompile) _backend.TreeIsHot(_root);
        }
        return bridge;
    }

    internal void Attach(int guardIndex, CilCompiledTrace bridge)
    {
        _bridges[guardIndex] = bridge;
        _allBridges.Add(bridge);
        _root._bridgesAttached++;
        _root._heat = 0; // the tree changed: wait until it has run as much again (bridges stopped changing)
        if (Context.Invalidated) bridge.Invalidate();
    }

    // ---- trees (CilBackend.CompileTree) ----

    private int _ownGuards = int.MaxValue; // codes at or above are exits of bridges in the tree (set by InstallTree)
    private readonly List<(CilCompiledTrace Owner, int Guard)> _treeExits = new();
    private readonly Dictionary<ResOperation, int> _treeExitCodes = new(ReferenceEqualityComparer.Instance);
    private int _heat;                        // bridge runs of this tree since its code last changed
    private int _heatToRecompile = int.MaxValue;
    private int _bridgesAttached;             // bridges in the tree hanging from this root, compiled in or not
    private int _bridgesAtLastTree;

    /// <summary>Times a runner took this bridge (for choosing which bridges go into the tree first).</summary>
    internal long Runs { get; private set; }

    internal int BridgesAttached => _bridgesAttached;

    internal bool HasNewBridges => _bridgesAttached > _bridgesAtLastTree;

    /// <summary>Bridge runs of this loop's tree since its code last changed.</summary>
    internal int Heat => _heat;

    /// <summary>Tells the backend when the bridge runs reach <paramref name="heat"/> (counted from 0 with <paramref name="resetHeat"/>).</summary>
    internal void ArmTree(int heat, bool resetHeat = true)
    {
        if (resetHeat) _heat = 0;
        _heatToRecompile = Math.Max(_heat + 1, heat);
    }

    internal ICompiledTrace? BridgeAt(int guardIndex) => _bridges[guardIndex];


    /// <summary>
    /// The exit code the tree code returns for <paramref name="guard"/> of the bridge <paramref name="owner"/>:
    /// fixed once given, so code of an older tree still running reports its exits right.
    /// </summary>
    internal int TreeExitCode(CilCompiledTrace owner, ResOperation guard)
    {
        if (_treeExitCodes.TryGetValue(guard, out int code)) return code;
        code = Trace.Guards.Count + _treeExits.Count;
        _treeExits.Add((owner, guard.GuardIndex));
        _treeExitCodes[guard] = code;
        return code;
    }

    /// <summary>A tree of this loop is being compiled in the background (<see cref="CilBackend.BackgroundTrees"/>).</summary>
    internal bool TreePending { get; set; }

    /// <summary>Runs <paramref name="code"/> (the loop and <paramref name="bridges"/> bridges in one method) from now
    /// on; <paramref name="bridgesAttached"/>: how many bridges hung from the loop when the tree was planned.</summary>
    internal void InstallTree(PieceCode code, (int, int, int) frameSize, int bridges, int bridgesAttached, IReadOnlyList<string> il,
        CilTraceContext? frameless)
    {
        FramelessContext = frameless;
        _ownGuards = Trace.Guards.Count;
        FrameSize = (Math.Max(FrameSize.Ints, frameSize.Item1), Math.Max(FrameSize.Floats, frameSize.Item2), Math.Max(FrameSize.Refs, frameSize.Item3));
        _pieces[0] = code;
        BridgesInTree = bridges;
        TreeCompilations++;
        _bridgesAtLastTree = bridgesAttached;
        if (il.Count > 0) IL = il;
    }

    /// <inheritdoc/>
    public void Invalidate()
    {
        Context.Invalidated = true;
        foreach (var b in _allBridges) b.Invalidate();
    }
}
