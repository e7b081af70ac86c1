using MetaJit.Tests.Shared;
namespace MetaJit.Lox.Tests.Fuzzing;

/// <summary>
/// Differential fuzzing: random Lox programs (<see cref="LoxProgramGenerator"/>) must print exactly what the native
/// interpreter prints, to stdout and stderr, with the same exit code, in the blackhole and under the JIT, once with
/// everything traced at once, once with guards bridged and trees compiled as early as possible, and once with
/// everything traced and parameters drawn from the seed (<see cref="FuzzSettings.SomeParameters"/>: some optimizer
/// passes off, short trace limits, short loop longevity).
/// METAJIT_FUZZ_ITERATIONS sets how many programs (CI runs a few dozen; a local run can take thousands).
/// A failure names the seed and shows the program, so it can be made a corpus test.
/// </summary>
[TestFixture]
public class RandomProgramTests
{
    private static int Iterations => FuzzSettings.Iterations(ciDefault: 40);
    private static int FirstSeed => FuzzSettings.FirstSeed;

    private static readonly Dictionary<string, string> TraceEverything = new()
    {
        ["threshold"] = "1",
        ["function_threshold"] = "2",
    };

    private static readonly Dictionary<string, string> BridgeEverything = new()
    {
        ["threshold"] = "2",
        ["function_threshold"] = "3",
        ["trace_eagerness"] = "1",
        ["bridge_budget"] = "0",
        ["tree_eagerness"] = "1",
        ["max_unroll_recursion"] = "1",
    };

    [Test]
    public void Random_programs_behave_alike_in_every_mode()
    {
        for (int seed = FirstSeed; seed < FirstSeed + Iterations; seed++)
        {
            string program = LoxProgramGenerator.Generate(seed);
            var native = LoxRunner.Run(LoxMode.Native, program);
            Same(seed, program, "blackhole", native, LoxRunner.Run(LoxMode.Blackhole, program));
            Same(seed, program, "jit, everything traced", native, LoxRunner.Run(LoxMode.Jit, program, parameters: TraceEverything));
            Same(seed, program, "jit, everything bridged", native, LoxRunner.Run(LoxMode.Jit, program, parameters: BridgeEverything));
            var drawn = FuzzSettings.SomeParameters(seed);
            var parameters = new Dictionary<string, string>(TraceEverything);
            foreach (var (name, value) in drawn) parameters[name] = value;
            Same(seed, program, $"jit, everything traced, {FuzzSettings.Describe(drawn)}", native, LoxRunner.Run(LoxMode.Jit, program, parameters: parameters));
        }
    }


    /// <summary>The generator writes programs that run (not a syntax error on every seed), that the JIT compiles,
    /// and whose recursion goes through call_assembler when bridged.</summary>
    [Test]
    public void Random_programs_are_valid_and_get_compiled()
    {
        int compiled = 0, failed = 0, callAssembler = 0;
        for (int seed = 1; seed <= 20; seed++)
        {
            string program = LoxProgramGenerator.Generate(seed);
            var jit = LoxRunner.Run(LoxMode.Jit, program, parameters: TraceEverything);
            Assert.That(jit.ExitCode, Is.Not.EqualTo(65), $"seed {seed} does not compile:\n{jit.Stderr}\n{program}");
            if (jit.ExitCode == 70) failed++;
            if (jit.Statistics.LoopsCompiled > 0 && jit.Statistics.LoopEntries > 0) compiled++;
            var log = new StringWriter();
            LoxRunner.Run(LoxMode.Jit, program, parameters: BridgeEverything, traceLog: log);
            if (log.ToString().Contains("call_assembler_", StringComparison.Ordinal)) callAssembler++;
        }
        Assert.That(compiled, Is.GreaterThanOrEqualTo(15), "programs whose loops were compiled and entered");
        Assert.That(failed, Is.LessThanOrEqualTo(10), "programs ending in a runtime error");
        Assert.That(callAssembler, Is.GreaterThanOrEqualTo(5), "programs whose traces call_assembler a recursive function");
    }

    /// <summary>Writes the programs of seeds 1 to METAJIT_FUZZ_ITERATIONS into the folder METAJIT_FUZZ_DUMP, to read
    /// or run them with <c>metajit lox</c>.</summary>
    [Test, Explicit("writes files; for looking at what the generator writes")]
    public void Write_programs()
    {
        string folder = Environment.GetEnvironmentVariable("METAJIT_FUZZ_DUMP") ?? Path.Combine(Path.GetTempPath(), "lox-fuzz");
        Directory.CreateDirectory(folder);
        for (int seed = FirstSeed; seed < FirstSeed + Iterations; seed++)
            File.WriteAllText(Path.Combine(folder, $"seed{seed}.lox"), LoxProgramGenerator.Generate(seed));
    }

    private static void Same(int seed, string program, string mode, LoxOutcome expected, LoxOutcome actual)
    {
        if (actual.Stdout == expected.Stdout && actual.Stderr == expected.Stderr && actual.ExitCode == expected.ExitCode) return;
        Assert.Fail($"seed {seed}, {mode}: differs from native.\n" +
                    $"exit {actual.ExitCode} (native {expected.ExitCode})\n" +
                    $"--- stdout ---\n{actual.Stdout}\n--- native stdout ---\n{expected.Stdout}\n" +
                    $"--- stderr ---\n{actual.Stderr}\n--- native stderr ---\n{expected.Stderr}\n" +
                    $"--- program ---\n{program}");
    }
}
