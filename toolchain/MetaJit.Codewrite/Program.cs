using System.Reflection;
using MetaJit.Toolchain.Codewriting;
using MetaJit.Toolchain.Loading;
using MetaJit.Toolchain.Persistence;

// metajit-codewrite ASSEMBLY: what MetaJit.targets runs after an interpreter builds. Errors come out in the
// canonical "file(line): error CODE: message" form, so MSBuild and IDEs point at the source line.
if (args.Length != 1 || !File.Exists(args[0]))
{
    Console.Error.WriteLine("usage: metajit-codewrite ASSEMBLY");
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
