using MetaJit.Engine.Runtime;
using MetaJit.Examples.Brainfuck;
using MetaJit.Toolchain.Persistence;

namespace MetaJit.Examples.Tests;

/// <summary>The MSBuild step (MetaJit.targets) codewrites the interpreter at build time and its JitCodes travel
/// with the assembly to referencing projects, so the engine loads them instead of codewriting at start-up.</summary>
[TestFixture]
public class BuildStepTests
{
    [Test]
    public void The_build_stores_current_jitcodes_beside_the_interpreter_assembly()
    {
        var assembly = typeof(BfInterpreter).Assembly;
        Assert.That(File.Exists(JitCodeFile.PathFor(assembly)), Is.True, JitCodeFile.PathFor(assembly));
        var set = JitCodeFile.TryRead(assembly);
        Assert.That(set, Is.Not.Null, "the file matches this build of the assembly (same MVID)");
        Assert.That(set!.Portals, Has.Count.EqualTo(1));
        Assert.That(set.Portals[0].GreenNames, Is.EqualTo(new[] { "pc", "program" }));
    }

    [Test]
    [NonParallelizable]
    public void An_engine_reads_the_jitcodes_of_its_file_at_the_first_hot_key_only()
    {
        var set = JitCodeFile.TryRead(typeof(BfInterpreter).Assembly)!;
        Assert.That(set.CodesLoaded, Is.False, "reading the file took the portals only");
        Assert.That(set.Portals[0].RedNames, Is.EqualTo(new[] { "tape", "pos", "io" }));
        var log = new StringWriter();
        JitParams.Reset();
        JitParams.Set("threshold", "1000000000");
        var engine = JitEngine.Attach(set, new EngineOptions { Mode = EngineMode.Jit, Log = LogFlags.Events, LogWriter = log });
        try
        {
            // Loops that never get hot: counting needs the portal, not its JitCode.
            var (exit, stdout, _) = BrainfuckPrograms.Run("primes");
            Assert.That((exit, stdout), Is.EqualTo((0, BrainfuckPrograms.Expected("primes"))));
            Assert.That(engine.Portals.Single().AllCells, Is.Not.Empty, "the hook counted jumps");
            Assert.That(set.CodesLoaded, Is.False, "nothing got hot");

            JitParams.Set("threshold", "1");
            (exit, stdout, _) = BrainfuckPrograms.Run("squares");
            Assert.That((exit, stdout), Is.EqualTo((0, BrainfuckPrograms.Expected("squares"))));
            Assert.That(set.CodesLoaded, Is.True);
            Assert.That(engine.Statistics.LoopsCompiled, Is.GreaterThan(0));
            Assert.That(engine.Statistics.LoopEntries, Is.GreaterThan(0));
            Assert.That(log.ToString(), Does.Contain("read the JitCodes of BfInterpreter.Driver's interpreter at its first hot key"));
        }
        finally
        {
            engine.Detach();
            JitParams.Reset();
        }
    }
}
