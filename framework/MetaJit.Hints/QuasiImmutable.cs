namespace MetaJit;

/// <summary>
/// The run-time side of <see cref="QuasiImmutableAttribute"/>. The MetaJit build step weaves a call of
/// <see cref="Changed"/> after every write of a quasi-immutable field, so the native interpreter, the blackhole
/// interpreter and compiled code all tell the JIT the same way. Natively (no engine attached) it does nothing.
/// </summary>
public static class QuasiImmutable
{
    /// <summary>
    /// The field called <paramref name="field"/> of <paramref name="obj"/> was just written: compiled code that
    /// read it as a constant must not run past its next <c>guard_not_invalidated</c>. Cheap when nothing depends
    /// on the object (writes are rare by contract).
    /// <code>_version = new(); QuasiImmutable.Changed(this, "_version");   // what the weaver inserts</code>
    /// </summary>
    public static void Changed(object obj, string field) => JitRuntime.Engine?.OnQuasiImmutableChanged(obj, field);
}
