namespace MetaJit.Examples.Brainfuck;

/// <summary>The compiled instruction set.</summary>
public static class BfOp
{
    /// <summary>Add the argument to the current cell (wrapping).</summary>
    public const int Add = 0;
    /// <summary>Move the head by the argument (may be negative).</summary>
    public const int Move = 1;
    /// <summary>Write the current cell to the output.</summary>
    public const int Output = 2;
    /// <summary>Read one byte into the current cell; at end of input leave it unchanged.</summary>
    public const int Input = 3;
    /// <summary><c>[</c>: jump past the matching <c>]</c> when the cell is zero.</summary>
    public const int JumpIfZero = 4;
    /// <summary><c>]</c>: jump back past the matching <c>[</c> when the cell is not zero.</summary>
    public const int JumpIfNonZero = 5;
    /// <summary><c>[-]</c> or <c>[+]</c>: set the cell to zero.</summary>
    public const int Clear = 6;
    /// <summary>Add the current cell times the argument to the cell at the instruction's offset (wrapping).
    /// A run of these and a <see cref="Clear"/> stand for a loop like <c>[-&gt;+&gt;++&lt;&lt;]</c>.</summary>
    public const int MulAdd = 7;

    /// <summary>Name of an operation, for listings.</summary>
    public static string Name(int op) => op switch
    {
        Add => "add",
        Move => "move",
        Output => "output",
        Input => "input",
        JumpIfZero => "jump_if_zero",
        JumpIfNonZero => "jump_if_nonzero",
        Clear => "clear",
        MulAdd => "mul_add",
        _ => "op" + op,
    };
}
