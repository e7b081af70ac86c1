using System.Reflection;
using MetaJit.Toolchain.Hosting;

namespace MetaJit.Cli;

/// <summary>Attaches the JIT engine for an interpreter as the environment asks (METAJIT_MODE and friends).</summary>
public static class EngineSetup
{
    /// <summary>Starts the engine; on a malformed setting prints one line and returns false. An interpreter the
    /// codewriter cannot translate runs without the JIT after a one-line warning naming file and line.</summary>
    public static bool TryStart(Assembly interpreter, TextWriter error)
    {
        try
        {
            JitHost.StartFromEnvironment(interpreter);
            return true;
        }
        catch (ArgumentException e)
        {
            // The user wrote the value, not a parameter of ours: no " (Parameter 'value')" tail.
            string message = e.ParamName == null ? e.Message : e.Message.Replace($" (Parameter '{e.ParamName}')", "", StringComparison.Ordinal);
            error.WriteLine("metajit: " + message);
            return false;
        }
        catch (Toolchain.Loading.CodewriterException e)
        {
            // The interpreter is not RC# where the JIT must look inside: say where, and run it without the JIT.
            error.WriteLine("metajit: JIT disabled: " + e.Message + " (run 'metajit check' on the interpreter for every error)");
            return true;
        }
    }
}
