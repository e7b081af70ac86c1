namespace MetaJit;

/// <summary>The array held by this field never has its elements changed: reads of its items from a constant array fold. Natively it means nothing.</summary>
[AttributeUsage(AttributeTargets.Field, Inherited = false)]
public sealed class ImmutableElementsAttribute : Attribute
{
}
