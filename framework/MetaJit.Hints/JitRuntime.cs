namespace MetaJit;

/// <summary>The process-wide link between the hints and the JIT engine, if any.</summary>
public static class JitRuntime
{
    private static IJitEngine? _engine;

    /// <summary>The attached engine, or null: then every hint has its plain meaning.</summary>
    public static IJitEngine? Engine => _engine;

    /// <summary>Attaches an engine (replacing any earlier one). Drivers ask it on their next <c>CanEnterJit</c>.</summary>
    public static void Attach(IJitEngine engine)
    {
        ArgumentNullException.ThrowIfNull(engine);
        _engine = engine;
    }

    /// <summary>Detaches the engine; drivers that already hold a hook must be reset with <see cref="JitDriver.ResetHook"/>.</summary>
    public static void Detach() => _engine = null;
}
