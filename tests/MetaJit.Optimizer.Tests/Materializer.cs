using MetaJit.Engine.Resume;

namespace MetaJit.Optimizer.Tests;

/// <summary>
/// The value of each original fail arg as resume would rebuild it, for tests that have no JitCode: the slots
/// of the single frame (or the fail args in order), read by <see cref="ResumeReader.ReadSlots"/>.
/// </summary>
public static class Materializer
{
    public static object?[] Rebuild(ResumeData data, object?[] values, int originalCount)
    {
        var slots = data.Frames.Length > 0 ? data.Frames[^1].Slots : Enumerable.Range(0, originalCount).ToArray();
        return ResumeReader.ReadSlots(data, values, slots);
    }
}
