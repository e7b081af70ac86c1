using System.Globalization;
using NUnit.Framework;
using MetaJit.Engine.Runtime;

namespace MetaJit.Jit.Tests.Runtime;

/// <summary>The summary's last lines report the process's collections and what it allocated.</summary>
[TestFixture]
public class GcSummaryTests
{
    [Test]
    public void The_allocated_line_grows_with_what_the_process_allocates()
    {
        double before = AllocatedMb();
        var kept = new byte[16][];
        for (int k = 0; k < kept.Length; k++) kept[k] = new byte[1024 * 1024];
        double after = AllocatedMb();
        GC.KeepAlive(kept);
        Assert.That(after - before, Is.GreaterThanOrEqualTo(15.9));
    }

    [Test]
    public void The_gc_lines_come_in_their_documented_order()
    {
        var names = JitEngine.GcSummaryLines().Select(l => l.Split(':')[0].Trim()).ToArray();
        Assert.That(names, Is.EqualTo(new[] { "gc collections", "of which gen1", "time in gc pauses", "allocated" }));
    }

    private static double AllocatedMb()
    {
        var line = JitEngine.GcSummaryLines().Single(l => l.StartsWith("allocated: ", StringComparison.Ordinal));
        Assert.That(line, Does.EndWith(" MB"));
        return double.Parse(line["allocated: ".Length..^" MB".Length], CultureInfo.InvariantCulture);
    }
}
