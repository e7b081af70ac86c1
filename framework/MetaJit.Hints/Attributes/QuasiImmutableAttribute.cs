namespace MetaJit;

/// <summary>
/// The field rarely changes: the JIT reads it from a constant object as a constant, guarded by
/// <c>guard_not_invalidated</c>, and a write invalidates the compiled code that relied on it. Natively it means
/// nothing. Writes reach the JIT because the MetaJit build step (MetaJit.targets) weaves a call of
/// <see cref="QuasiImmutable.Changed"/> after every <c>stfld</c> of such a field; reads from an assembly that was
/// not woven are never folded.
/// <code>[QuasiImmutable] private MethodTableVersion _version = new();</code>
/// </summary>
[AttributeUsage(AttributeTargets.Field, Inherited = false)]
public sealed class QuasiImmutableAttribute : Attribute
{
}
