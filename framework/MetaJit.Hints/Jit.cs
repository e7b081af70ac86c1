namespace MetaJit;

/// <summary>
/// Hints an interpreter places in code the JIT looks inside. Each has a plain meaning when the program
/// runs natively (shown on each member); the tracer gives them their JIT meaning.
/// </summary>
public static class Jit
{
    /// <summary>
    /// Natively returns <paramref name="value"/>. In a trace the value becomes a constant, guarded by
    /// <c>guard_value</c>, so code after it specialises on it (for example a map or a class).
    /// <code>var map = Jit.Promote(obj.Map);</code>
    /// </summary>
    public static T Promote<T>(T value) => value;

    /// <summary>Natively false. In a trace: true when <paramref name="value"/> is a constant of the trace.</summary>
    public static bool IsConstant<T>(T value) => false;

    /// <summary>Natively false. True when the code runs as a trace or on the JIT's blackhole interpreter.</summary>
    public static bool WeAreJitted() => false;

    /// <summary>
    /// States that <paramref name="obj"/> is exactly of class <paramref name="type"/>. Natively a check that
    /// throws <see cref="InvalidOperationException"/> when it is false; in a trace a <c>guard_class</c>.
    /// </summary>
    public static void RecordExactClass(object obj, Type type)
    {
        ArgumentNullException.ThrowIfNull(obj);
        if (obj.GetType() != type)
            throw new InvalidOperationException($"RecordExactClass: object is a {obj.GetType()}, not a {type}.");
    }

    /// <summary>
    /// States that the elidable <paramref name="function"/> applied to <paramref name="arg"/> returns
    /// <paramref name="result"/>, so a later call with the same argument folds to it. Natively nothing happens
    /// (the function is not called). Pass a method group of an <see cref="ElidableAttribute"/> method.
    /// </summary>
    public static void RecordKnownResult<T1, TResult>(TResult result, Func<T1, TResult> function, T1 arg) { }

    /// <summary>Two-argument form of <see cref="RecordKnownResult{T1, TResult}"/>.</summary>
    public static void RecordKnownResult<T1, T2, TResult>(TResult result, Func<T1, T2, TResult> function, T1 arg1, T2 arg2) { }

    /// <summary>
    /// Sets a JIT parameter (see <see cref="JitParams"/> for names, defaults and meanings); validated
    /// whether or not an engine is attached, so a typo fails natively too.
    /// <code>Jit.SetParam("threshold", "200");</code>
    /// </summary>
    /// <exception cref="ArgumentException">Unknown name or malformed value.</exception>
    public static void SetParam(string name, string value)
    {
        JitParams.Set(name, value);
        JitRuntime.Engine?.OnParamChanged(name, value);
    }

    /// <summary>
    /// Sets the interpreter's own default for a JIT parameter (see <see cref="JitParams.SetDefault"/>): what the
    /// framework's default is replaced with for this language, while the user's <c>METAJIT_PARAMS</c> or
    /// <c>METAJIT_THRESHOLD</c> and <see cref="SetParam"/> still win.
    /// <code>Jit.SetDefaultParam("threshold", "16000");</code>
    /// </summary>
    /// <exception cref="ArgumentException">Unknown name or malformed value.</exception>
    public static void SetDefaultParam(string name, string value)
    {
        JitParams.SetDefault(name, value);
        JitRuntime.Engine?.OnParamChanged(name, JitParams.Get(name));
    }

    /// <summary>The current value of a JIT parameter, as text.</summary>
    public static string GetParam(string name) => JitParams.Get(name);
}
