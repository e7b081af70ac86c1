namespace MetaJit;

/// <summary>The tracer may inline this method even though it contains loops, unrolling them (use for loops bounded by constants of the trace). Natively it means nothing.</summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Constructor, Inherited = false)]
public sealed class UnrollSafeAttribute : Attribute
{
}
