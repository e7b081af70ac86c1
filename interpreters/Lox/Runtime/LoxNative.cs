using MetaJit.Lox.Vm;
namespace MetaJit.Lox.Runtime;

/// <summary>
/// A native function. Natives are identified by <see cref="Kind"/> and run by a switch in
/// <see cref="Natives.Call"/> (no delegates: the dispatch loop must stay RC#). Like clox, natives do not
/// check their argument count.
/// </summary>
[Immutable]
public sealed class LoxNative
{
    /// <summary>A native of the given kind.</summary>
    public LoxNative(string name, NativeKind kind)
    {
        Name = name;
        Kind = kind;
    }

    /// <summary>The global name it is bound to.</summary>
    public readonly string Name;

    /// <summary>Which native it is.</summary>
    public readonly NativeKind Kind;

    /// <summary>How Lox prints natives.</summary>
    public override string ToString() => "<native fn>";
}

/// <summary>The native functions.</summary>
public enum NativeKind
{
    /// <summary><c>clock()</c>: seconds since the VM started, as a number.</summary>
    Clock,
}

/// <summary>The natives' implementations.</summary>
public static class Natives
{
    /// <summary>Runs native <paramref name="kind"/>; a residual call for the JIT.</summary>
    [DontLookInside]
    public static object Call(NativeKind kind, LoxVm vm)
    {
        switch (kind)
        {
            case NativeKind.Clock:
                return new LoxNumber(vm.Clock.Elapsed.TotalSeconds);
            default:
                return LoxNil.Nil;
        }
    }
}
