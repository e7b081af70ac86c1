using MetaJit.Engine.Descriptors;
using MetaJit.Engine.Execution;
using MetaJit.Engine.JitCodes;

namespace MetaJit.Engine.Runtime;

/// <summary>
/// The engine's state for one portal: its JitCode and merge point, the cells of its green keys, and the
/// decisions CanEnterJit makes for it. Warm-up lives here (<see cref="IsHot"/>); what happens to a hot key
/// (blackhole run, tracing, running compiled code) is <see cref="Enter"/>.
/// </summary>
public sealed class PortalRuntime
{
    private readonly JitEngine _engine;

    internal PortalRuntime(JitEngine engine, PortalDescr portal)
    {
        _engine = engine;
        Portal = portal;
        GreenCount = portal.GreenNames.Length;
        Cells = new JitCellTable(portal.GreenKinds);
    }

    // The JitCode and the virtualizable are taken at the first hot key, not here: counting needs only the greens'
    // kinds, a set read from disk decodes its JitCodes when the first is asked for (JitCodeSet), and reading the
    // [Virtualizable] attribute is the runtime's first use of that reflection (~5 ms), which a program that never
    // gets hot should not pay for.
    private JitCode? _code;
    private int[]? _mergePointRegs;
    private ValueKind _returnKind;

    private JitCode LoadCode()
    {
        var deferred = Portal.DeferredIn is { CodesLoaded: false } set ? set : null;
        var code = Portal.JitCode ?? throw new InvalidOperationException($"Portal {Portal.Name} has no JitCode.");
        if (deferred != null)
            _engine.Log($"read the JitCodes of {Portal.Name}'s interpreter at its first hot key in {deferred.DeferredLoadTime?.TotalMilliseconds:F1} ms");
        var mergePoint = code.Code[Portal.MergePointPc];
        if (mergePoint.Op != JitOpcode.JitMergePoint)
            throw new InvalidOperationException($"Portal {Portal.Name}: pc {Portal.MergePointPc} is not its jit_merge_point.");
        var regs = mergePoint.Args!;
        for (int k = 0; k < GreenCount; k++)
            if (Reg.Decode(regs[k]).Kind != Portal.GreenKinds[k])
                throw new InvalidOperationException($"Portal {Portal.Name}: green '{Portal.GreenNames[k]}' is a {Portal.GreenKinds[k]} but its merge point register is not.");
        _ = Vable; // a wrong [Virtualizable] is reported here, at the first hot key, before any tracing
        _returnKind = code.Method is System.Reflection.MethodInfo mi ? ValueKinds.Of(mi.ReturnType) : ValueKind.Void;
        _mergePointRegs = regs;
        _code = code;
        return code;
    }

    /// <summary>The kind of the portal's result (what a trace's finish holds).</summary>
    internal ValueKind ReturnKind
    {
        get
        {
            if (_code == null) LoadCode();
            return _returnKind;
        }
    }

    /// <summary>The portal's virtualizable red, if a red's type is <c>[Virtualizable]</c>.</summary>
    public VirtualizableInfo? Vable
    {
        get
        {
            if (!_vableRead)
            {
                _vable = VirtualizableInfo.For(Portal);
                _vableRead = true;
            }
            return _vable;
        }
    }

    private VirtualizableInfo? _vable;
    private bool _vableRead;

    /// <summary>The portal.</summary>
    public PortalDescr Portal { get; }

    /// <summary>The portal's JitCode.</summary>
    public JitCode Code => _code ?? LoadCode();

    internal readonly int GreenCount;

    /// <summary>The registers of the greens then reds at the portal's merge point.</summary>
    internal int[] MergePointRegs
    {
        get
        {
            if (_code == null) LoadCode();
            return _mergePointRegs!;
        }
    }
    internal readonly JitCellTable Cells;

    /// <summary>The cells seen so far (for tests and logs).</summary>
    public IEnumerable<JitCell> AllCells => Cells.Cells;

    /// <summary>The interpreter's printable location of <paramref name="cell"/>'s key (the driver's
    /// <c>printableLocation</c>; a failing one is reported in the text, not thrown).</summary>
    public string Location(JitCell cell)
    {
        var greens = new object?[GreenCount];
        var types = Portal.ValueTypes;
        for (int k = 0; k < greens.Length; k++)
        {
            var kind = Portal.GreenKinds[k];
            greens[k] = kind switch
            {
                ValueKind.Int => BoxOps.Box(cell.GreenInts[k], types[k]),
                ValueKind.Float => BoxOps.BoxFloat(cell.GreenFloats[k], types[k]),
                _ => cell.GreenRefs[k],
            };
        }
        try
        {
            return Portal.Driver.GetPrintableLocation(greens);
        }
        catch (Exception e)
        {
            return "<printable location failed: " + e.GetType().Name + ">";
        }
    }

    /// <summary>True when the engine wants to act at this key now (counts the jump otherwise). Runs at every
    /// backward jump of the interpreter, so the common case, a key counting far from its threshold, is a few
    /// loads and stores inlined into the hook (<see cref="JitCell.QuietJumps"/>); the rest is <see cref="Decide"/>.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    internal bool IsHot(JitCell cell)
    {
        cell.Jumps++;
        if (cell.QuietJumps > 0 && cell.QuietEpoch == _engine.QuietEpoch)
        {
            cell.QuietJumps--;
            cell.Counter++;
            return false;
        }
        return Decide(cell);
    }

    private bool Decide(JitCell cell)
    {
        switch (_engine.Options.Mode)
        {
            case EngineMode.Blackhole:
                return true;
            case EngineMode.Jit:
                if (cell.State == JitCellState.Compiled) return true;
                // A key being compiled in the background: enter the engine once something is ready to install.
                if (cell.State == JitCellState.Tracing) return _engine.Pipeline is { HasFinishedTraces: true };
                if (cell.State != JitCellState.Counting || !_engine.JitEnabled) return false;
                cell.IsHeader = true;
                // While a trace compiles in the background nothing counts: with its code missing, loops it would
                // run (inner loops it inlines) get jumps they would not get, and traces made in another order.
                if (_engine.Pipeline is { HasTracesInFlight: true }) return false;
                if (cell.TraceSoon && (cell.WaitsFor == null || cell.WaitsFor.State is not (JitCellState.Counting or JitCellState.Tracing)))
                {
                    cell.TraceSoon = false;
                    cell.WaitsFor = null;
                    return _engine.Pipeline != null;
                }
                if (cell.Epoch != _engine.DecayEpoch)
                {
                    cell.Counter = _engine.Decayed(cell.Counter, _engine.DecayEpoch - cell.Epoch);
                    cell.Epoch = _engine.DecayEpoch;
                }
                if (++cell.Counter >= _engine.Threshold) return _engine.Pipeline != null;
                if (!cell.TraceSoon && _engine.Pipeline != null)
                {
                    cell.QuietJumps = _engine.Threshold - 1 - cell.Counter;
                    cell.QuietEpoch = _engine.QuietEpoch;
                }
                return false;
            default:
                return false;
        }
    }

    /// <summary>The cell of the green key held by <paramref name="frame"/>, which stands at a merge point.</summary>
    internal JitCell CellAt(JitFrame frame) => CellAt(frame.Code.Code[frame.Pc].Args!, frame);

    /// <summary>The cell of the green key in the first registers of <paramref name="args"/> (a merge point's or a
    /// CanEnterJit's) in <paramref name="frame"/>. Only each green's own kind is part of the key.</summary>
    internal JitCell CellAt(int[] args, JitFrame frame)
    {
        var table = Cells;
        for (int k = 0; k < GreenCount; k++)
        {
            var reg = Reg.Decode(args[k]);
            switch (reg.Kind)
            {
                case ValueKind.Int: table.KeyInts[k] = frame.I[reg.Index]; break;
                case ValueKind.Float: table.KeyFloats[k] = frame.F[reg.Index]; break;
                default: table.KeyRefs[k] = frame.R[reg.Index]; break;
            }
        }
        return table.Lookup();
    }

    /// <summary>A frame of the portal's JitCode standing at its merge point (registers filled by the hook).</summary>
    internal JitFrame NewMergePointFrame() => new(Code) { Pc = Portal.MergePointPc };

    private readonly Stack<JitFrame> _spareFrames = new();

    /// <summary>As <see cref="NewMergePointFrame"/>, reusing a frame a hook gave back: entering compiled code at
    /// every function entry of a recursive interpreter must not allocate a frame of registers each time.
    /// Only the merge point's registers are meaningful (the hook fills them; the rest are dead there).</summary>
    internal JitFrame TakeMergePointFrame()
    {
        if (_spareFrames.Count == 0) return NewMergePointFrame();
        var frame = _spareFrames.Pop();
        frame.Pc = Portal.MergePointPc;
        return frame;
    }

    /// <summary>Gives a frame from <see cref="TakeMergePointFrame"/> back once the hook has read what it needs.</summary>
    internal void GiveBack(JitFrame frame)
    {
        if (_spareFrames.Count < 64) _spareFrames.Push(frame);
    }

    /// <summary>The green and red registers of the merge point where <paramref name="frame"/> stopped.</summary>
    internal int[] RegsAt(JitFrame frame) => frame.Code.Code[frame.Pc].Args!;

    /// <summary>Acts on a hot key with the state at the merge point in <paramref name="frame"/>.</summary>
    internal PortalOutcome Enter(JitCell cell, JitFrame frame)
    {
        if (_engine.Options.Mode == EngineMode.Blackhole)
        {
            var result = Blackhole.Run(frame, stopAtMergePoint: false);
            _engine.Statistics.BlackholeRuns++;
            return PortalOutcome.From(result);
        }
        return _engine.Pipeline!.Enter(this, cell, frame);
    }
}
