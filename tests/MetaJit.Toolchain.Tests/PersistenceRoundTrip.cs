using MetaJit.Examples.Brainfuck;
using MetaJit.Toolchain.Persistence;
using RcsCorpus;

namespace MetaJit.Toolchain.Tests;

public class PersistenceRoundTrip
{
    private static string TempFile() => Path.Combine(Path.GetTempPath(), "metajit-" + Guid.NewGuid().ToString("N") + ".jitcodes");

    /// <summary>Runs <paramref name="test"/> on a temporary file holding the corpus's JitCodes (written for the corpus assembly).</summary>
    private static void WithCorpusFile(Action<string> test)
    {
        var path = TempFile();
        try
        {
            JitCodeFile.Write(Corpus.Set, typeof(Arithmetic).Assembly, path);
            test(path);
        }
        finally { File.Delete(path); }
    }

    [Test]
    public void A_written_set_reads_back_and_its_methods_run_on_the_blackhole()
    {
        var asm = typeof(Arithmetic).Assembly;
        WithCorpusFile(path =>
        {
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
        });
    }

    [Test]
    public void A_file_written_for_another_build_is_stale()
    {
        WithCorpusFile(path =>
        {
            Assert.That(JitCodeFile.TryRead(typeof(BfInterpreter).Assembly, path), Is.Null);
            Assert.That(JitCodeFile.TryRead(typeof(Arithmetic).Assembly, path + ".missing"), Is.Null);
        });
    }

    [Test]
    public void A_read_set_decodes_its_jitcodes_when_first_asked_for_one()
    {
        WithCorpusFile(path =>
        {
            var loaded = JitCodeFile.TryRead(typeof(Arithmetic).Assembly, path)!;
            File.Delete(path); // the set holds what it still has to decode
            Assert.That(loaded.CodesLoaded, Is.False);
            Assert.That(loaded.Portals.Select(p => p.Name), Is.EquivalentTo(Corpus.Set.Portals.Select(p => p.Name)));
            var run = typeof(TinyVm).GetMethod(nameof(TinyVm.Run))!;
            var portal = loaded.Portals.Single(p => p.RedNames.SequenceEqual(new[] { "acc", "n" }));
            Assert.That(portal.JitCode?.Method, Is.EqualTo(run), "asking a portal for its JitCode decodes them all");
            Assert.That(loaded.CodesLoaded, Is.True);
            Assert.That(loaded.DeferredLoadTime, Is.Not.Null);
            Assert.That(loaded.JitCodes.Count(), Is.EqualTo(Corpus.Set.JitCodes.Count()));
        });
    }

    [Test]
    public void A_file_damaged_after_its_header_fails_loudly_when_its_jitcodes_are_needed()
    {
        WithCorpusFile(path =>
        {
            var bytes = File.ReadAllBytes(path);
            File.WriteAllBytes(path, bytes[..(bytes.Length * 9 / 10)]); // the portals come first and are small
            var loaded = JitCodeFile.TryRead(typeof(Arithmetic).Assembly, path);
            Assert.That(loaded, Is.Not.Null, "the header still matches this build");
            for (int attempt = 0; attempt < 2; attempt++)
            {
                var e = Assert.Throws<InvalidDataException>(() => loaded!.JitCodes.Count())!;
                Assert.That(e.Message, Does.StartWith(path + ": the JitCodes in this file cannot be read"));
                Assert.That(e.Message, Does.Contain("delete it"));
            }
            Assert.That(loaded!.CodesLoaded, Is.False);
        });
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
