namespace MetaJit;

/// <summary>The field rarely changes: the JIT reads it as a constant and guards with <c>guard_not_invalidated</c>; a write invalidates the compiled code that relied on it. Natively it means nothing.</summary>
[AttributeUsage(AttributeTargets.Field, Inherited = false)]
public sealed class QuasiImmutableAttribute : Attribute
{
}
