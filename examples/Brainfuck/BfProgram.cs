namespace MetaJit.Examples.Brainfuck;

/// <summary>
/// A Brainfuck program compiled for the interpreter: runs of <c>+ - &lt; &gt;</c> folded into one
/// operation with a count, <c>[-]</c> turned into a clear, loops that move values between cells
/// (<c>[-&gt;+&lt;]</c>) turned into multiply-adds and a clear, and every bracket given its partner's index
/// in advance. Green in the JitDriver: the JIT treats it as a constant of the trace.
/// </summary>
[Immutable]
public sealed class BfProgram
{
    /// <summary>Operation codes, one per instruction (never changed: the JIT folds reads from them).</summary>
    [ImmutableElements]
    public readonly int[] Ops;

    /// <summary>Argument of each instruction: a count, or the jump target of a bracket.</summary>
    [ImmutableElements]
    public readonly int[] Args;

    /// <summary>The cell each <see cref="BfOp.MulAdd"/> adds to, relative to the head (0 for other
    /// instructions).</summary>
    [ImmutableElements]
    public readonly int[] Offsets;

    /// <summary>The source line of each instruction, for the printable location.</summary>
    [ImmutableElements]
    public readonly int[] Lines;

    internal BfProgram(int[] ops, int[] args, int[] offsets, int[] lines)
    {
        Ops = ops;
        Args = args;
        Offsets = offsets;
        Lines = lines;
    }

    /// <summary>Number of instructions.</summary>
    public int Length => Ops.Length;

    /// <summary>Compiles source text; unmatched brackets raise <see cref="BfSyntaxError"/> with their position.</summary>
    public static BfProgram Parse(string source, string fileName = "<program>") => BfCompiler.Compile(source, fileName);

    /// <summary>Readable form of instruction <paramref name="pc"/>, for logs and error messages (never traced).</summary>
    [DontLookInside]
    public string Describe(int pc)
    {
        if (pc >= Ops.Length) return $"pc={pc} <end>";
        string offset = Ops[pc] == BfOp.MulAdd ? $" to {Offsets[pc]:+0;-0}" : "";
        return $"pc={pc} line {Lines[pc]} {BfOp.Name(Ops[pc])} {Args[pc]}{offset}";
    }
}
