using MetaJit.Tests.Shared;
using MetaJit.Engine.Runtime;
using System.Text;
using MetaJit.Examples.Brainfuck;

namespace MetaJit.Examples.Tests.Fuzzing;

/// <summary>
/// Differential fuzzing: random Brainfuck programs (<see cref="BfProgramGenerator"/>) must print exactly what the
/// native interpreter prints, and end with the same error if any, in the blackhole and under the JIT (everything
/// traced at once; every guard bridged, every loop recompiled as a tree as early as possible; everything traced with
/// parameters drawn from the seed, <see cref="FuzzSettings.SomeParameters"/>).
/// METAJIT_FUZZ_ITERATIONS sets how many programs; a failure names the seed and shows the program.
/// </summary>
[TestFixture]
[NonParallelizable]
public class RandomBfProgramTests
{
    private static int Iterations => FuzzSettings.Iterations(ciDefault: 40);
    private static int FirstSeed => FuzzSettings.FirstSeed;

    private static readonly Dictionary<string, string> BridgeEverything = new()
    {
        ["trace_eagerness"] = "1",
        ["bridge_budget"] = "0",
        ["tree_eagerness"] = "1",
        ["background_compile"] = "off", // trees at once: the test counts programs that got one
    };

    private record Outcome(string Stdout, string? Error, JitStatistics Statistics);

    private static Outcome Run(string source, RunMode mode, int threshold = 1, Dictionary<string, string>? parameters = null)
    {
        using var scope = EngineScope.Start(typeof(BfInterpreter), mode, threshold, parameters: parameters);
        var stdout = new MemoryStream();
        string? error = null;
        try
        {
            BfInterpreter.Run(BfProgram.Parse(source), new BfIo(new MemoryStream(), stdout));
        }
        catch (BfRuntimeError e)
        {
            error = e.Message;
        }
        return new Outcome(Encoding.Latin1.GetString(stdout.ToArray()), error, scope.Statistics);
    }

    [Test]
    public void Random_programs_behave_alike_in_every_mode()
    {
        for (int seed = FirstSeed; seed < FirstSeed + Iterations; seed++)
        {
            string program = BfProgramGenerator.Generate(seed);
            var native = Run(program, RunMode.Native);
            Same(seed, program, "blackhole", native, Run(program, RunMode.Blackhole));
            Same(seed, program, "jit, threshold 1", native, Run(program, RunMode.Jit));
            Same(seed, program, "jit, everything bridged", native, Run(program, RunMode.Jit, threshold: 2, parameters: BridgeEverything));
            var drawn = FuzzSettings.SomeParameters(seed);
            Same(seed, program, $"jit, threshold 1, {FuzzSettings.Describe(drawn)}", native, Run(program, RunMode.Jit, parameters: drawn));
        }
    }


    /// <summary>The generator writes programs that output, mostly run to their end, use the multiply-add idiom, and
    /// get compiled (with trees when bridged).</summary>
    [Test]
    public void Random_programs_are_valid_and_get_compiled()
    {
        int compiled = 0, failed = 0, withMulAdd = 0, printing = 0, trees = 0;
        for (int seed = 1; seed <= 20; seed++)
        {
            string source = BfProgramGenerator.Generate(seed);
            var jit = Run(source, RunMode.Jit);
            if (jit.Error != null) failed++;
            if (jit.Stdout.Length >= 10) printing++;
            if (jit.Statistics.LoopsCompiled > 0 && jit.Statistics.LoopEntries > 0) compiled++;
            if (BfProgram.Parse(source).Ops.Contains(BfOp.MulAdd)) withMulAdd++;
            if (Run(source, RunMode.Jit, threshold: 2, parameters: BridgeEverything).Statistics.TreesCompiled > 0) trees++;
        }
        Assert.That(compiled, Is.GreaterThanOrEqualTo(15), "programs whose loops were compiled and entered");
        Assert.That(failed, Is.InRange(1, 5), "programs ending in a runtime error");
        Assert.That(printing, Is.GreaterThanOrEqualTo(15), "programs printing at least 10 bytes");
        Assert.That(withMulAdd, Is.GreaterThanOrEqualTo(10), "programs using the multiply-add idiom");
        Assert.That(trees, Is.GreaterThanOrEqualTo(5), "programs whose loops were recompiled as trees when bridged");
    }

    /// <summary>Writes the programs of the seeds run (METAJIT_FUZZ_FIRST_SEED, METAJIT_FUZZ_ITERATIONS) into the folder METAJIT_FUZZ_DUMP, to read
    /// or run them with <c>metajit bf</c>.</summary>
    [Test, Explicit("writes files; for looking at what the generator writes")]
    public void Write_programs()
    {
        string folder = Environment.GetEnvironmentVariable("METAJIT_FUZZ_DUMP") ?? Path.Combine(Path.GetTempPath(), "bf-fuzz");
        Directory.CreateDirectory(folder);
        for (int seed = FirstSeed; seed < FirstSeed + Iterations; seed++)
            File.WriteAllText(Path.Combine(folder, $"seed{seed}.b"), BfProgramGenerator.Generate(seed));
    }

    private static void Same(int seed, string program, string mode, Outcome expected, Outcome actual)
    {
        if (actual.Stdout == expected.Stdout && actual.Error == expected.Error) return;
        Assert.Fail($"seed {seed}, {mode}: differs from native.\n" +
                    $"--- stdout ---\n{actual.Stdout}\n--- native stdout ---\n{expected.Stdout}\n" +
                    $"--- error ---\n{actual.Error}\n--- native error ---\n{expected.Error}\n" +
                    $"--- program ---\n{program}");
    }
}
