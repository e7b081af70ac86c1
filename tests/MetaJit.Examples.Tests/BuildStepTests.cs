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
}
