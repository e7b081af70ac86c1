using MetaJit.Engine.Descriptors;

namespace MetaJit.Engine.Trace;

/// <summary>A descr that is only a name: what the parser makes for a <c>finish</c> descr the namespace does not define.</summary>
/// <example><code>new ResOperation(OpNum.Finish, [i0], new NamedDescr("done"))</code></example>
public sealed class NamedDescr(string name) : Descr
{
    /// <inheritdoc/>
    public override string Name { get; } = name;
}
