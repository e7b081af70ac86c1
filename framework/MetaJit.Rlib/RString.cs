namespace MetaJit.Rlib;

/// <summary>
/// String primitives whose meaning the JIT's optimizer knows (RPython's <c>rstr</c> in spirit). The interpreter
/// checks or clamps its indices in its own (traced) code, then calls the primitive, which does no check a trace
/// would need to keep: a slice that is only measured, indexed or sliced again is never built in compiled code.
/// </summary>
public static class RString
{
    /// <summary>
    /// The <paramref name="length"/> characters of <paramref name="s"/> from <paramref name="start"/>. The caller
    /// guarantees <c>s != null</c> and <c>0 &lt;= start &lt;= start + length &lt;= s.Length</c> (as after clamping a
    /// Python slice); the JIT relies on it and may skip the call entirely. Natively, a violation still throws
    /// (<see cref="string.Substring(int, int)"/>'s checks), but compiled code may not. The result has no identity
    /// of its own: two equal slices may or may not be the same object.
    /// </summary>
    [DontLookInside]
    [Elidable]
    public static string Slice(string s, int start, int length) => s.Substring(start, length);
}
