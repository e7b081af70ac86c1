using MetaJit.Engine.Backend;
using MetaJit.Engine.Descriptors;

namespace MetaJit.Engine.Trace;

/// <summary>
/// The descr of a <c>label</c> and of the <c>jump</c>s that go to it (RPython's TargetToken). Once the trace
/// holding the label is compiled, the backend records where the label is, so a bridge that jumps to it can
/// continue there.
/// </summary>
/// <example><code>var loop = new TargetToken("loop0"); new ResOperation(OpNum.Label, [i0], loop);</code></example>
public sealed class TargetToken(string name) : Descr
{
    /// <inheritdoc/>
    public override string Name { get; } = name;

    /// <summary>The compiled trace that holds the label, once compiled.</summary>
    public ICompiledTrace? CompiledTrace { get; set; }

    /// <summary>The entry index of the label in <see cref="CompiledTrace"/> (see <see cref="ICompiledTrace.Execute"/>).</summary>
    public int EntryIndex { get; set; }

    /// <summary>Set once a backend compiled a direct call of this label (docs/backend-cil.md): the trees compiled
    /// from then on give it an entry that takes the arguments without a frame.</summary>
    public bool CalledDirectly { get; set; }
}
