namespace MetaJit;

/// <summary>
/// Marks an assembly whose writes of <see cref="QuasiImmutableAttribute"/> fields call
/// <see cref="QuasiImmutable.Changed"/>. Added by the MetaJit build step when it weaves the assembly (and how it
/// knows not to weave twice); the JIT folds quasi-immutable reads only for fields of such assemblies.
/// Not meant to be written by hand.
/// </summary>
[AttributeUsage(AttributeTargets.Assembly, Inherited = false)]
public sealed class QuasiImmutableWovenAttribute : Attribute
{
}
