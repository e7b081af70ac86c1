using MetaJit.Lox.Runtime;

namespace MetaJit.Lox.Vm;

/// <summary>
/// A Lox runtime error. Thrown only for errors of the user program (never for control flow). Each activation
/// it unwinds through adds its line on the way out (<see cref="AddFrame"/>), innermost first, as CPython
/// builds a traceback: the stack trace needs no links between frames.
/// </summary>
public sealed class LoxRuntimeError : Exception
{
    private readonly List<string> _trace = new();

    /// <summary>An error with clox's message text.</summary>
    public LoxRuntimeError(string message) : base(message)
    {
    }

    /// <summary>The stack trace lines so far ("[line N] in f()"), innermost first.</summary>
    public IReadOnlyList<string> Trace => _trace;

    /// <summary>Records the activation of <paramref name="function"/> standing at instruction <paramref name="ip"/>
    /// (the failing one, or the call the error came out of).</summary>
    [DontLookInside]
    public void AddFrame(LoxFunction function, int ip) =>
        _trace.Add("[line " + function.Chunk.Lines[ip].ToString(System.Globalization.CultureInfo.InvariantCulture) + "] in "
                   + (function.Name == null ? "script" : function.Name + "()"));
}
