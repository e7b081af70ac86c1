using System.Reflection;
using MetaJit.Toolchain.Codewriting;
using MetaJit.Toolchain.Loading;
using MetaJit.Toolchain.Persistence;
using MetaJit.Toolchain.Weaving;

// What MetaJit.targets runs around an interpreter's build:
//   metajit-codewrite --weave ASSEMBLY [DIR...]   weave quasi-immutable writes into the intermediate assembly (in place)
//   metajit-codewrite ASSEMBLY                    codewrite the output assembly into ASSEMBLY.jitcodes
// Errors come out in the canonical "file(line): error CODE: message" form, so MSBuild and IDEs point at the source line.
if (args.Length >= 2 && args[0] == "--weave" && File.Exists(args[1]))
{
    try
    {
        var result = QuasiImmutableWeaver.Weave(args[1], args.Skip(2));
        if (!result.AlreadyWoven && result.Writes > 0)
            Console.WriteLine($"metajit: wove {result.Writes} quasi-immutable field writes into {Path.GetFileName(args[1])}");
        return 0;
    }
    catch (CodewriterException e)
    {
        var where = e.File != null ? $"{e.File}({e.Line})" : args[1];
        Console.Error.WriteLine($"{where}: error MJQI: {e.Reason}");
        return 1;
    }
}
if (args.Length != 1 || !File.Exists(args[0]))
{
    Console.Error.WriteLine("usage: metajit-codewrite ASSEMBLY | metajit-codewrite --weave ASSEMBLY [REFERENCE-DIR...]");
    return 2;
}
try
{
    var path = Path.GetFullPath(args[0]);
    var assembly = Assembly.LoadFrom(path);
    var set = JitCodeSetBuilder.Build(assembly);
    JitCodeFile.Write(set, assembly);
    Console.WriteLine($"metajit: codewrote {set.JitCodes.Count()} JitCodes of {assembly.GetName().Name} in {set.CodewritingTime?.TotalMilliseconds:F0} ms -> {JitCodeFile.PathFor(assembly)}");
    return 0;
}
catch (CodewriterException e)
{
    var where = e.File != null ? $"{e.File}({e.Line})" : args[0];
    Console.Error.WriteLine($"{where}: error MJCW: {e.Message}");
    return 1;
}
