// One overload per arity (greens + reds together), 1 to 8 values.
namespace MetaJit;

public sealed partial class JitDriver
{
    /// <summary>Marks the top of the dispatch loop: pass the greens, then the reds, in declared order.
    /// Natively a no-op; the tracer and the blackhole interpreter read it from the JitCode.</summary>
    public void JitMergePoint<T1>(T1 a1) { CheckArity(1); }

    /// <summary>Marks the top of the dispatch loop: pass the greens, then the reds, in declared order.
    /// Natively a no-op; the tracer and the blackhole interpreter read it from the JitCode.</summary>
    public void JitMergePoint<T1, T2>(T1 a1, T2 a2) { CheckArity(2); }

    /// <summary>Marks the top of the dispatch loop: pass the greens, then the reds, in declared order.
    /// Natively a no-op; the tracer and the blackhole interpreter read it from the JitCode.</summary>
    public void JitMergePoint<T1, T2, T3>(T1 a1, T2 a2, T3 a3) { CheckArity(3); }

    /// <summary>Marks the top of the dispatch loop: pass the greens, then the reds, in declared order.
    /// Natively a no-op; the tracer and the blackhole interpreter read it from the JitCode.</summary>
    public void JitMergePoint<T1, T2, T3, T4>(T1 a1, T2 a2, T3 a3, T4 a4) { CheckArity(4); }

    /// <summary>Marks the top of the dispatch loop: pass the greens, then the reds, in declared order.
    /// Natively a no-op; the tracer and the blackhole interpreter read it from the JitCode.</summary>
    public void JitMergePoint<T1, T2, T3, T4, T5>(T1 a1, T2 a2, T3 a3, T4 a4, T5 a5) { CheckArity(5); }

    /// <summary>Marks the top of the dispatch loop: pass the greens, then the reds, in declared order.
    /// Natively a no-op; the tracer and the blackhole interpreter read it from the JitCode.</summary>
    public void JitMergePoint<T1, T2, T3, T4, T5, T6>(T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6) { CheckArity(6); }

    /// <summary>Marks the top of the dispatch loop: pass the greens, then the reds, in declared order.
    /// Natively a no-op; the tracer and the blackhole interpreter read it from the JitCode.</summary>
    public void JitMergePoint<T1, T2, T3, T4, T5, T6, T7>(T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7) { CheckArity(7); }

    /// <summary>Marks the top of the dispatch loop: pass the greens, then the reds, in declared order.
    /// Natively a no-op; the tracer and the blackhole interpreter read it from the JitCode.</summary>
    public void JitMergePoint<T1, T2, T3, T4, T5, T6, T7, T8>(T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, T8 a8) { CheckArity(8); }

    /// <summary>Call at every backward jump of the user program, right before jumping to the merge point,
    /// with the state the merge point will see (greens, then reds). Returns false to keep interpreting
    /// from the (possibly updated) refs; true when the portal finished under the JIT and
    /// <paramref name="result"/> is its return value.</summary>
    public bool CanEnterJit<T1, TResult>(ref T1 a1, out TResult result)
    {
        if (_hook is EnterHook<T1, TResult> hook) return hook.CanEnterJit(ref a1, out result);
        if (JitRuntime.Engine is { } engine && engine.CreateEnterHook<EnterHook<T1, TResult>>(this, Types<T1>()) is { } created)
        {
            _hook = created;
            return created.CanEnterJit(ref a1, out result);
        }
        CheckArity(1);
        result = default!;
        return false;
    }

    /// <summary>Call at every backward jump of the user program, right before jumping to the merge point,
    /// with the state the merge point will see (greens, then reds). Returns false to keep interpreting
    /// from the (possibly updated) refs; true when the portal finished under the JIT and
    /// <paramref name="result"/> is its return value.</summary>
    public bool CanEnterJit<T1, T2, TResult>(ref T1 a1, ref T2 a2, out TResult result)
    {
        if (_hook is EnterHook<T1, T2, TResult> hook) return hook.CanEnterJit(ref a1, ref a2, out result);
        if (JitRuntime.Engine is { } engine && engine.CreateEnterHook<EnterHook<T1, T2, TResult>>(this, Types<T1, T2>()) is { } created)
        {
            _hook = created;
            return created.CanEnterJit(ref a1, ref a2, out result);
        }
        CheckArity(2);
        result = default!;
        return false;
    }

    /// <summary>Call at every backward jump of the user program, right before jumping to the merge point,
    /// with the state the merge point will see (greens, then reds). Returns false to keep interpreting
    /// from the (possibly updated) refs; true when the portal finished under the JIT and
    /// <paramref name="result"/> is its return value.</summary>
    public bool CanEnterJit<T1, T2, T3, TResult>(ref T1 a1, ref T2 a2, ref T3 a3, out TResult result)
    {
        if (_hook is EnterHook<T1, T2, T3, TResult> hook) return hook.CanEnterJit(ref a1, ref a2, ref a3, out result);
        if (JitRuntime.Engine is { } engine && engine.CreateEnterHook<EnterHook<T1, T2, T3, TResult>>(this, Types<T1, T2, T3>()) is { } created)
        {
            _hook = created;
            return created.CanEnterJit(ref a1, ref a2, ref a3, out result);
        }
        CheckArity(3);
        result = default!;
        return false;
    }

    /// <summary>Call at every backward jump of the user program, right before jumping to the merge point,
    /// with the state the merge point will see (greens, then reds). Returns false to keep interpreting
    /// from the (possibly updated) refs; true when the portal finished under the JIT and
    /// <paramref name="result"/> is its return value.</summary>
    public bool CanEnterJit<T1, T2, T3, T4, TResult>(ref T1 a1, ref T2 a2, ref T3 a3, ref T4 a4, out TResult result)
    {
        if (_hook is EnterHook<T1, T2, T3, T4, TResult> hook) return hook.CanEnterJit(ref a1, ref a2, ref a3, ref a4, out result);
        if (JitRuntime.Engine is { } engine && engine.CreateEnterHook<EnterHook<T1, T2, T3, T4, TResult>>(this, Types<T1, T2, T3, T4>()) is { } created)
        {
            _hook = created;
            return created.CanEnterJit(ref a1, ref a2, ref a3, ref a4, out result);
        }
        CheckArity(4);
        result = default!;
        return false;
    }

    /// <summary>Call at every backward jump of the user program, right before jumping to the merge point,
    /// with the state the merge point will see (greens, then reds). Returns false to keep interpreting
    /// from the (possibly updated) refs; true when the portal finished under the JIT and
    /// <paramref name="result"/> is its return value.</summary>
    public bool CanEnterJit<T1, T2, T3, T4, T5, TResult>(ref T1 a1, ref T2 a2, ref T3 a3, ref T4 a4, ref T5 a5, out TResult result)
    {
        if (_hook is EnterHook<T1, T2, T3, T4, T5, TResult> hook) return hook.CanEnterJit(ref a1, ref a2, ref a3, ref a4, ref a5, out result);
        if (JitRuntime.Engine is { } engine && engine.CreateEnterHook<EnterHook<T1, T2, T3, T4, T5, TResult>>(this, Types<T1, T2, T3, T4, T5>()) is { } created)
        {
            _hook = created;
            return created.CanEnterJit(ref a1, ref a2, ref a3, ref a4, ref a5, out result);
        }
        CheckArity(5);
        result = default!;
        return false;
    }

    /// <summary>Call at every backward jump of the user program, right before jumping to the merge point,
    /// with the state the merge point will see (greens, then reds). Returns false to keep interpreting
    /// from the (possibly updated) refs; true when the portal finished under the JIT and
    /// <paramref name="result"/> is its return value.</summary>
    public bool CanEnterJit<T1, T2, T3, T4, T5, T6, TResult>(ref T1 a1, ref T2 a2, ref T3 a3, ref T4 a4, ref T5 a5, ref T6 a6, out TResult result)
    {
        if (_hook is EnterHook<T1, T2, T3, T4, T5, T6, TResult> hook) return hook.CanEnterJit(ref a1, ref a2, ref a3, ref a4, ref a5, ref a6, out result);
        if (JitRuntime.Engine is { } engine && engine.CreateEnterHook<EnterHook<T1, T2, T3, T4, T5, T6, TResult>>(this, Types<T1, T2, T3, T4, T5, T6>()) is { } created)
        {
            _hook = created;
            return created.CanEnterJit(ref a1, ref a2, ref a3, ref a4, ref a5, ref a6, out result);
        }
        CheckArity(6);
        result = default!;
        return false;
    }

    /// <summary>Call at every backward jump of the user program, right before jumping to the merge point,
    /// with the state the merge point will see (greens, then reds). Returns false to keep interpreting
    /// from the (possibly updated) refs; true when the portal finished under the JIT and
    /// <paramref name="result"/> is its return value.</summary>
    public bool CanEnterJit<T1, T2, T3, T4, T5, T6, T7, TResult>(ref T1 a1, ref T2 a2, ref T3 a3, ref T4 a4, ref T5 a5, ref T6 a6, ref T7 a7, out TResult result)
    {
        if (_hook is EnterHook<T1, T2, T3, T4, T5, T6, T7, TResult> hook) return hook.CanEnterJit(ref a1, ref a2, ref a3, ref a4, ref a5, ref a6, ref a7, out result);
        if (JitRuntime.Engine is { } engine && engine.CreateEnterHook<EnterHook<T1, T2, T3, T4, T5, T6, T7, TResult>>(this, Types<T1, T2, T3, T4, T5, T6, T7>()) is { } created)
        {
            _hook = created;
            return created.CanEnterJit(ref a1, ref a2, ref a3, ref a4, ref a5, ref a6, ref a7, out result);
        }
        CheckArity(7);
        result = default!;
        return false;
    }

    /// <summary>Call at every backward jump of the user program, right before jumping to the merge point,
    /// with the state the merge point will see (greens, then reds). Returns false to keep interpreting
    /// from the (possibly updated) refs; true when the portal finished under the JIT and
    /// <paramref name="result"/> is its return value.</summary>
    public bool CanEnterJit<T1, T2, T3, T4, T5, T6, T7, T8, TResult>(ref T1 a1, ref T2 a2, ref T3 a3, ref T4 a4, ref T5 a5, ref T6 a6, ref T7 a7, ref T8 a8, out TResult result)
    {
        if (_hook is EnterHook<T1, T2, T3, T4, T5, T6, T7, T8, TResult> hook) return hook.CanEnterJit(ref a1, ref a2, ref a3, ref a4, ref a5, ref a6, ref a7, ref a8, out result);
        if (JitRuntime.Engine is { } engine && engine.CreateEnterHook<EnterHook<T1, T2, T3, T4, T5, T6, T7, T8, TResult>>(this, Types<T1, T2, T3, T4, T5, T6, T7, T8>()) is { } created)
        {
            _hook = created;
            return created.CanEnterJit(ref a1, ref a2, ref a3, ref a4, ref a5, ref a6, ref a7, ref a8, out result);
        }
        CheckArity(8);
        result = default!;
        return false;
    }

    private static Type[] Types<T1>() => new[] { typeof(T1) };
    private static Type[] Types<T1, T2>() => new[] { typeof(T1), typeof(T2) };
    private static Type[] Types<T1, T2, T3>() => new[] { typeof(T1), typeof(T2), typeof(T3) };
    private static Type[] Types<T1, T2, T3, T4>() => new[] { typeof(T1), typeof(T2), typeof(T3), typeof(T4) };
    private static Type[] Types<T1, T2, T3, T4, T5>() => new[] { typeof(T1), typeof(T2), typeof(T3), typeof(T4), typeof(T5) };
    private static Type[] Types<T1, T2, T3, T4, T5, T6>() => new[] { typeof(T1), typeof(T2), typeof(T3), typeof(T4), typeof(T5), typeof(T6) };
    private static Type[] Types<T1, T2, T3, T4, T5, T6, T7>() => new[] { typeof(T1), typeof(T2), typeof(T3), typeof(T4), typeof(T5), typeof(T6), typeof(T7) };
    private static Type[] Types<T1, T2, T3, T4, T5, T6, T7, T8>() => new[] { typeof(T1), typeof(T2), typeof(T3), typeof(T4), typeof(T5), typeof(T6), typeof(T7), typeof(T8) };
}
