using MetaJit.Engine.Trace;

namespace MetaJit.Engine.Optimizer;

/// <summary>
/// One pass of the chain (RPython's Optimization). Each op travels through the passes in order: a pass
/// either hands it on with <see cref="EmitNext"/> (maybe changed), emits other ops in its place, or drops it,
/// having told the run what the op's result equals (<see cref="OptimizationRun.MakeEqual"/>).
/// </summary>
internal abstract class OptimizationPass
{
    /// <summary>The run this pass belongs to (set by the run).</summary>
    public OptimizationRun Run { get; set; } = null!;

    /// <summary>The position of the pass in the chain.</summary>
    public int Index { get; set; }

    /// <summary>Called with each op, its arguments already replaced by their current equivalents.</summary>
    public virtual void Propagate(ResOperation op) => EmitNext(op);

    /// <summary>Hands <paramref name="op"/> to the next pass (or to the output).</summary>
    protected void EmitNext(ResOperation op) => Run.PassOn(Index, op);

    /// <summary>The current equivalent of <paramref name="v"/>.</summary>
    protected Value Get(Value v) => Run.Get(v);
}
