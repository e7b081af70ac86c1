using MetaJit.Engine.Trace;

namespace MetaJit.Engine.Backend;

/// <summary>
/// A trace compiled by a backend (a loop or a bridge). <see cref="Execute"/> runs it on the values in a
/// <see cref="DeadFrame"/> and returns an exit code (see <see cref="ExitCodes"/>): a guard index when a guard
/// failed (its fail args are in the frame), or finish, or a jump to a label of another compiled trace.
/// </summary>
public interface ICompiledTrace
{
    /// <summary>The trace that was compiled.</summary>
    TreeLoop Trace { get; }

    /// <summary>The loop this trace belongs to: itself for a loop, the loop it hangs from for a bridge.</summary>
    ICompiledTrace Loop { get; }

    /// <summary>How many slots of each kind a frame must have for this trace.</summary>
    (int Ints, int Floats, int Refs) FrameSize { get; }

    /// <summary>
    /// Runs from entry <paramref name="entry"/>: 0 is the start of the trace (inputs read from the frame in the
    /// order of <see cref="TreeLoop.InputArgs"/>, per kind); k &gt; 0 is label k-1 (its args read likewise).
    /// A guard index or finish returned belongs to this trace unless <see cref="DeadFrame.ExitOwner"/> names another.
    /// </summary>
    int Execute(DeadFrame frame, int entry);

    /// <summary>The backend's listing of the code it made, one text per method or piece (for the CIL backend, the
    /// IL); empty unless the backend was asked to keep listings (<c>METAJIT_LOG=code</c>). After a loop is
    /// recompiled as a tree, the listing is the tree's.</summary>
    IReadOnlyList<string> CodeListing { get; }

    /// <summary>The bridge attached to guard <paramref name="guardIndex"/>, or null.</summary>
    ICompiledTrace? GetBridge(int guardIndex);

    /// <summary>Makes every <c>guard_not_invalidated</c> of this trace (and its bridges) fail from now on.</summary>
    void Invalidate();
}
