using System.Globalization;

namespace MetaJit.Engine.Runtime;

/// <summary>
/// Where the interpreter still spends its loop iterations (<c>METAJIT_LOG=profile</c>): per portal, the green keys
/// whose backward jumps reached <c>CanEnterJit</c> most often from interpreted code (<see cref="JitCell.Jumps"/>),
/// each with its state and how often compiled code was entered there (<see cref="JitCell.Entries"/>). A hot key
/// still counting is a loop the JIT never compiled (its counter decayed, or tracing it aborted); a compiled key
/// with many jumps is a loop whose code is often left for the interpreter. Iterations run by compiled code are
/// not counted (that would cost compiled code a counter per iteration), so the shares are of interpreted work.
/// </summary>
public static class JitProfile
{
    /// <summary>How many keys per portal the profile lists.</summary>
    public const int Shown = 20;

    /// <summary>The profile's lines for <paramref name="portals"/>.</summary>
    public static IEnumerable<string> Lines(IEnumerable<PortalRuntime> portals)
    {
        bool any = false;
        foreach (var portal in portals)
        {
            any = true;
            var cells = portal.AllCells.Where(c => c.Jumps > 0 || c.Entries > 0).ToList();
            long jumps = cells.Sum(c => c.Jumps), entries = cells.Sum(c => c.Entries);
            cells.Sort((a, b) => b.Jumps.CompareTo(a.Jumps));
            yield return $"[metajit] profile of {portal.Portal.Name}: {N(jumps)} interpreted jumps at {N(cells.Count)} keys, " +
                         $"{N(entries)} entries into compiled code";
            if (cells.Count == 0) yield break;
            yield return $"{"jumps",12} {"share",6}  {"state",-10} {"entries",10} {"aborts",6}  location";
            foreach (var cell in cells.Take(Shown))
            {
                double share = jumps == 0 ? 0 : 100.0 * cell.Jumps / jumps;
                yield return $"{N(cell.Jumps),12} {share.ToString("0.0", CultureInfo.InvariantCulture) + "%",6}  {State(cell),-10} " +
                             $"{N(cell.Entries),10} {cell.Aborts,6}  {portal.Location(cell)}";
            }
            if (cells.Count > Shown) yield return $"({cells.Count - Shown} more keys)";
        }
        if (!any) yield return "[metajit] profile: nothing counted (no portal reached CanEnterJit with the engine in jit or blackhole mode)";
    }

    private static string State(JitCell cell) => cell.State switch
    {
        JitCellState.Counting => "counting",
        JitCellState.Tracing => "tracing",
        JitCellState.Compiled => "compiled",
        _ => "dont-trace",
    };

    private static string N(long n) => n.ToString("N0", CultureInfo.InvariantCulture);
}
