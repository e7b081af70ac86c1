namespace MetaJit;

// The engine's side of CanEnterJit: one abstract shape per arity, specialised by the
// CLR for the interpreter's green and red types, so counting costs no boxing.

/// <summary>What <see cref="JitDriver.CanEnterJit{T1, TResult}"/> calls when an engine is attached (1 value(s)).</summary>
public abstract class EnterHook<T1, TResult>
{
    /// <summary>Counts, traces, or runs compiled code; see <see cref="JitDriver"/>.</summary>
    public abstract bool CanEnterJit(ref T1 a1, out TResult result);
}

/// <summary>What <see cref="JitDriver.CanEnterJit{T1, T2, TResult}"/> calls when an engine is attached (2 value(s)).</summary>
public abstract class EnterHook<T1, T2, TResult>
{
    /// <summary>Counts, traces, or runs compiled code; see <see cref="JitDriver"/>.</summary>
    public abstract bool CanEnterJit(ref T1 a1, ref T2 a2, out TResult result);
}

/// <summary>What <see cref="JitDriver.CanEnterJit{T1, T2, T3, TResult}"/> calls when an engine is attached (3 value(s)).</summary>
public abstract class EnterHook<T1, T2, T3, TResult>
{
    /// <summary>Counts, traces, or runs compiled code; see <see cref="JitDriver"/>.</summary>
    public abstract bool CanEnterJit(ref T1 a1, ref T2 a2, ref T3 a3, out TResult result);
}

/// <summary>What <see cref="JitDriver.CanEnterJit{T1, T2, T3, T4, TResult}"/> calls when an engine is attached (4 value(s)).</summary>
public abstract class EnterHook<T1, T2, T3, T4, TResult>
{
    /// <summary>Counts, traces, or runs compiled code; see <see cref="JitDriver"/>.</summary>
    public abstract bool CanEnterJit(ref T1 a1, ref T2 a2, ref T3 a3, ref T4 a4, out TResult result);
}

/// <summary>What <see cref="JitDriver.CanEnterJit{T1, T2, T3, T4, T5, TResult}"/> calls when an engine is attached (5 value(s)).</summary>
public abstract class EnterHook<T1, T2, T3, T4, T5, TResult>
{
    /// <summary>Counts, traces, or runs compiled code; see <see cref="JitDriver"/>.</summary>
    public abstract bool CanEnterJit(ref T1 a1, ref T2 a2, ref T3 a3, ref T4 a4, ref T5 a5, out TResult result);
}

/// <summary>What <see cref="JitDriver.CanEnterJit{T1, T2, T3, T4, T5, T6, TResult}"/> calls when an engine is attached (6 value(s)).</summary>
public abstract class EnterHook<T1, T2, T3, T4, T5, T6, TResult>
{
    /// <summary>Counts, traces, or runs compiled code; see <see cref="JitDriver"/>.</summary>
    public abstract bool CanEnterJit(ref T1 a1, ref T2 a2, ref T3 a3, ref T4 a4, ref T5 a5, ref T6 a6, out TResult result);
}

/// <summary>What <see cref="JitDriver.CanEnterJit{T1, T2, T3, T4, T5, T6, T7, TResult}"/> calls when an engine is attached (7 value(s)).</summary>
public abstract class EnterHook<T1, T2, T3, T4, T5, T6, T7, TResult>
{
    /// <summary>Counts, traces, or runs compiled code; see <see cref="JitDriver"/>.</summary>
    public abstract bool CanEnterJit(ref T1 a1, ref T2 a2, ref T3 a3, ref T4 a4, ref T5 a5, ref T6 a6, ref T7 a7, out TResult result);
}

/// <summary>What <see cref="JitDriver.CanEnterJit{T1, T2, T3, T4, T5, T6, T7, T8, TResult}"/> calls when an engine is attached (8 value(s)).</summary>
public abstract class EnterHook<T1, T2, T3, T4, T5, T6, T7, T8, TResult>
{
    /// <summary>Counts, traces, or runs compiled code; see <see cref="JitDriver"/>.</summary>
    public abstract bool CanEnterJit(ref T1 a1, ref T2 a2, ref T3 a3, ref T4 a4, ref T5 a5, ref T6 a6, ref T7 a7, ref T8 a8, out TResult result);
}
