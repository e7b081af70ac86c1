namespace MetaJit.Lox.Tests;

/// <summary>How a test runs a Lox program: every corpus test runs in each mode and must behave the same.</summary>
public enum LoxMode
{
    /// <summary>The interpreter as compiled .NET code, no JIT attached.</summary>
    Native,
    /// <summary>From the first CanEnterJit on, the portal runs on the blackhole interpreter (JitCodes).</summary>
    Blackhole,
    /// <summary>The JIT with threshold 1: nearly every loop is traced, compiled and entered.</summary>
    Jit,
}
