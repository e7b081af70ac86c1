namespace MetaJit.Engine.Descriptors;

/// <summary>
/// Base of every descriptor: the static information an operation carries about what it touches (a field, an
/// array type, a class, a method). Descriptors are shared by JitCodes and traces and interned, so two
/// operations on the same field hold the same descriptor object and equality is reference equality.
/// </summary>
public abstract class Descr
{
    /// <summary>A short readable name used by dumps and the trace text form, e.g. <c>Frame.pc</c>.</summary>
    public abstract string Name { get; }

    /// <inheritdoc/>
    public override string ToString() => Name;
}
