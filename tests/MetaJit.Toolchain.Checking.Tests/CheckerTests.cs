using Mono.Cecil;

namespace MetaJit.Toolchain.Checking.Tests;

[TestFixture]
public class CheckerTests
{
    [Test]
    public void The_whole_corpus_reports_exactly_the_marked_errors()
    {
        Assert.That(Corpus.Actual(), Is.EqualTo(Corpus.Expected()));
    }

    [Test]
    public void All_errors_are_reported_at_once()
    {
        Assert.That(Corpus.Actual("ThreeViolations.cs"), Has.Count.EqualTo(3));
        Assert.That(Corpus.Actual("ThreeViolations.cs"), Is.EqualTo(Corpus.Expected("ThreeViolations.cs")));
    }

    [Test]
    public void A_lambda_in_the_dispatch_loop_is_reported_at_the_lambdas_line()
    {
        int line = Corpus.LineOf("Lambda.cs", RuleCodes.Delegate);
        var error = Corpus.Report.Errors.Single(e => Path.GetFileName(e.File) == "Lambda.cs");
        Assert.That((error.Line, error.Code), Is.EqualTo((line, RuleCodes.Delegate)));
        Assert.That(error.Message, Does.StartWith("lambda in looked-inside method LambdaPortal.Run: move it into a [DontLookInside] method"));
    }

    [Test]
    public void Overrides_and_interface_implementations_reached_by_virtual_calls_are_checked()
    {
        Assert.That(Corpus.Actual("Virtual.cs"), Is.EqualTo(Corpus.Expected("Virtual.cs")));
        Assert.That(Corpus.Actual("Virtual.cs"), Has.Count.EqualTo(2));
    }

    [TestCase("Allowed.cs")]
    [TestCase("DontLookInside.cs")]
    public void Rcs_code_and_code_behind_DontLookInside_check_clean(string file)
    {
        Assert.That(Corpus.Actual(file), Is.Empty);
    }

    [Test]
    public void Finds_every_portal_of_the_corpus()
    {
        Assert.That(Corpus.Report.Portals, Has.Member("System.Int32 RcsViolations.AllowedPortal::Run(RcsViolations.Kind[],RcsViolations.Frame)"));
        Assert.That(Corpus.Report.Portals.Count, Is.EqualTo(Directory.GetFiles(Corpus.SourceFolder, "*.cs").Count(f => File.ReadAllText(f).Contains("JitMergePoint"))));
    }

    [Test]
    public void Errors_are_sorted_by_file_then_line()
    {
        var keys = Corpus.Report.Errors.Select(e => (e.File, e.Line)).ToList();
        Assert.That(keys, Is.EqualTo(keys.OrderBy(k => k.File, StringComparer.Ordinal).ThenBy(k => k.Line).ToList()));
    }

    [Test]
    public void The_Brainfuck_example_checks_clean()
    {
        using var assembly = InterpreterAssembly.Load(Corpus.BrainfuckPath);
        var report = RcsChecker.Check(assembly);
        Assert.That(report.Errors.Select(e => e.ToString()), Is.Empty);
        Assert.That(report.Portals, Has.Count.EqualTo(1));
        Assert.That(report.MethodsChecked, Is.GreaterThan(1));
        Assert.That(report.Summary, Is.EqualTo($"ok: {report.MethodsChecked} methods checked, no RC# errors"));
    }

    [Test]
    public void Any_method_set_can_replace_the_checkers_own_call_graph()
    {
        using var assembly = InterpreterAssembly.Load(Corpus.AssemblyPath);
        var unreached = assembly.Module.GetType("RcsViolations.DontLookInsidePortal").Methods.Single(m => m.Name == "Unreached");
        var report = RcsChecker.Check(assembly, new FixedMethodSet(unreached));
        Assert.That(report.Errors.Select(e => e.Code).Distinct(), Is.EquivalentTo(new[] { RuleCodes.Linq, RuleCodes.Delegate }));
    }

    private sealed class FixedMethodSet : IMethodSet
    {
        public FixedMethodSet(params MethodDefinition[] methods) { Methods = methods; }
        public IReadOnlyList<MethodDefinition> Portals => Array.Empty<MethodDefinition>();
        public IReadOnlyList<MethodDefinition> Methods { get; }
    }
}
