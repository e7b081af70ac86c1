using System.Reflection;
using RcsCorpus;

namespace MetaJit.Toolchain.Tests;

/// <summary>The JitCodes of the whole RC# corpus, written once for all tests.</summary>
internal static class Corpus
{
    public static readonly Type[] Classes =
    {
        typeof(Arithmetic), typeof(StringsAndChars), typeof(Arrays), typeof(Objects), typeof(Generics),
        typeof(ControlFlow), typeof(Boxing),
    };

    public static MethodInfo Method(string qualified)
    {
        var dot = qualified.IndexOf('.');
        var type = Classes.Single(c => c.Name == qualified[..dot]);
        return type.GetMethod(qualified[(dot + 1)..], BindingFlags.Public | BindingFlags.Static)!;
    }

    private static readonly Lazy<JitCodeSet> LazySet = new(() =>
    {
        var roots = Classes.SelectMany(c => c.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Where(m => !m.IsGenericMethodDefinition).Cast<MethodBase>()
            .Append(typeof(TinyVm).GetMethod(nameof(TinyVm.Run))!);
        return JitCodeSetBuilder.Build(typeof(Arithmetic).Assembly, roots, portalRoots: false);
    });

    public static JitCodeSet Set => LazySet.Value;

    public static JitCode Code(MethodBase m) => Set.Find(m) ?? throw new InvalidOperationException($"no JitCode for {m.Name}");

    /// <summary>Runs natively; returns the result or the exception's type.</summary>
    public static object? Native(MethodInfo m, object?[] args)
    {
        try { return m.Invoke(null, args); }
        catch (TargetInvocationException e) { return e.InnerException!.GetType(); }
    }

    /// <summary>Runs on the blackhole interpreter; returns the result or the exception's type.</summary>
    public static object? OnBlackhole(MethodInfo m, object?[] args)
    {
        try { return Blackhole.Call(Code(m), args); }
        catch (Exception e) { return e.GetType(); }
    }
}
