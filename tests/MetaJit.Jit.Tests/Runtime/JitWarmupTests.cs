using MetaJit.Engine.Tracing;
using NUnit.Framework;

namespace MetaJit.Jit.Tests.Runtime;

/// <summary>
/// The start-up warm-up must run the real pipeline to its end (optimize a loop, compile it and a bridge, run
/// them): a warm-up that stops early warms nothing and fails silently in production.
/// </summary>
[TestFixture]
public class JitWarmupTests
{
    [Test]
    public void The_synthetic_loop_and_its_bridge_compute_what_the_trace_says()
    {
        // Count starts at 1, grows by (an item of the array + 1) per iteration until it reaches 1,000; the
        // bridge from the exit guard finishes with count - 1 and half of it (worked out by hand from the trace).
        var (count, scaled) = JitWarmup.Run();
        Assert.That(count, Is.EqualTo(1010));
        Assert.That(scaled, Is.EqualTo(505.0));
    }

    [Test]
    public void The_background_warm_up_ends_without_failure()
    {
        JitWarmup.Start();
        Assert.That(JitWarmup.Thread, Is.Not.Null);
        Assert.That(JitWarmup.Thread!.Join(TimeSpan.FromSeconds(60)), Is.True, "the warm-up thread did not end");
        Assert.That(JitWarmup.Failure, Is.Null, () => JitWarmup.Failure!.ToString());
    }
}
