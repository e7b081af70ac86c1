using MetaJit.Cli;

namespace MetaJit.Toolchain.Checking.Tests;

[TestFixture]
[NonParallelizable]
public class EngineSetupTests
{
    [Test]
    public void An_interpreter_the_codewriter_cannot_translate_runs_without_the_jit_after_a_file_line_warning()
    {
        var saved = Environment.GetEnvironmentVariable("METAJIT_MODE");
        Environment.SetEnvironmentVariable("METAJIT_MODE", "jit");
        try
        {
            var error = new StringWriter();
            bool ok = EngineSetup.TryStart(typeof(RcsViolations.LambdaPortal).Assembly, error);
            Assert.That(ok, Is.True, "the program still runs");
            Assert.That(error.ToString(), Does.StartWith("metajit: JIT disabled: ").And.Match(@"\.cs:\d+"));
            Assert.That(error.ToString().TrimEnd().Split('\n'), Has.Length.EqualTo(1));
        }
        finally
        {
            Environment.SetEnvironmentVariable("METAJIT_MODE", saved);
            Engine.Runtime.JitEngine.Current?.Detach();
        }
    }

    /// <summary>A misspelt pass is refused before the program starts: found at the first loop, it ended the run
    /// halfway with an unhandled exception and lost the output.</summary>
    [Test]
    public void An_unknown_optimizer_pass_is_a_one_line_error_at_start()
    {
        var saved = (Environment.GetEnvironmentVariable("METAJIT_MODE"), Environment.GetEnvironmentVariable("METAJIT_OPTS"));
        Environment.SetEnvironmentVariable("METAJIT_MODE", "jit");
        Environment.SetEnvironmentVariable("METAJIT_OPTS", "intbounds:unrol");
        try
        {
            var error = new StringWriter();
            Assert.That(EngineSetup.TryStart(typeof(RcsViolations.LambdaPortal).Assembly, error), Is.False);
            Assert.That(error.ToString().TrimEnd().Split('\n'), Has.Length.EqualTo(1));
            Assert.That(error.ToString(), Does.StartWith("metajit: ").And.Contain("unknown optimizer pass 'unrol'").And.Not.Contain("(Parameter"));
        }
        finally
        {
            Environment.SetEnvironmentVariable("METAJIT_MODE", saved.Item1);
            Environment.SetEnvironmentVariable("METAJIT_OPTS", saved.Item2);
            JitParams.Reset();
            Engine.Runtime.JitEngine.Current?.Detach();
        }
    }

    [Test]
    public void A_malformed_mode_is_a_one_line_error()
    {
        var saved = Environment.GetEnvironmentVariable("METAJIT_MODE");
        Environment.SetEnvironmentVariable("METAJIT_MODE", "turbo");
        try
        {
            var error = new StringWriter();
            Assert.That(EngineSetup.TryStart(typeof(RcsViolations.LambdaPortal).Assembly, error), Is.False);
            Assert.That(error.ToString().TrimEnd(), Is.EqualTo("metajit: METAJIT_MODE must be native, blackhole or jit, not 'turbo'."));
        }
        finally
        {
            Environment.SetEnvironmentVariable("METAJIT_MODE", saved);
        }
    }
}
