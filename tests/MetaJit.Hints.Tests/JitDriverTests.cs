using NUnit.Framework;

namespace MetaJit.Hints.Tests;

[TestFixture]
public class JitDriverTests
{
    [SetUp]
    public void NoEngine() => JitRuntime.Detach();

    [Test]
    public void Driver_keeps_greens_reds_and_name()
    {
        var driver = new JitDriver(new[] { "pc", "code" }, new[] { "frame" }, name: "demo");
        Assert.That(driver.Greens, Is.EqualTo(new[] { "pc", "code" }));
        Assert.That(driver.Reds, Is.EqualTo(new[] { "frame" }));
        Assert.That(driver.Name, Is.EqualTo("demo"));
        Assert.That(driver.ToString(), Does.Contain("greens: pc, code"));
    }

    [Test]
    public void Driver_rejects_no_greens_duplicates_and_too_many_values()
    {
        Assert.Throws<ArgumentException>(() => new JitDriver(Array.Empty<string>(), new[] { "x" }));
        Assert.Throws<ArgumentException>(() => new JitDriver(new[] { "a" }, new[] { "a" }));
        Assert.Throws<ArgumentException>(() => new JitDriver(new[] { "a" }, new[] { "" }));
        Assert.Throws<ArgumentException>(() => new JitDriver(new[] { "a", "b", "c" }, new[] { "d", "e", "f", "g", "h", "i" }));
    }

    [Test]
    public void Merge_point_is_a_no_op_without_an_engine()
    {
        var driver = new JitDriver(new[] { "pc" }, new[] { "acc" });
        Assert.DoesNotThrow(() => driver.JitMergePoint(3, 4L));
    }

    [Test]
    public void Merge_point_with_the_wrong_number_of_values_throws()
    {
        var driver = new JitDriver(new[] { "pc" }, new[] { "acc" });
        Assert.Throws<InvalidOperationException>(() => driver.JitMergePoint(3));
    }

    [Test]
    public void Can_enter_jit_returns_false_and_leaves_refs_alone_without_an_engine()
    {
        var driver = new JitDriver(new[] { "pc", "code" }, new[] { "acc" });
        int pc = 7;
        string code = "abc";
        long acc = 42;
        bool finished = driver.CanEnterJit(ref pc, ref code, ref acc, out int result);
        Assert.That(finished, Is.False);
        Assert.That((pc, code, acc, result), Is.EqualTo((7, "abc", 42L, 0)));
    }

    [Test]
    public void A_loop_with_hints_computes_what_it_computes_without_them()
    {
        var driver = new JitDriver(new[] { "pc" }, new[] { "i", "sum" });
        Assert.That(SumTo(driver, 1000), Is.EqualTo(Enumerable.Range(0, 1000).Sum()));
    }

    private static int SumTo(JitDriver driver, int n)
    {
        int pc = 0, i = 0, sum = 0;
        while (true)
        {
            driver.JitMergePoint(pc, i, sum);
            if (i == n) return sum;
            sum += i;
            i++;
            if (driver.CanEnterJit(ref pc, ref i, ref sum, out int result)) return result;
        }
    }

    [Test]
    public void Printable_location_uses_the_callback_or_the_green_values()
    {
        var plain = new JitDriver(new[] { "pc", "code" }, new[] { "frame" });
        Assert.That(plain.HasPrintableLocation, Is.False);
        Assert.That(plain.GetPrintableLocation(new object?[] { 3, "x" }), Is.EqualTo("3, x"));
        var named = new JitDriver(new[] { "pc" }, new[] { "frame" }, g => $"line {g[0]}");
        Assert.That(named.GetPrintableLocation(new object?[] { 12 }), Is.EqualTo("line 12"));
    }

    [Test]
    public void An_attached_engine_gets_the_hook_and_a_declining_engine_leaves_the_plain_meaning()
    {
        var engine = new CountingEngine();
        JitRuntime.Attach(engine);
        try
        {
            var driver = new JitDriver(new[] { "pc" }, new[] { "x" });
            int pc = 1, x = 2;
            Assert.That(driver.CanEnterJit(ref pc, ref x, out int r1), Is.True);
            Assert.That(r1, Is.EqualTo(3));
            Assert.That(driver.CanEnterJit(ref pc, ref x, out int _), Is.True);
            Assert.That(engine.HooksCreated, Is.EqualTo(1), "the hook is cached per driver");

            engine.Decline = true;
            var other = new JitDriver(new[] { "pc" }, new[] { "x" });
            Assert.That(other.CanEnterJit(ref pc, ref x, out int r2), Is.False);
            Assert.That(r2, Is.EqualTo(0));
        }
        finally
        {
            JitRuntime.Detach();
        }
    }

    private sealed class CountingEngine : IJitEngine
    {
        public int HooksCreated;
        public bool Decline;

        public THook? CreateEnterHook<THook>(JitDriver driver, Type[] valueTypes) where THook : class
        {
            if (Decline) return null;
            HooksCreated++;
            Assert.That(valueTypes, Is.EqualTo(new[] { typeof(int), typeof(int) }));
            return (THook)(object)new SumHook();
        }

        public void OnParamChanged(string name, string value) { }
    }

    private sealed class SumHook : EnterHook<int, int, int>
    {
        public override bool CanEnterJit(ref int a1, ref int a2, out int result)
        {
            result = a1 + a2;
            return true;
        }
    }
}
