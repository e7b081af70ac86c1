using System.Diagnostics;
using System.Text.RegularExpressions;

namespace MetaJit.Examples.Tests;

/// <summary>
/// GC stress: the bundled programs through the <c>metajit</c> command in a subprocess, under the JIT at threshold 2,
/// with a 64 KiB gen0 (<c>DOTNET_GCgen0size=0x10000</c>) so that collections happen all the time while compiled
/// code, the tracer, resume and the blackhole hold references. The summary's <c>gc collections</c> line says how
/// often: ~7,000 times on mandel.b (~370 without the setting); the short programs allocate too little for more
/// than one or two.
/// </summary>
[TestFixture]
public class GcStressTests
{
    /// <summary>Every program with everything compiled on the interpreter's thread (<c>background_compile</c> off:
    /// a short program ends before code compiled on the other core would be installed), and mandel.b also with
    /// Brainfuck's default (<c>all</c>), where RyuJIT runs on another thread while collections happen.</summary>
    public static IEnumerable<TestCaseData> Cases()
    {
        foreach (var name in BrainfuckPrograms.Small().Where(BrainfuckPrograms.HasLoops))
            yield return new TestCaseData(name, "off").SetName($"{name} under the jit with constant garbage collections prints its expected output");
        yield return new TestCaseData("mandel", "off").SetName("mandel under the jit with constant garbage collections prints its expected output");
        yield return new TestCaseData("mandel", "all").SetName("mandel compiled in the background with constant garbage collections prints its expected output");
    }

    [TestCaseSource(nameof(Cases))]
    public void Program_prints_its_expected_output(string name, string backgroundCompile)
    {
        var path = Path.Combine(BrainfuckPrograms.Folder, name + ".b");
        var inPath = Path.ChangeExtension(path, ".in");
        var (exit, stdout, stderr) = RunCli(File.Exists(inPath) ? File.ReadAllBytes(inPath) : Array.Empty<byte>(), backgroundCompile, "bf", path);
        Assert.That(exit, Is.Zero, stderr);
        Assert.That(stdout, Is.EqualTo(BrainfuckPrograms.Expected(name)), stderr);
        Assert.That(Statistic(stderr, "loops compiled"), Is.GreaterThan(0), stderr);
        Assert.That(Statistic(stderr, "loop entries"), Is.GreaterThan(0), stderr);
        // The short programs allocate little (a few traces): a collection or two. mandel.b compiles ~170k ops:
        // ~7,000 collections with the tiny gen0 against ~370 without it, so the setting is known to take effect
        // (~1,500 when RyuJIT's share of the allocations happens on the other thread).
        Assert.That(Statistic(stderr, "gc collections"), Is.GreaterThan(name != "mandel" ? 0 : backgroundCompile == "off" ? 2000 : 1000), "collections during the run");
    }

    /// <summary>A count from the <c>METAJIT_LOG=summary</c> lines.</summary>
    private static long Statistic(string stderr, string name)
    {
        var match = Regex.Match(stderr, "^" + name + @": (\d+)$", RegexOptions.Multiline);
        Assert.That(match.Success, Is.True, $"no '{name}' line in:\n{stderr}");
        return long.Parse(match.Groups[1].Value);
    }

    /// <summary>The built <c>metajit.dll</c> of the test's own configuration.</summary>
    private static string CliPath
    {
        get
        {
            var testDir = TestContext.CurrentContext.TestDirectory;     // tests/X/bin/<Configuration>/net10.0
            var configuration = new DirectoryInfo(testDir).Parent!.Name;
            var root = new DirectoryInfo(BrainfuckPrograms.Folder).Parent!.Parent!.Parent!.FullName;   // examples/Brainfuck/programs
            var cli = Path.Combine(root, "toolchain", "MetaJit.Cli", "bin", configuration, "net10.0", "metajit.dll");
            if (!File.Exists(cli)) Assert.Fail("metajit.dll not built at " + cli);
            return cli;
        }
    }

    private static (int Exit, byte[] Stdout, string Stderr) RunCli(byte[] input, string backgroundCompile, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(CliPath);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment["METAJIT_MODE"] = "jit";
        start.Environment["METAJIT_THRESHOLD"] = "2";
        start.Environment["METAJIT_LOG"] = "summary";
        start.Environment["METAJIT_PARAMS"] = "background_compile=" + backgroundCompile;
        start.Environment.Remove("METAJIT_OPTS");
        start.Environment["DOTNET_GCgen0size"] = "0x10000";
        using var process = Process.Start(start)!;
        var stdout = new MemoryStream();
        var copyOut = process.StandardOutput.BaseStream.CopyToAsync(stdout);
        var readErr = process.StandardError.ReadToEndAsync();
        process.StandardInput.BaseStream.Write(input);
        process.StandardInput.Close();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("metajit did not finish within 3 minutes");
        }
        copyOut.Wait();
        return (process.ExitCode, stdout.ToArray(), readErr.Result);
    }
}
