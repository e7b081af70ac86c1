using MetaJit.Engine.Descriptors;
using MetaJit.Engine.Resume;
using MetaJit.Engine.Trace;

namespace MetaJit.Engine.Optimizer;

/// <summary>
/// Calls of specialized entries (docs/engine.md, "Specialized entries"): a call_assembler some of whose arguments
/// are virtual (a recursive interpreter's new frame, a boxed number) passes their fields instead, to the target's
/// code compiled for that shape (<see cref="EntryShape"/>, <see cref="CallAssemblerDescr.Specialized"/>), which
/// rebuilds them as virtuals of its own: the caller allocates nothing. The callee then has its own copies, so
/// the caller must never look at the originals again: nothing after the call may use them, and no other virtual
/// may refer to them. One use is allowed: the call's exception guard may name the top-level ones (Lox's wrapper
/// reads the callee frame's line when an error passes); resuming there takes the objects the callee made back
/// (<see cref="HandBack"/>), and builds its own only if the callee made none.
/// </summary>
internal sealed partial class VirtualizePass
{
    private bool CallSpecialized(ResOperation op, CallAssemblerDescr callee)
    {
        bool anyVirtual = false;
        foreach (var a in op.Args) anyVirtual |= IsVirtual(Get(a));
        if (!anyVirtual || Run.RecordedAfterCurrent() is not { } later) return false;
        // Virtuals the trace still needs after the call (or that other virtuals refer to) are allocated now and
        // passed as references, as a generic call would; the rest of the shape stays virtual. Not the callee's
        // virtualizable frame: a generic call allocates it without its virtualized slots (ForceWithoutVableSlots).
        for (int round = 0; round < 4; round++)
        {
            var shape = EntryShape.Of(Run, op.Args, callee.VableArgIndex, callee.Vable);
            if (!shape.HasVirtual) return false;
            var given = GivenAway(op, shape, out var topLevel);
            var needed = new HashSet<Value>(ReferenceEqualityComparer.Instance);
            foreach (var (key, other) in _virtuals)
            {
                if (given.Contains(key)) continue;
                foreach (var value in other.Values)
                    if (given.Contains(Get(value))) needed.Add(Get(value));
            }
            var handedBack = UsedAfter(later, given, topLevel, needed);
            if (needed.Count > 0)
            {
                if (callee.VableArgIndex >= 0 && needed.Contains(Get(op.Args[callee.VableArgIndex]))) return false;
                foreach (var v in needed) Force(v);
                continue;
            }
            if (callee.Specialized(shape) is not { } special) return false;
            var call = new ResOperation(op.Num, shape.Flatten(Run, op.Args).ToArray(), special);
            Run.MakeEqual(op, call);
            foreach (var v in handedBack) Run.SetHandBack(v, new HandBack(special, topLevel[v]));
            EmitNext(call);
            return true;
        }
        return false;
    }

    /// <summary>The virtuals the call gives away: the virtual arguments and the virtuals their fields hold, as far
    /// as the shape describes them (deeper ones are leaves, allocated). <paramref name="topLevel"/>: argument index
    /// of each virtual argument.</summary>
    private HashSet<Value> GivenAway(ResOperation op, EntryShape shape, out Dictionary<Value, int> topLevel)
    {
        var given = new HashSet<Value>(ReferenceEqualityComparer.Instance);
        topLevel = new Dictionary<Value, int>(ReferenceEqualityComparer.Instance);
        for (int k = 0; k < op.Args.Length; k++)
        {
            if (!shape.IsVirtual(k)) continue;
            var v = Get(op.Args[k]);
            topLevel[v] = k;
            shape.CollectVirtuals(k, Run, v, given);
        }
        return given;
    }

    /// <summary>Adds to <paramref name="needed"/> the given-away virtuals a recorded op after the call uses, except
    /// the call's exception guard naming top-level ones in its fail args: those are returned (handed back).</summary>
    private List<Value> UsedAfter(IEnumerable<ResOperation> later, HashSet<Value> given, Dictionary<Value, int> topLevel, HashSet<Value> needed)
    {
        var handedBack = new List<Value>();
        bool first = true;
        foreach (var op in later)
        {
            foreach (var a in op.Args)
                if (given.Contains(Get(a))) needed.Add(Get(a));
            if (op.FailArgs != null)
            {
                bool exceptionGuard = first && op.Num is OpNum.GuardNoException or OpNum.GuardException;
                foreach (var a in op.FailArgs)
                {
                    var v = Get(a);
                    if (!given.Contains(v)) continue;
                    if (!exceptionGuard || !topLevel.ContainsKey(v)) needed.Add(v);
                    else if (!handedBack.Contains(v)) handedBack.Add(v);
                }
            }
            first = false;
        }
        return handedBack;
    }
}
