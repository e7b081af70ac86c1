namespace MetaJit.Lox.Vm;

/// <summary>
/// A Lox runtime error. Thrown only for errors of the user program (never for control flow). Carries the
/// frame it happened in; the frame chain gives the stack trace.
/// </summary>
public sealed class LoxRuntimeError : Exception
{
    /// <summary>An error with clox's message text, raised in <paramref name="frame"/>.</summary>
    public LoxRuntimeError(string message, Frame frame) : base(message) => Frame = frame;

    /// <summary>The innermost frame at the error.</summary>
    public Frame Frame { get; }
}
