using NUnit.Framework;
using MetaJit.Engine.Descriptors;
using MetaJit.Engine.Runtime;

namespace MetaJit.Jit.Tests.Runtime;

/// <summary>
/// The cell table hashes and matches each green by its register kind only: a key must find its own cell again
/// however many cells exist, and keys that differ in one green (by value for ints, by bits for floats, by
/// identity for references) must not share a cell.
/// </summary>
[TestFixture]
public class JitCellTableTests
{
    private static readonly ValueKind[] Kinds = [ValueKind.Int, ValueKind.Float, ValueKind.Ref];

    private static JitCell Cell(JitCellTable table, long i, double f, object? r)
    {
        table.KeyInts[0] = i;
        table.KeyFloats[1] = f;
        table.KeyRefs[2] = r;
        return table.Lookup();
    }

    [Test]
    public void Each_key_finds_its_own_cell_after_the_table_grew()
    {
        var table = new JitCellTable(Kinds);
        var programs = new[] { new object(), new object(), new object() };
        var cells = new Dictionary<(long, double, int), JitCell>();
        for (long pc = 0; pc < 400; pc++)
            for (int p = 0; p < programs.Length; p++)
                cells[(pc, pc * 0.5, p)] = Cell(table, pc, pc * 0.5, programs[p]);
        Assert.That(cells.Values.Distinct().Count(), Is.EqualTo(1200), "every key got a cell of its own");
        Assert.That(table.Cells.Count(), Is.EqualTo(1200));
        foreach (var ((pc, f, p), cell) in cells)
            Assert.That(Cell(table, pc, f, programs[p]), Is.SameAs(cell), $"key ({pc}, {f}, program {p})");
    }

    [Test]
    public void References_match_by_identity_and_floats_by_bits()
    {
        var table = new JitCellTable(Kinds);
        string a = new('x', 3), b = new('x', 3);
        Assert.That(Cell(table, 1, 0.0, a), Is.Not.SameAs(Cell(table, 1, 0.0, b)), "equal strings, two objects");
        Assert.That(Cell(table, 1, 0.0, a), Is.Not.SameAs(Cell(table, 1, -0.0, a)), "0.0 and -0.0 differ in bits");
        Assert.That(Cell(table, 1, double.NaN, a), Is.SameAs(Cell(table, 1, double.NaN, a)), "NaN finds its cell");
        Assert.That(Cell(table, 1, 0.0, null), Is.SameAs(Cell(table, 1, 0.0, null)));
        Assert.That(Cell(table, 1, 0.0, null), Is.Not.SameAs(Cell(table, 1, 0.0, a)));
    }

    [Test]
    public void Slots_of_other_kinds_are_not_part_of_the_key()
    {
        // Only the green's own kind is read: stale values in the other scratch slots must not split a key.
        var table = new JitCellTable([ValueKind.Int]);
        table.KeyInts[0] = 7;
        table.KeyRefs[0] = new object();
        var first = table.Lookup();
        table.KeyRefs[0] = new object();
        table.KeyFloats[0] = 3.5;
        Assert.That(table.Lookup(), Is.SameAs(first));
    }
}
