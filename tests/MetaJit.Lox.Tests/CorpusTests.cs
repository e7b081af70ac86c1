namespace MetaJit.Lox.Tests;

/// <summary>Runs every program of the conformance corpus and compares stdout, stderr and the exit code exactly.</summary>
[TestFixture(LoxMode.Native)]
[TestFixture(LoxMode.Blackhole)]
[TestFixture(LoxMode.Jit)]
[TestFixture(LoxMode.Jit, "all")] // loops interpreted, guards failing into the blackhole, until their code is installed
[Parallelizable(ParallelScope.Children)]
public class CorpusTests
{
    private readonly LoxMode _mode;
    private readonly Dictionary<string, string>? _parameters;

    public CorpusTests(LoxMode mode) => _mode = mode;

    public CorpusTests(LoxMode mode, string backgroundCompile)
    {
        _mode = mode;
        _parameters = new Dictionary<string, string> { ["background_compile"] = backgroundCompile };
    }

    public static string Folder => Path.Combine(TestContext.CurrentContext.TestDirectory, "corpus");

    public static IEnumerable<TestCaseData> Programs()
    {
        string folder = Path.Combine(AppContext.BaseDirectory, "corpus");
        foreach (string file in Directory.EnumerateFiles(folder, "*.lox", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            string name = Path.GetRelativePath(folder, file).Replace('\\', '/');
            yield return new TestCaseData(name).SetName(name);
        }
    }

    [TestCaseSource(nameof(Programs))]
    public void Program_behaves_like_the_reference_vm(string name)
    {
        string path = Path.Combine(Folder, name);
        string source = File.ReadAllText(path);
        CorpusExpectations expected = CorpusExpectations.Parse(source);
        LoxOutcome actual = LoxRunner.Run(_mode, source, path, _parameters);
        Assert.Multiple(() =>
        {
            Assert.That(actual.Stdout, Is.EqualTo(expected.Stdout), "stdout");
            Assert.That(actual.Stderr, Is.EqualTo(expected.Stderr), "stderr");
            Assert.That(actual.ExitCode, Is.EqualTo(expected.ExitCode), "exit code");
        });
    }

    [Test]
    public void The_corpus_has_at_least_200_programs()
    {
        Assert.That(Programs().Count(), Is.GreaterThanOrEqualTo(200));
    }
}
