namespace MetaJit.Examples.Brainfuck;

/// <summary>
/// The Brainfuck interpreter: a plain dispatch loop in RC# with two hints. <see cref="Driver"/> names the
/// position in the user program (greens: the pc and the program) and the rest of the live state (reds: the
/// tape, the head position and the I/O channel). <c>JitMergePoint</c> marks the top of the loop;
/// <c>CanEnterJit</c> sits on the one backward jump, <c>]</c>. With no engine attached both do nothing.
/// </summary>
public static class BfInterpreter
{
    /// <summary>The initial tape length; the tape grows to the right on demand.</summary>
    public const int InitialTapeLength = 30000;

    /// <summary>The longest the tape grows (64 Mi cells, over 2,000 times the classic 30,000): a program that
    /// runs off to the right ends with an error instead of taking all memory.</summary>
    public const int MaxTapeLength = 1 << 26;

    private static readonly JitDriver Driver = new(
        greens: new[] { "pc", "program" },
        reds: new[] { "tape", "pos", "io" },
        printableLocation: g => ((BfProgram)g[1]!).Describe((int)g[0]!),
        name: "brainfuck");

    /// <summary>Runs <paramref name="program"/> to its end; returns 0.</summary>
    /// <exception cref="BfRuntimeError">The head moved left of the first cell or right of the last
    /// (<see cref="MaxTapeLength"/>).</exception>
    public static int Run(BfProgram program, BfIo io)
    {
        try
        {
            return Execute(program, io);
        }
        finally
        {
            io.Flush();
        }
    }

    /// <summary>The portal: the dispatch loop the JIT traces.</summary>
    private static int Execute(BfProgram program, BfIo io)
    {
        byte[] tape = new byte[InitialTapeLength];
        int pos = 0;
        int pc = 0;
        while (true)
        {
            Driver.JitMergePoint(pc, program, tape, pos, io);
            if (pc >= program.Length) return 0;
            int arg = program.Args[pc];
            switch (program.Ops[pc])
            {
                case BfOp.Add:
                    tape[pos] = (byte)(tape[pos] + arg);
                    pc++;
                    break;
                case BfOp.Move:
                    pos += arg;
                    if (pos < 0) throw new BfRuntimeError("Brainfuck: moved left of the first cell at " + program.Describe(pc));
                    if (pos >= tape.Length)
                    {
                        if (pos >= MaxTapeLength)
                            throw new BfRuntimeError("Brainfuck: moved right of the last cell (the tape holds at most 67108864) at " + program.Describe(pc));
                        tape = Grow(tape, pos);
                    }
                    pc++;
                    break;
                case BfOp.Output:
                    io.Write(tape[pos]);
                    pc++;
                    break;
                case BfOp.Input:
                    int c = io.Read();
                    if (c >= 0) tape[pos] = (byte)c;
                    pc++;
                    break;
                case BfOp.JumpIfZero:
                    if (tape[pos] == 0) pc = arg;
                    else pc++;
                    break;
                case BfOp.JumpIfNonZero:
                    if (tape[pos] != 0)
                    {
                        pc = arg;
                        if (Driver.CanEnterJit(ref pc, ref program, ref tape, ref pos, ref io, out int result)) return result;
                    }
                    else
                    {
                        pc++;
                    }
                    break;
                case BfOp.Clear:
                    tape[pos] = 0;
                    pc++;
                    break;
                case BfOp.MulAdd:
                    int target = pos + program.Offsets[pc];
                    if (target < 0 || target >= tape.Length)
                    {
                        // The loop this stands for went there only if it ran at all.
                        if (tape[pos] == 0)
                        {
                            pc++;
                            break;
                        }
                        if (target < 0) throw new BfRuntimeError("Brainfuck: moved left of the first cell at " + program.Describe(pc));
                        if (target >= MaxTapeLength)
                            throw new BfRuntimeError("Brainfuck: moved right of the last cell (the tape holds at most 67108864) at " + program.Describe(pc));
                        tape = Grow(tape, target);
                    }
                    tape[target] = (byte)(tape[target] + tape[pos] * arg);
                    pc++;
                    break;
                default:
                    throw new BfRuntimeError("Brainfuck: bad instruction at " + program.Describe(pc));
            }
        }
    }

    /// <summary>A longer tape holding the old cells: doubled until it holds <paramref name="pos"/> (below
    /// <see cref="MaxTapeLength"/>), at most that long.</summary>
    private static byte[] Grow(byte[] tape, int pos)
    {
        int length = tape.Length;
        while (length <= pos) length = length > MaxTapeLength / 2 ? MaxTapeLength : length * 2;
        byte[] grown = new byte[length];
        System.Array.Copy(tape, grown, tape.Length);
        return grown;
    }
}
