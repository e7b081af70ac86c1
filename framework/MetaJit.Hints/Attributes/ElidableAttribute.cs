namespace MetaJit;

/// <summary>The method is pure given its arguments (it may allocate, but its result depends only on them): the JIT may constant-fold a call with constant arguments or merge two calls with equal arguments (<c>call_pure</c>). Natively it means nothing.</summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class ElidableAttribute : Attribute
{
}
