using System.Reflection;
using MetaJit.Engine.Descriptors;
using MetaJit.Engine.JitCodes;
using MetaJit.Toolchain.Analysis;
using MetaJit.Toolchain.Codewriting;

namespace MetaJit.Toolchain.Persistence;

/// <summary>
/// The binary <c>.jitcodes</c> file written next to an interpreter assembly at build time, so the engine does
/// not codewrite at start-up. Keyed by the assembly's module MVID (a rebuilt assembly makes the file stale);
/// members are referenced by metadata token plus generic instantiation, each module by name and MVID.
/// Liveness is recomputed on load rather than stored (Lox: ~5 ms at a start, mostly first use of the code).
/// <see cref="TryRead"/> reads the modules and portals at once and the JitCodes when the engine first needs one
/// (the first hot key): decoding them is ~10-20 ms at a start, mostly the runtime's first use of reflection.
/// </summary>
/// <example><code>
/// JitCodeFile.Write(JitCodeSetBuilder.Build(asm), asm);   // build step (metajit codewrite)
/// var set = JitCodeFile.Load(asm);                        // engine start-up: file, or codewrite on demand
/// </code></example>
public static class JitCodeFile
{
    private const int Magic = 0x434A4A4D; // "MJJC"
    private const int Version = 1;

    /// <summary>Where the file of <paramref name="assembly"/> lives: <c>Foo.dll</c> -> <c>Foo.jitcodes</c>.</summary>
    public static string PathFor(Assembly assembly) => Path.ChangeExtension(assembly.Location, ".jitcodes");

    /// <summary>Writes <paramref name="set"/> for <paramref name="assembly"/> (to <see cref="PathFor"/> unless <paramref name="path"/>).</summary>
    public static void Write(JitCodeSet set, Assembly assembly, string? path = null)
    {
        path ??= PathFor(assembly);
        using var stream = new MemoryStream();
        var w = new JitCodeWriter(new BinaryWriter(stream));
        w.WriteHeader(Magic, Version, assembly.ManifestModule.ModuleVersionId);
        w.WriteSet(set);
        var tmp = path + "." + Environment.ProcessId + ".tmp";
        File.WriteAllBytes(tmp, stream.ToArray());
        File.Move(tmp, path, overwrite: true);
    }

    /// <summary>Reads the file of <paramref name="assembly"/>; null when it is missing, from another build
    /// (MVID mismatch) or from another runtime (a referenced module changed). The JitCodes themselves are read
    /// when the set is first asked for one (<see cref="JitCodeSet.EnsureCodes"/>).</summary>
    public static JitCodeSet? TryRead(Assembly assembly, string? path = null)
    {
        path ??= PathFor(assembly);
        if (!File.Exists(path)) return null;
        try
        {
            // The whole file in memory: the set reads its JitCodes from it later (JitCodeSet), whatever becomes of the file.
            var r = new BinaryReader(new MemoryStream(File.ReadAllBytes(path), writable: false));
            if (r.ReadInt32() != Magic || r.ReadInt32() != Version) return null;
            if (new Guid(r.ReadBytes(16)) != assembly.ManifestModule.ModuleVersionId) return null;
            return new JitCodeReader(r).ReadSet(path);
        }
        catch (StaleJitCodesException) { return null; }
        catch (Exception e) when (e is EndOfStreamException or ArgumentException or IOException or BadImageFormatException)
        {
            return null;
        }
    }

    /// <summary>The JitCodes of <paramref name="assembly"/>: from its file when current, else codewritten now
    /// (reported on stderr when <c>METAJIT_LOG</c> is set).</summary>
    public static JitCodeSet Load(Assembly assembly)
    {
        var set = TryRead(assembly);
        if (set != null) return set;
        var path = PathFor(assembly);
        set = JitCodeSetBuilder.Build(assembly);
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("METAJIT_LOG")))
            Console.Error.WriteLine($"metajit: {(File.Exists(path) ? "stale" : "no")} {Path.GetFileName(path)}; codewrote {set.JitCodes.Count()} JitCodes in {set.CodewritingTime?.TotalMilliseconds:F0} ms");
        // Keep the result beside the assembly, as a cache for the next start (like a .pyc); a read-only
        // install just codewrites again next time.
        try
        {
            Write(set, assembly, path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
        return set;
    }

    internal static EffectInfo EffectFor(MethodBase m) => CallPolicy.EffectOf(m);
}

/// <summary>A module a file refers to changed since it was written.</summary>
internal sealed class StaleJitCodesException : Exception
{
    public StaleJitCodesException(string message) : base(message) { }
}
