namespace MetaJit.Examples.Brainfuck;

/// <summary>Command-line entry shared by the standalone runner and <c>metajit bf</c>.</summary>
public static class BfMain
{
    /// <summary>
    /// Brainfuck's own warm-up threshold. Its programs are many small loops, most entered often for a few
    /// iterations: with the framework's 1039, mandel.b compiles 276 loops whose exits fail 1.7M times
    /// (4.2 s); at 16,000 it compiles 85 (2.5 s). docs/perf-notes.md has the sweep. The user's
    /// METAJIT_THRESHOLD or METAJIT_PARAMS still wins.
    /// </summary>
    public const string JitThreshold = "16000";

    /// <summary>
    /// Brainfuck's own JIT defaults: <see cref="JitThreshold"/>, no background warm-up of the JIT at start
    /// (<c>warmup</c> off), and loops and bridges compiled on the other core (<c>background_compile</c> all).
    /// With this threshold short programs never trace, and the warm-up thread cost them 4-8 ms (hello.b,
    /// primes.b: ~0.065 s); on mandel.b what it saved (~30 ms of the first traces' optimizing and compiling) was
    /// lost in the run's noise. On mandel.b compiling costs more than the compiled code saves (docs/perf-notes.md),
    /// so what RyuJIT does off the interpreter's thread is won: 10-17% (Lox keeps the framework's <c>trees</c>, as
    /// its nqueens gets other trace shapes with <c>all</c>). Call it before the engine attaches, as the warm-up
    /// starts there.
    /// </summary>
    public static void SetJitDefaults()
    {
        Jit.SetDefaultParam("threshold", JitThreshold);
        Jit.SetDefaultParam("warmup", "off");
        Jit.SetDefaultParam("background_compile", "all");
    }

    /// <summary>Loads, compiles and runs a program file; returns the process exit code
    /// (0 ok, 1 program error, 2 missing file).</summary>
    public static int Run(string path, Stream stdin, Stream stdout, TextWriter stderr)
    {
        SetJitDefaults();
        if (!File.Exists(path))
        {
            stderr.WriteLine($"metajit: bf: no such file: {path}");
            return 2;
        }
        try
        {
            var program = BfProgram.Parse(File.ReadAllText(path), path);
            return BfInterpreter.Run(program, new BfIo(stdin, stdout));
        }
        catch (BfSyntaxError e)
        {
            stderr.WriteLine(e.Message);
            return 1;
        }
        catch (BfRuntimeError e)
        {
            stderr.WriteLine($"{path}: error: {e.Message}");
            return 1;
        }
    }
}
