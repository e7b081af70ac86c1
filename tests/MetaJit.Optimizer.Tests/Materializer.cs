using MetaJit.Engine.Backend;
using MetaJit.Engine.Resume;
using MetaJit.Engine.Trace;

namespace MetaJit.Optimizer.Tests;

/// <summary>
/// The value of each original fail arg as resume would rebuild it, for tests that have no JitCode: the slots
/// of the single frame (or the fail args in order), read by <see cref="ResumeReader.ReadSlots(ResumeData, object?[], IReadOnlyList{int})"/>
/// from boxed values, or as compiled code leaves them, from a dead frame.
/// </summary>
public static class Materializer
{
    public static object?[] Rebuild(ResumeData data, object?[] values, int originalCount) =>
        ResumeReader.ReadSlots(data, values, Slots(data, originalCount));

    public static object?[] RebuildFromDeadFrame(ResumeData data, Value[] failArgs, object?[] values, int originalCount)
    {
        var dead = new DeadFrame();
        dead.Write(failArgs, values);
        return ResumeReader.ReadSlots(data, failArgs, dead, Slots(data, originalCount));
    }

    private static int[] Slots(ResumeData data, int originalCount) =>
        data.Frames.Length > 0 ? data.Frames[^1].Slots : Enumerable.Range(0, originalCount).ToArray();
}
