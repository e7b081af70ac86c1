using MetaJit.Engine.Runtime;

namespace MetaJit.Examples.Tests;

/// <summary><c>METAJIT_LOG</c>: a comma-separated list of log names, or <c>all</c>; an unknown name is refused with
/// the list of names.</summary>
[TestFixture]
[NonParallelizable]
public class LogOptionsTests
{
    [TestCase("summary", LogFlags.Summary)]
    [TestCase("traces", LogFlags.Traces)]
    [TestCase("events", LogFlags.Events)]
    [TestCase("code", LogFlags.Code)]
    [TestCase("profile", LogFlags.Profile)]
    public void METAJIT_LOG_accepts_each_name_alone_with_others_and_in_all(string name, LogFlags flag)
    {
        var before = Environment.GetEnvironmentVariable("METAJIT_LOG");
        try
        {
            Environment.SetEnvironmentVariable("METAJIT_LOG", name);
            Assert.That(EngineOptions.FromEnvironment().Log, Is.EqualTo(flag));
            Environment.SetEnvironmentVariable("METAJIT_LOG", "events, " + name);
            Assert.That(EngineOptions.FromEnvironment().Log, Is.EqualTo(LogFlags.Events | flag));
            Environment.SetEnvironmentVariable("METAJIT_LOG", "all");
            Assert.That(EngineOptions.FromEnvironment().Log.HasFlag(flag), Is.True);
            Environment.SetEnvironmentVariable("METAJIT_LOG", name + "s");
            var error = Assert.Throws<ArgumentException>(() => EngineOptions.FromEnvironment());
            Assert.That(error!.Message, Does.Contain(name));
        }
        finally
        {
            Environment.SetEnvironmentVariable("METAJIT_LOG", before);
            JitParams.Reset();
        }
    }
}
