namespace MetaJit;

/// <summary>
/// What the hints need from a JIT engine. MetaJit.Jit implements it; a program attaches it through
/// <see cref="JitRuntime.Attach"/>. The hints never depend on the engine's assembly.
/// </summary>
public interface IJitEngine
{
    /// <summary>
    /// Makes the engine's side of <c>CanEnterJit</c> for one driver and one arity.
    /// <typeparamref name="THook"/> is an <c>EnterHook&lt;..., TResult&gt;</c> closed over the interpreter's types.
    /// Return null to leave this driver to the plain interpreter (for example when the JIT is off).
    /// </summary>
    THook? CreateEnterHook<THook>(JitDriver driver, Type[] valueTypes) where THook : class;

    /// <summary>Called by <see cref="Jit.SetParam"/> after the value was validated and stored.</summary>
    void OnParamChanged(string name, string value);

    /// <summary>Called by <see cref="QuasiImmutable.Changed"/> after a write of a quasi-immutable field.
    /// The default does nothing (an engine that never folds such reads).</summary>
    void OnQuasiImmutableChanged(object obj, string field) { }
}
