namespace MetaJit;

/// <summary>The method takes no arguments and its result does not change while one compiled loop runs: the JIT calls it once per loop entry. Natively it means nothing.</summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class LoopInvariantAttribute : Attribute
{
}
