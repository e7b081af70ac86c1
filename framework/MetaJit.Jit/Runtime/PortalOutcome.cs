using MetaJit.Engine.Descriptors;
using MetaJit.Engine.Execution;

namespace MetaJit.Engine.Runtime;

/// <summary>What the engine hands back to CanEnterJit: the portal returned (with its value), or the state at
/// a merge point of the portal's bottom frame, from which the interpreter continues.</summary>
internal readonly record struct PortalOutcome(bool HasReturned, ValueKind Kind, long Int, double Float, object? Ref, JitFrame? Frame)
{
    public static PortalOutcome From(BlackholeResult r) => new(r.HasReturned, r.Kind, r.Int, r.Float, r.Ref, r.Frame);
}
