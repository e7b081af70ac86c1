using MetaJit.Engine.JitCodes;

namespace MetaJit.Engine.Resume;

/// <summary>
/// One JitCode frame as a guard must rebuild it: the code, the pc to resume at, and where each live
/// register's value comes from. <see cref="Slots"/>[k] for register <see cref="Regs"/>[k] is a fail-arg
/// index (&gt;= 0) or <c>-(c + 1)</c> for constant <c>c</c> of the guard's <see cref="ResumeData.Consts"/>.
/// A caller frame's <see cref="ResumeFrame"/> is shared by every guard recorded while its callee ran.
/// </summary>
public sealed record ResumeFrame(JitCode Code, int Pc, int[] Regs, int[] Slots)
{
    /// <summary>For an inlined call of a recursive portal: the green key it entered (a bridge traced from here
    /// knows which user functions its frames run, so it detects recursion as the loop's trace did).</summary>
    public Runtime.JitCell? EntryCell { get; init; }
}
