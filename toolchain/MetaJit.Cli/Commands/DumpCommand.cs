using System.Reflection;
using MetaJit.Engine.JitCodes;
using MetaJit.Toolchain.Codewriting;
using MetaJit.Toolchain.Loading;
using MetaJit.Toolchain.Persistence;

namespace MetaJit.Cli.Commands;

/// <summary>
/// <c>metajit dump ASSEMBLY [METHOD] [--write]</c>: codewrites an interpreter and prints its portals and
/// JitCodes (only those whose name contains METHOD, when given) with the source line of each instruction.
/// With <c>--write</c> it stores the JitCodes next to the assembly (<c>Foo.jitcodes</c>) instead: the build
/// step of <c>toolchain/MetaJit.Toolchain/build/MetaJit.targets</c>.
/// </summary>
public sealed class DumpCommand : ICommand
{
    /// <inheritdoc/>
    public string Name => "dump";
    /// <inheritdoc/>
    public string Usage => "ASSEMBLY [METHOD] [--write]";
    /// <inheritdoc/>
    public string Summary => "codewrite an interpreter and list its JitCodes (--write: store ASSEMBLY's .jitcodes)";

    /// <inheritdoc/>
    public int Run(string[] args, CliConsole console)
    {
        bool write = args.Contains("--write");
        var rest = args.Where(a => a != "--write").ToArray();
        if (rest.Length is < 1 or > 2)
        {
            console.Error.WriteLine("metajit: dump: expected ASSEMBLY [METHOD] (usage: metajit dump ASSEMBLY [METHOD] [--write])");
            return 2;
        }
        var path = Path.GetFullPath(rest[0]);
        if (!File.Exists(path))
        {
            console.Error.WriteLine($"metajit: dump: no such file: {rest[0]}");
            return 1;
        }
        JitCodeSet set;
        Assembly assembly;
        try
        {
            assembly = Assembly.LoadFrom(path);
            set = JitCodeSetBuilder.Build(assembly);
        }
        catch (CodewriterException e)
        {
            console.Error.WriteLine(e.Message);
            return 1;
        }
        if (write)
        {
            JitCodeFile.Write(set, assembly);
            console.Out.WriteLine($"metajit: wrote {JitCodeFile.PathFor(assembly)} ({set.JitCodes.Count()} JitCodes, {set.CodewritingTime?.TotalMilliseconds:F0} ms)");
            return 0;
        }
        var o = console.Out;
        o.WriteLine($"# {set.JitCodes.Count()} JitCodes, codewritten in {set.CodewritingTime?.TotalMilliseconds:F1} ms");
        foreach (var p in set.Portals)
            o.WriteLine($"portal {p.Name}: greens [{string.Join(", ", p.GreenNames)}] reds [{string.Join(", ", p.RedNames)}] in {p.JitCode?.Name} at pc {p.MergePointPc}");
        var filter = rest.Length == 2 ? rest[1] : null;
        foreach (var code in set.JitCodes.Where(c => filter == null || c.Name.Contains(filter, StringComparison.Ordinal)).OrderBy(c => c.Name, StringComparer.Ordinal))
        {
            o.WriteLine();
            o.Write(WithSource(code));
        }
        return 0;
    }

    /// <summary>The formatter's listing with each new source line's text above its first instruction.</summary>
    private static string WithSource(JitCode code)
    {
        string[]? source = code.SourceFile != null && File.Exists(code.SourceFile) ? File.ReadAllLines(code.SourceFile) : null;
        var listing = JitCodeFormatter.Format(code).Split('\n');
        var b = new System.Text.StringBuilder();
        b.AppendLine(listing[0].TrimEnd('\r'));
        int last = -1;
        for (int pc = 0; pc < code.Code.Length; pc++)
        {
            int line = pc < code.Lines.Length ? code.Lines[pc] : 0;
            if (source != null && line > 0 && line != last && line <= source.Length)
                b.AppendLine("        // " + source[line - 1].Trim());
            last = line;
            b.AppendLine(listing[pc + 1].TrimEnd('\r'));
        }
        foreach (var rest in listing.Skip(code.Code.Length + 1).Where(l => l.Trim().Length > 0)) b.AppendLine(rest.TrimEnd('\r'));
        return b.ToString();
    }
}
