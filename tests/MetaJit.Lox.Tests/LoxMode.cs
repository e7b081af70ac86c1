namespace MetaJit.Lox.Tests;

/// <summary>
/// How a test runs a Lox program. Only <see cref="Native"/> exists today; the engine will add
/// Blackhole (every instruction on the blackhole interpreter) and Jit (low threshold, traces everywhere) here
/// and in <see cref="LoxRunner.Run"/>, and every corpus test then runs in each mode.
/// </summary>
public enum LoxMode
{
    /// <summary>The interpreter as compiled .NET code, no JIT attached.</summary>
    Native,
}
