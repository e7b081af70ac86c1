using NUnit.Framework;

namespace MetaJit.Hints.Tests;

[TestFixture]
public class DeepRecursionTests
{
    private sealed class TooDeep : Exception
    {
        public TooDeep() : base("Stack overflow.") { }
    }

    private static int Depth(RecursionGuard guard, int n)
    {
        if (!guard.TryEnter()) throw new TooDeep();
        try
        {
            return n == 0 ? 0 : 1 + Depth(guard, n - 1);
        }
        finally
        {
            guard.Leave();
        }
    }

    [Test]
    public void A_million_frames_run_on_the_deep_stack()
    {
        var guard = new RecursionGuard(2_000_000);
        int depth = DeepRecursion.Run(() => Depth(guard, 1_000_000));
        Assert.That(depth, Is.EqualTo(1_000_000));
        Assert.That(guard.Depth, Is.Zero);
    }

    [Test]
    public void One_frame_past_the_limit_is_a_clean_error()
    {
        var guard = new RecursionGuard(1000);
        Assert.That(DeepRecursion.Run(() => Depth(guard, 999)), Is.EqualTo(999));
        var e = Assert.Throws<TooDeep>(() => DeepRecursion.Run(() => Depth(guard, 1000)));
        Assert.That(e!.Message, Is.EqualTo("Stack overflow."));
        Assert.That(guard.Depth, Is.Zero, "finally blocks unwound the count");
    }

    [Test]
    public void Unbounded_recursion_stops_at_the_stack_limit_without_killing_the_process()
    {
        var guard = new RecursionGuard(int.MaxValue);
        Assert.Throws<TooDeep>(() => DeepRecursion.Run(() => Depth(guard, int.MaxValue), stackBytes: 16 << 20));
    }

    [Test]
    public void Results_and_exceptions_cross_back_to_the_caller()
    {
        Assert.That(DeepRecursion.Run(() => "done"), Is.EqualTo("done"));
        var e = Assert.Throws<InvalidOperationException>(() => DeepRecursion.Run<int>(() => throw new InvalidOperationException("boom")));
        Assert.That(e!.Message, Is.EqualTo("boom"));
    }

    [Test]
    public void Guard_rejects_a_nonpositive_limit_and_an_unmatched_leave()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new RecursionGuard(0));
        Assert.Throws<InvalidOperationException>(() => new RecursionGuard(5).Leave());
    }
}
