namespace MetaJit;

/// <summary>The JIT traces into this method even when its policy would not (for example a method with loops, whose loops it then follows iteration by iteration). Natively it means nothing.</summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Constructor, Inherited = false)]
public sealed class LookInsideAttribute : Attribute
{
}
