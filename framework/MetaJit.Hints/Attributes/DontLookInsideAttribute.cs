namespace MetaJit;

/// <summary>The JIT never traces into this method: every call to it is a residual call, and the method itself need not be RC#. Natively it means nothing.</summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Constructor, Inherited = false)]
public sealed class DontLookInsideAttribute : Attribute
{
}
