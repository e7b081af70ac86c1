using MetaJit.Engine.Runtime;
using MetaJit.Examples.Brainfuck;
using MetaJit.Toolchain.Hosting;

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

    [Test]
    public void Logs_asked_for_in_native_mode_say_why_they_stay_empty()
    {
        var log = new StringWriter();
        var engine = JitHost.Start(typeof(BfInterpreter).Assembly, new EngineOptions { Mode = EngineMode.Native, Log = LogFlags.Summary, LogWriter = log });
        Assert.That(engine, Is.Null);
        Assert.That(log.ToString(), Is.EqualTo("[metajit] METAJIT_MODE=native: no engine is attached, so METAJIT_LOG has nothing to report" + Environment.NewLine));
        var quiet = new StringWriter();
        JitHost.Start(typeof(BfInterpreter).Assembly, new EngineOptions { Mode = EngineMode.Native, LogWriter = quiet });
        Assert.That(quiet.ToString(), Is.Empty, "no logs asked for, no line");
    }
}
