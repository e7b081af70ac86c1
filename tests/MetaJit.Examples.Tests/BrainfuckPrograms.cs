namespace MetaJit.Examples.Tests;

/// <summary>The bundled Brainfuck programs with their expected output (and input, when they read any).</summary>
public static class BrainfuckPrograms
{
    /// <summary>The folder holding the bundled programs, found from the test's output folder.</summary>
    public static string Folder
    {
        get
        {
            var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
            while (dir != null && !File.Exists(Path.Combine(dir.FullName, "MetaJit.sln"))) dir = dir.Parent;
            if (dir == null) throw new InvalidOperationException("Cannot find the repository root above " + TestContext.CurrentContext.TestDirectory);
            return Path.Combine(dir.FullName, "examples", "Brainfuck", "programs");
        }
    }

    /// <summary>Programs with an expected output, excluding the long benchmark ones.</summary>
    public static IEnumerable<string> Small() =>
        Directory.GetFiles(Folder, "*.b").Where(p => File.Exists(Path.ChangeExtension(p, ".out")) && !IsLong(p))
            .Select(Path.GetFileNameWithoutExtension).OrderBy(n => n)!;

    /// <summary>Benchmark-sized programs (their first line says <c>long-running</c> or they are named mandel).</summary>
    public static bool IsLong(string path) => Path.GetFileNameWithoutExtension(path) == "mandel";

    /// <summary>Whether the compiled program still has a loop, i.e. a backward jump the JIT can compile (hello.b's
    /// loops all become multiply-adds).</summary>
    public static bool HasLoops(string name) =>
        Brainfuck.BfProgram.Parse(File.ReadAllText(Path.Combine(Folder, name + ".b"))).Ops.Contains(Brainfuck.BfOp.JumpIfNonZero);

    /// <summary>Runs a program from a fresh interpreter and returns (exit code, stdout bytes, stderr text).</summary>
    public static (int Exit, byte[] Stdout, string Stderr) Run(string name, byte[]? input = null)
    {
        var path = Path.Combine(Folder, name + ".b");
        var inPath = Path.ChangeExtension(path, ".in");
        input ??= File.Exists(inPath) ? File.ReadAllBytes(inPath) : Array.Empty<byte>();
        var stdout = new MemoryStream();
        var stderr = new StringWriter();
        int exit = Brainfuck.BfMain.Run(path, new MemoryStream(input), stdout, stderr);
        return (exit, stdout.ToArray(), stderr.ToString());
    }

    /// <summary>The expected stdout of a bundled program.</summary>
    public static byte[] Expected(string name) => File.ReadAllBytes(Path.Combine(Folder, name + ".out"));
}
