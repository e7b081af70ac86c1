namespace MetaJit.Engine.Execution;

/// <summary>Float operations without a trace op of their own, defined once for the blackhole and traces.</summary>
public static class FloatOps
{
    /// <summary>C# <c>%</c> on doubles (fmod: the sign of the dividend).</summary>
    public static double Mod(double a, double b) => a % b;

    /// <summary>IL <c>conv.r4</c>: round to float precision.</summary>
    public static double Round32(double a) => (float)a;
}
