using MetaJit.Engine.Backend;
using MetaJit.Engine.Descriptors;
using MetaJit.Engine.Execution;
using MetaJit.Engine.JitCodes;
using MetaJit.Engine.Trace;
using MetaJit.Engine.Tracing;

namespace MetaJit.Engine.Runtime;

/// <summary>
/// The engine's call_assembler target: a portal invocation entered at <see cref="Cell"/>'s merge point, whose
/// virtualizable arrays have <see cref="Lengths"/>. Compiled code calls it directly instead of calling the portal
/// method (which would look the key up again, fill a frame of registers and decode it).
/// </summary>
public sealed class CallAssemblerSite : CallAssemblerDescr
{
    private readonly IJitPipeline _pipeline;
    private readonly DeadFramePool _frames;
    private readonly ValueKind[] _argKinds;
    private readonly int _ints, _floats, _refs;

    internal CallAssemblerSite(IJitPipeline pipeline, PortalRuntime portal, JitCell cell, int[] lengths, ValueKind[] argKinds, string location, JitStatistics stats)
    {
        _pipeline = pipeline;
        stats.CountDirectEntriesOf(this);
        _frames = pipeline.Frames;
        FramePool = _frames;
        Portal = portal;
        Cell = cell;
        Lengths = lengths;
        _argKinds = argKinds;
        _ints = argKinds.Count(k => k == ValueKind.Int);
        _floats = argKinds.Count(k => k == ValueKind.Float);
        _refs = argKinds.Count(k => k == ValueKind.Ref);
        Name = "call_assembler " + location;
    }

    /// <summary>The portal.</summary>
    public PortalRuntime Portal { get; }

    /// <summary>The green key the invocation starts at.</summary>
    public JitCell Cell { get; }

    /// <summary>The lengths of the virtualizable's arrays passed (its items are arguments).</summary>
    public int[] Lengths { get; }

    /// <inheritdoc/>
    public override string Name { get; }

    /// <summary>The last compiled entry found to take this site's virtualizable array lengths: a call runs at
    /// every level of a recursion, so the lengths are compared once per compiled entry, not per call.</summary>
    private LoopEntry? _acceptedEntry;

    /// <summary>Whether <paramref name="entry"/>'s code was compiled for this site's array lengths.</summary>
    internal bool Accepts(LoopEntry entry)
    {
        if (ReferenceEquals(entry, _acceptedEntry)) return true;
        if (!entry.VableLengths.AsSpan().SequenceEqual(Lengths)) return false;
        _acceptedEntry = entry;
        return true;
    }

    /// <inheritdoc/>
    public override ValueKind[] ArgKinds => _argKinds;

    /// <inheritdoc/>
    public override int VableArgIndex => Portal.Vable?.RedIndex ?? -1;

    /// <inheritdoc/>
    public override VirtualizableInfo? Vable => Portal.Vable;

    /// <inheritdoc/>
    public override DeadFrame TakeFrame() => _frames.Take(_ints, _floats, _refs);

    /// <inheritdoc/>
    public override long InvokeInt(DeadFrame args) => _pipeline.CallAssembler(this, args).Int;

    /// <inheritdoc/>
    public override double InvokeFloat(DeadFrame args) => _pipeline.CallAssembler(this, args).Float;

    /// <inheritdoc/>
    public override object? InvokeRef(DeadFrame args) => _pipeline.CallAssembler(this, args).Ref;

    /// <inheritdoc/>
    public override void InvokeVoid(DeadFrame args) => _pipeline.CallAssembler(this, args);

    /// <inheritdoc/>
    internal override CallAssemblerDescr? Specialized(Optimizer.EntryShape shape) => _pipeline.Specialize(this, shape);

    /// <inheritdoc/>
    public override TargetToken? DirectTarget =>
        Cell.State == JitCellState.Compiled && Cell.CompiledLoop is LoopEntry entry && Accepts(entry) ? entry.Token : null;

    /// <inheritdoc/>
    public override long AfterDirectInt(DeadFrame args, int code, ICompiledTrace ran) => AfterDirect(args, code, ran).Int;

    /// <inheritdoc/>
    public override double AfterDirectFloat(DeadFrame args, int code, ICompiledTrace ran) => AfterDirect(args, code, ran).Float;

    /// <inheritdoc/>
    public override object? AfterDirectRef(DeadFrame args, int code, ICompiledTrace ran) => AfterDirect(args, code, ran).Ref;

    /// <inheritdoc/>
    public override void AfterDirectVoid(DeadFrame args, int code, ICompiledTrace ran) => AfterDirect(args, code, ran);

    /// <inheritdoc/>
    public override void Release(DeadFrame args) => _frames.GiveBack(args, _refs);

    private PortalOutcome AfterDirect(DeadFrame args, int code, ICompiledTrace ran)
    {
        if (code == ExitCodes.Raised)
        {
            _frames.GiveBack(args);
            return default;
        }
        if (code == ExitCodes.NotRun)
        {
            try { return _pipeline.CallAssembler(this, args); }
            catch (Exception e) { Raised = e; return default; }
        }
        // The exits stored up to the trace's frame size, which the direct call's wrapper only checked: from here on
        // the frame is cleared to that size when given back.
        var (ni, nf, nr) = ran.FrameSize;
        args.EnsureCapacity(ni, nf, nr);
        try
        {
            return _pipeline.AfterDirectCall(Portal, args, code, ran);
        }
        catch (Exception e)
        {
            Raised = e;
            return default;
        }
    }

    /// <summary>
    /// The invocation's state as a portal frame at its merge point: greens from the cell, reds from
    /// <paramref name="args"/>; the vable's slots are written to the object, which the blackhole reads.
    /// </summary>
    internal JitFrame MergePointFrame(DeadFrame args)
    {
        var frame = Portal.NewMergePointFrame();
        var regs = Portal.MergePointRegs;
        for (int k = 0; k < Portal.GreenCount; k++)
        {
            var reg = Reg.Decode(regs[k]);
            switch (reg.Kind)
            {
                case ValueKind.Int: frame.I[reg.Index] = Cell.GreenInts[k]; break;
                case ValueKind.Float: frame.F[reg.Index] = Cell.GreenFloats[k]; break;
                default: frame.R[reg.Index] = Cell.GreenRefs[k]; break;
            }
        }
        int ni = 0, nf = 0, nr = 0;
        object? vable = null;
        for (int k = Portal.GreenCount; k < regs.Length; k++)
        {
            var reg = Reg.Decode(regs[k]);
            switch (reg.Kind)
            {
                case ValueKind.Int: frame.I[reg.Index] = args.Ints[ni++]; break;
                case ValueKind.Float: frame.F[reg.Index] = args.Floats[nf++]; break;
                default:
                    frame.R[reg.Index] = args.Refs[nr++];
                    if (Portal.Vable != null && k - Portal.GreenCount == Portal.Vable.RedIndex) vable = frame.R[reg.Index];
                    break;
            }
        }
        if (vable != null) VableEntryValues.Write(Portal.Vable!, vable, args, ni, nf, nr);
        return frame;
    }
}
