using MetaJit.Examples.Brainfuck;
using MetaJit.Toolchain.Persistence;
using RcsCorpus;

namespace MetaJit.Toolchain.Tests;

public class PersistenceRoundTrip
{
    private static string TempFile() => Path.Combine(Path.GetTempPath(), "metajit-" + Guid.NewGuid().ToString("N") + ".jitcodes");

    [Test]
    public void A_written_set_reads_back_and_its_methods_run_on_the_blackhole()
    {
        var asm = typeof(Arithmetic).Assembly;
        var path = TempFile();
        try
        {
            JitCodeFile.Write(Corpus.Set, asm, path);
            var loaded = JitCodeFile.TryRead(asm, path);
            Assert.That(loaded, Is.Not.Null);
            Assert.That(loaded!.JitCodes.Count(), Is.EqualTo(Corpus.Set.JitCodes.Count()));
            Assert.That(loaded.CodewritingTime, Is.Null);
            foreach (var (name, args) in new (string, object[])[]
                     {
                         ("ControlFlow.NestedFinallyLog", new object[] { 0 }), ("Generics.ShowAll", new object[] { 1, "s", 2.5, Color.Blue }),
                         ("Objects.VirtualString", new object[] { 2 }), ("Arithmetic.CheckedToByte", new object[] { 200 }),
                     })
            {
                var m = Corpus.Method(name);
                var code = loaded.Find(m)!;
                Assert.That(JitCodeFormatter.Format(code), Is.EqualTo(JitCodeFormatter.Format(Corpus.Code(m))));
                Assert.That(Blackhole.Call(code, args), Is.EqualTo(m.Invoke(null, args)));
            }
            var run = typeof(TinyVm).GetMethod(nameof(TinyVm.Run))!;
            var portal = loaded.Portals.Single(p => p.JitCode?.Method == run);
            Assert.That(portal.RedNames, Is.EqualTo(new[] { "acc", "n" }));
            Assert.That(Blackhole.Call(portal.JitCode!, new[] { 0, 1, 2 }, 4), Is.EqualTo(TinyVm.Run(new[] { 0, 1, 2 }, 4)));
        }
        finally { File.Delete(path); }
    }

    [Test]
    public void A_file_written_for_another_build_is_stale()
    {
        var path = TempFile();
        try
        {
            JitCodeFile.Write(Corpus.Set, typeof(Arithmetic).Assembly, path);
            Assert.That(JitCodeFile.TryRead(typeof(BfInterpreter).Assembly, path), Is.Null);
            Assert.That(JitCodeFile.TryRead(typeof(Arithmetic).Assembly, path + ".missing"), Is.Null);
        }
        finally { File.Delete(path); }
    }

    [Test]
    public void Load_codewrites_on_demand_when_there_is_no_file()
    {
        var set = JitCodeFile.Load(typeof(BfInterpreter).Assembly);
        Assert.That(set.Portals, Has.Count.EqualTo(1));
    }
}

public class DumpListing
{
    [Test]
    public void The_listing_shows_ops_registers_and_source_lines()
    {
        var code = Corpus.Code(Corpus.Method("ControlFlow.Finally"));
        var text = JitCodeFormatter.Format(code);
        TestContext.Out.WriteLine(text);
        Assert.That(text, Does.StartWith("jitcode ControlFlow.Finally (%i0) -> i"));
        Assert.That(text, Does.Contain("finally_end"));
        Assert.That(text, Does.Contain("handler ["));
        Assert.That(text, Does.Match(@"L\d+ +\d+  "));
    }
}
