namespace MetaJit.Examples.Brainfuck;

/// <summary>An error of the running program, such as moving left of the first cell.</summary>
public sealed class BfRuntimeError : Exception
{
    /// <summary>Creates the error.</summary>
    public BfRuntimeError(string message) : base(message) { }
}
