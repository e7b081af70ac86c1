namespace MetaJit.Toolchain.Checking.Tests;

/// <summary>One test per rule: its corpus portal reaches exactly the violations marked in its source.</summary>
[TestFixture]
public class RuleTests
{
    [TestCase("Reflection.cs", RuleCodes.Reflection)]
    [TestCase("Dynamic.cs", RuleCodes.Dynamic)]
    [TestCase("Lambda.cs", RuleCodes.Delegate)]
    [TestCase("Closure.cs", RuleCodes.Delegate)]
    [TestCase("Linq.cs", RuleCodes.Linq)]
    [TestCase("StateMachines.cs", RuleCodes.StateMachine)]
    [TestCase("Lock.cs", RuleCodes.Lock)]
    [TestCase("Pointer.cs", RuleCodes.Pointer)]
    [TestCase("Structs.cs", RuleCodes.Struct)]
    [TestCase("Ref.cs", RuleCodes.Ref)]
    [TestCase("StaticConstructor.cs", RuleCodes.StaticConstructor)]
    [TestCase("Threads.cs", RuleCodes.Thread)]
    [TestCase("ExceptionFilter.cs", RuleCodes.ExceptionFilter)]
    [TestCase("MultiDimensionalArray.cs", RuleCodes.MultiDimensionalArray)]
    [TestCase("FunctionPointer.cs", RuleCodes.FunctionPointerCall)]
    [TestCase("Virtualizables.cs", RuleCodes.Virtualizable)]
    public void Rule_is_reported_at_each_marked_line_and_nowhere_else(string file, string code)
    {
        var expected = Corpus.Expected(file);
        Assert.That(expected, Is.Not.Empty, "the corpus file marks no violation");
        Assert.That(expected.All(e => e.EndsWith(": " + code, StringComparison.Ordinal)), Is.True, "the corpus file should only exercise " + code);
        Assert.That(Corpus.Actual(file), Is.EqualTo(expected));
    }

    [Test]
    public void Every_rule_code_has_a_corpus_case()
    {
        var covered = Corpus.Expected().Select(e => e[(e.LastIndexOf(' ') + 1)..]).ToHashSet();
        Assert.That(RuleCodes.All.Select(r => r.Code), Is.SubsetOf(covered));
    }

    [Test]
    public void Rule_codes_are_distinct_and_numbered_in_order()
    {
        var codes = RuleCodes.All.Select(r => r.Code).ToList();
        Assert.That(codes, Is.Unique);
        Assert.That(codes, Is.EqualTo(Enumerable.Range(1, codes.Count).Select(i => $"MJ{i:000}")));
    }

    [Test]
    public void Messages_say_what_is_wrong_where_and_what_to_do()
    {
        foreach (var e in Corpus.Report.Errors)
        {
            Assert.That(e.Message, Does.Contain(" in looked-inside method "), e.ToString());
            Assert.That(e.Message.Split(": ", 2)[^1].Length, Is.GreaterThan(20), "a fix follows the colon: " + e);
            Assert.That(e.Line, Is.GreaterThan(0), e.ToString());
        }
    }
}
