namespace MetaJit;

/// <summary>On a field: it never changes after the constructor. On a class: all its fields are such. The JIT folds reads of it from constant objects and never invalidates cached reads. Natively it means nothing.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Field, Inherited = false)]
public sealed class ImmutableAttribute : Attribute
{
}
