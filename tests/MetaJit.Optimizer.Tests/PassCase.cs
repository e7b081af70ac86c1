using NUnit.Framework;

namespace MetaJit.Optimizer.Tests;

/// <summary>A trace-in, trace-out case: a sentence, the passes to run, the input and the expected output.</summary>
public static class PassCase
{
    public static TestCaseData Make(string name, string passes, string input, string expected) =>
        new TestCaseData(passes, input, expected).SetName(name);
}
