using MetaJit.Engine.Backend;
using MetaJit.Engine.Descriptors;
using MetaJit.Engine.Optimizer;
using MetaJit.Engine.Resume;
using MetaJit.Engine.Trace;

namespace MetaJit.Engine.Runtime;

/// <summary>
/// The descr of calls of a specialized entry (docs/engine.md, "Specialized entries"): <see cref="Generic"/>'s
/// target compiled for arguments of <see cref="Shape"/>, whose virtual parts the caller passes as their leaves
/// (<see cref="CallAssemblerDescr.ArgKinds"/>). While that code cannot run (not compiled, or invalidated), a call
/// builds the objects and makes the generic call. Shared by every call of that target with that shape.
/// </summary>
internal sealed class SpecializedCallSite : CallAssemblerDescr
{
    private readonly IJitPipeline _pipeline;
    private readonly DeadFramePool _frames;
    private readonly int _ints, _floats, _refs;
    private object?[]? _handedBack;

    internal SpecializedCallSite(IJitPipeline pipeline, CallAssemblerSite generic, EntryShape shape, TargetToken token, JitStatistics stats)
    {
        _pipeline = pipeline;
        stats.CountDirectEntriesOf(this);
        _frames = pipeline.Frames;
        FramePool = _frames;
        Generic = generic;
        Shape = shape;
        Token = token;
        _ints = shape.Leaves.Count(k => k == ValueKind.Int);
        _floats = shape.Leaves.Count(k => k == ValueKind.Float);
        _refs = shape.Leaves.Count(k => k == ValueKind.Ref);
        Name = generic.Name + " [" + shape + "]";
    }

    /// <summary>The call this one specializes (same target, arguments as objects).</summary>
    public CallAssemblerSite Generic { get; }

    /// <summary>The shape of the arguments.</summary>
    public EntryShape Shape { get; }

    /// <summary>The label of the specialized code.</summary>
    public TargetToken Token { get; }

    /// <summary>The specialized code, once compiled.</summary>
    public ICompiledTrace? Compiled { get; set; }

    /// <summary>The specialized code failed to compile: callers call the generic target.</summary>
    public bool Failed { get; set; }

    /// <summary>The quasi-immutable reads the code relies on (the generic loop's).</summary>
    public LoopDependency? Dependency { get; init; }

    /// <summary>True when the specialized code may run.</summary>
    public bool CanRun => Compiled != null && Dependency is not { IsInvalidated: true };

    /// <summary>The portal.</summary>
    public PortalRuntime Portal => Generic.Portal;

    /// <inheritdoc/>
    public override string Name { get; }

    /// <inheritdoc/>
    public override ValueKind[] ArgKinds => Shape.Leaves;

    /// <inheritdoc/>
    public override int VableArgIndex => -1;

    /// <inheritdoc/>
    public override VirtualizableInfo? Vable => null;

    /// <inheritdoc/>
    public override DeadFrame TakeFrame() => _frames.Take(_ints, _floats, _refs);

    /// <inheritdoc/>
    public override TargetToken? DirectTarget => CanRun ? Token : null;

    /// <inheritdoc/>
    public override long InvokeInt(DeadFrame args) => Call(args).Int;

    /// <inheritdoc/>
    public override double InvokeFloat(DeadFrame args) => Call(args).Float;

    /// <inheritdoc/>
    public override object? InvokeRef(DeadFrame args) => Call(args).Ref;

    /// <inheritdoc/>
    public override void InvokeVoid(DeadFrame args) => Call(args);

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

    /// <inheritdoc/>
    public override object? TakeHandedBack(int input)
    {
        if (_handedBack == null || input >= _handedBack.Length) return null;
        var o = _handedBack[input];
        _handedBack[input] = null;
        return o;
    }

    /// <summary>The objects the generic call made from the leaves, for the caller's exception path.</summary>
    internal object?[] Generalize(DeadFrame leaves, DeadFrame into) => Shape.Generalize(leaves, into);

    private PortalOutcome Call(DeadFrame args)
    {
        var invocation = EntryHandBack.Enter(Shape.Count);
        try
        {
            return _pipeline.CallSpecialized(this, args);
        }
        catch
        {
            _handedBack = invocation.Objects;
            throw;
        }
        finally
        {
            EntryHandBack.Leave(invocation);
        }
    }

    private PortalOutcome AfterDirect(DeadFrame args, int code, ICompiledTrace ran)
    {
        if (code == ExitCodes.Raised)
        {
            _handedBack = null; // raised inside compiled code, which made nothing
            _frames.GiveBack(args);
            return default;
        }
        var invocation = EntryHandBack.Enter(Shape.Count);
        try
        {
            if (code == ExitCodes.NotRun) return _pipeline.CallSpecialized(this, args);
            var (ni, nf, nr) = ran.FrameSize;
            args.EnsureCapacity(ni, nf, nr);
            return _pipeline.AfterDirectCall(Portal, args, code, ran);
        }
        catch (Exception e)
        {
            _handedBack = invocation.Objects;
            Raised = e;
            return default;
        }
        finally
        {
            EntryHandBack.Leave(invocation);
        }
    }
}
