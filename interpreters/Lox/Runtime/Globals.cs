namespace MetaJit.Lox.Runtime;

/// <summary>The global variables of one VM: one <see cref="GlobalCell"/> per name, created on first mention.
/// Used only by the compiler and at start-up, never by the dispatch loop.</summary>
public sealed class Globals
{
    private readonly Dictionary<string, GlobalCell> _cells = new(StringComparer.Ordinal);

    /// <summary>The cell of <paramref name="name"/>, created (undefined) when new.</summary>
    public GlobalCell CellFor(string name)
    {
        if (!_cells.TryGetValue(name, out var cell))
        {
            cell = new GlobalCell(name);
            _cells.Add(name, cell);
        }
        return cell;
    }
}
