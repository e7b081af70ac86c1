namespace MetaJit.Engine.Backend.Cil;

/// <summary>
/// The object a compiled trace's DynamicMethods are closed over: the reference constants they load (objects
/// cannot be IL literals), the float constants a tree's bridges load from memory, and the invalidation flag
/// <c>guard_not_invalidated</c> tests.
/// </summary>
public sealed class CilTraceContext
{
    internal CilTraceContext(object?[] constants, double[]? floats = null)
    {
        Constants = constants;
        Floats = floats ?? [];
    }

    /// <summary>Reference constants of the trace, indexed by the IL.</summary>
    public readonly object?[] Constants;

    /// <summary>Float constants of the bridges compiled into a tree (see CilEmitter.Tree.cs), indexed by the IL.</summary>
    public readonly double[] Floats;

    /// <summary>Set once the trace must no longer run past a <c>guard_not_invalidated</c>.</summary>
    public bool Invalidated;

    /// <summary>For a tree method's context: the loop it belongs to, through which its direct calls of itself
    /// settle their exit codes (<see cref="DirectCallWrapper"/>).</summary>
    public CilCompiledTrace? Owner;
}

/// <summary>Helpers the generated IL calls where an IL sequence would be longer than a call.</summary>
public static class CilRuntime
{
    /// <summary>True when <paramref name="a"/> * <paramref name="b"/> overflows 64 bits.</summary>
    public static bool MulOverflows(long a, long b) => Math.BigMul(a, b, out long low) != (low >> 63);
}
