using System.Reflection;
using MetaJit.Toolchain.Hosting;

namespace MetaJit.Cli;

/// <summary>Attaches the JIT engine for an interpreter as the environment asks (METAJIT_MODE and friends).</summary>
public static class EngineSetup
{
    /// <summary>Starts the engine; on a malformed setting prints one line and returns false.</summary>
    public static bool TryStart(Assembly interpreter, TextWriter error)
    {
        try
        {
            JitHost.StartFromEnvironment(interpreter);
            return true;
        }
        catch (ArgumentException e)
        {
            error.WriteLine("metajit: " + e.Message);
            return false;
        }
    }
}
