using System.Reflection;
using System.Runtime.Loader;
using MetaJit.Engine.Runtime;
using MetaJit.Toolchain.Loading;
using MetaJit.Toolchain.Weaving;
using Mono.Cecil;
using Mono.Cecil.Cil;
using RcsCorpus;

namespace MetaJit.Toolchain.Tests;

/// <summary>The build step that weaves <c>QuasiImmutable.Changed</c> after quasi-immutable writes, on a copy of the
/// (unwoven) RcsCorpus assembly; and what the engine does with an assembly that was not woven.</summary>
[NonParallelizable]
public class QuasiImmutableWeaving
{
    private string _dir = null!;
    private string _dll = null!;

    [OneTimeSetUp]
    public void WeaveACopy()
    {
        var source = typeof(QuasiBox).Assembly.Location;
        _dir = Path.Combine(Path.GetTempPath(), "metajit-weave-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dir);
        _dll = Path.Combine(_dir, Path.GetFileName(source));
        File.Copy(source, _dll);
        File.Copy(Path.ChangeExtension(source, ".pdb"), Path.ChangeExtension(_dll, ".pdb"));
        var result = QuasiImmutableWeaver.Weave(_dll);
        Assert.That(result.AlreadyWoven, Is.False);
        Assert.That(result.Writes, Is.EqualTo(8), "Level x4 + 1 in the catch, Name x2 (initializer, Shuffle), Value x1");
    }

    [OneTimeTearDown]
    public void Clean() => Directory.Delete(_dir, recursive: true);

    private static IEnumerable<MethodDefinition> Methods(ModuleDefinition m) => m.GetTypes().SelectMany(t => t.Methods).Where(x => x.HasBody);

    [Test]
    public void Every_write_of_a_quasi_immutable_field_is_followed_by_the_notification()
    {
        using var module = InterpreterLoader.Read(_dll);
        Assert.That(module.Assembly.CustomAttributes.Any(a => a.AttributeType.Name == nameof(QuasiImmutableWovenAttribute)));
        int seen = 0;
        foreach (var method in Methods(module))
            foreach (var insn in method.Body.Instructions)
            {
                if (insn.OpCode != OpCodes.Stfld) continue;
                var field = ((FieldReference)insn.Operand).Resolve();
                bool quasi = field.CustomAttributes.Any(a => a.AttributeType.Name == nameof(QuasiImmutableAttribute));
                var next = insn.Next;
                bool notified = next?.OpCode == OpCodes.Ldstr && (string)next.Operand == field.Name
                    && next.Next?.OpCode == OpCodes.Call && ((MethodReference)next.Next.Operand).FullName == "System.Void MetaJit.QuasiImmutable::Changed(System.Object,System.String)";
                Assert.That(notified, Is.EqualTo(quasi), $"{method.FullName}: stfld {field.FullName}");
                if (quasi) seen++;
            }
        Assert.That(seen, Is.EqualTo(8));
    }

    [Test]
    public void The_woven_code_keeps_its_source_lines()
    {
        using var module = InterpreterLoader.Read(_dll);
        var shuffle = module.GetType("RcsCorpus.QuasiBox").Methods.Single(m => m.Name == nameof(QuasiBox.Shuffle));
        var map = new SourceMap(shuffle);
        var lines = File.ReadAllLines(map.File!);
        int Line(string marker) => Array.FindIndex(lines, l => l.Contains(marker)) + 1;
        var calls = shuffle.Body.Instructions.Where(i => i.OpCode == OpCodes.Call && ((MethodReference)i.Operand).Name == "Changed").ToList();
        var callLines = calls.Select(c => map.Line(c.Offset)).ToList();
        Assert.That(callLines, Does.Contain(Line("// woven: positive")));
        Assert.That(callLines, Does.Contain(Line("// woven: in try")));
        Assert.That(callLines, Does.Contain(Line("box.Level = 100;")));
    }

    [Test]
    public void The_woven_assembly_computes_what_the_original_does()
    {
        var context = new AssemblyLoadContext("woven", isCollectible: true);
        try
        {
            var woven = context.LoadFromAssemblyPath(_dll);
            var shuffle = woven.GetType("RcsCorpus.QuasiBox")!.GetMethod(nameof(QuasiBox.Shuffle))!;
            foreach (long x in new long[] { 5, -4, 3, 0 })
                Assert.That(shuffle.Invoke(null, [x]), Is.EqualTo(QuasiBox.Shuffle(x)), $"Shuffle({x})");
            var hold = woven.GetType("RcsCorpus.QuasiVm")!.GetMethod(nameof(QuasiVm.Hold))!;
            Assert.That(hold.Invoke(null, ["s"]), Is.EqualTo("s"));
        }
        finally
        {
            context.Unload();
        }
    }

    [Test]
    public void Weaving_twice_changes_nothing()
    {
        var before = File.ReadAllBytes(_dll);
        var pdbBefore = File.ReadAllBytes(Path.ChangeExtension(_dll, ".pdb"));
        var again = QuasiImmutableWeaver.Weave(_dll);
        Assert.That(again.AlreadyWoven, Is.True);
        Assert.That(File.ReadAllBytes(_dll), Is.EqualTo(before));
        Assert.That(File.ReadAllBytes(Path.ChangeExtension(_dll, ".pdb")), Is.EqualTo(pdbBefore));
    }

    [Test]
    public void Quasi_immutable_reads_of_an_assembly_that_was_not_woven_are_not_folded_and_the_log_says_so()
    {
        long native = QuasiVm.Run(new QuasiBox { Level = 1 }, 20);
        var set = JitCodeSetBuilder.Build(typeof(QuasiVm).Assembly, [typeof(QuasiVm).GetMethod(nameof(QuasiVm.Run))!], portalRoots: false);
        JitParams.Reset();
        JitParams.Set("threshold", "1");
        var log = new StringWriter();
        var engine = JitEngine.Attach(set, new EngineOptions { Mode = EngineMode.Jit, Log = LogFlags.Events, LogWriter = log });
        try
        {
            long jitted = QuasiVm.Run(new QuasiBox { Level = 1 }, 20);
            Assert.That(jitted, Is.EqualTo(native));
            Assert.That(engine.Statistics.LoopsCompiled, Is.GreaterThan(0), "loops compiled");
            Assert.That(engine.Statistics.LoopsInvalidated, Is.EqualTo(0), "nothing was folded, so nothing to invalidate");
            var lines = log.ToString().Split('\n').Where(l => l.Contains("was not woven")).ToList();
            Assert.That(lines, Has.Count.EqualTo(1), log.ToString());
            Assert.That(lines[0], Does.Contain("RcsCorpus").And.Contain("QuasiBox.Level"));
        }
        finally
        {
            engine.Detach();
            JitParams.Reset();
        }
    }
}
