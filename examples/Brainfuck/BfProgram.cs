namespace MetaJit.Examples.Brainfuck;

/// <summary>
/// A Brainfuck program compiled for the interpreter: runs of <c>+ - &lt; &gt;</c> folded into one
/// operation with a count, <c>[-]</c> turned into a clear, and every bracket given its partner's index
/// in advance. Green in the JitDriver: the JIT treats it as a constant of the trace.
/// </summary>
[Immutable]
public sealed class BfProgram
{
    /// <summary>Operation codes, one per instruction.</summary>
    public readonly int[] Ops;

    /// <summary>Argument of each instruction: a count, or the jump target of a bracket.</summary>
    public readonly int[] Args;

    /// <summary>The source line of each instruction, for the printable location.</summary>
    public readonly int[] Lines;

    internal BfProgram(int[] ops, int[] args, int[] lines)
    {
        Ops = ops;
        Args = args;
        Lines = lines;
    }

    /// <summary>Number of instructions.</summary>
    public int Length => Ops.Length;

    /// <summary>Compiles source text; unmatched brackets raise <see cref="BfSyntaxError"/> with their position.</summary>
    public static BfProgram Parse(string source, string fileName = "<program>") => BfCompiler.Compile(source, fileName);

    /// <summary>Readable form of instruction <paramref name="pc"/>, for logs.</summary>
    /// <remarks>[DontLookInside]: string interpolation is not RC# (it builds a struct), and formatting only
    /// happens on error paths and in logs, where a residual call costs nothing.</remarks>
    [DontLookInside]
    public string Describe(int pc)
    {
        if (pc >= Ops.Length) return $"pc={pc} <end>";
        return $"pc={pc} line {Lines[pc]} {BfOp.Name(Ops[pc])} {Args[pc]}";
    }
}
