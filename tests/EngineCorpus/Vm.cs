using MetaJit;

namespace EngineCorpus;

/// <summary>The instructions of the register machine; operands a, b, c are register numbers unless said.</summary>
public enum Op
{
    /// <summary>r[a] = b (a constant).</summary>
    Const,
    /// <summary>r[a] = r[b] + r[c].</summary>
    Add,
    /// <summary>r[a] = r[b] - r[c].</summary>
    Sub,
    /// <summary>r[a] = r[b] * r[c].</summary>
    Mul,
    /// <summary>r[a] = r[b] &lt; r[c] ? 1 : 0.</summary>
    Lt,
    /// <summary>pc = a (forward).</summary>
    Jump,
    /// <summary>if r[a] == 0 then pc = b (forward).</summary>
    JumpIfZero,
    /// <summary>pc = a (backward: the user program's loop).</summary>
    Loop,
    /// <summary>r[a] = helper b (a <see cref="Fn"/>) applied to r[c] and r[a].</summary>
    Call,
    /// <summary>Prints r[a].</summary>
    Print,
    /// <summary>Pushes r[a] on the machine's list.</summary>
    Push,
    /// <summary>r[a] = the top of the list plus the value saved in the machine; pops it and saves the popped node.</summary>
    Pop,
    /// <summary>Returns r[a].</summary>
    Halt,
    /// <summary>r[a] = r[b] * the program's quasi-immutable scale.</summary>
    Scale,
    /// <summary>The program's scale = r[a] (a write by the interpreter itself).</summary>
    SetScale,
    /// <summary>r[a] = <see cref="Helpers.Rescale"/>(settings, r[b], r[c]): a residual call that adds one to the
    /// scale when r[b] equals r[c].</summary>
    Rescale,
}

/// <summary>The helpers <see cref="Op.Call"/> calls.</summary>
public enum Fn
{
    /// <summary>Three levels of inlined calls with a branch in the deepest one (see <see cref="Helpers.Deep"/>).</summary>
    Deep,
    /// <summary>Throws a <see cref="VmError"/> from three calls down when the argument equals the limit.</summary>
    Check,
    /// <summary>Like <see cref="Check"/> but catches the error two calls down and returns -1.</summary>
    Safe,
    /// <summary>A residual call that forces a full GC every few calls.</summary>
    Collect,
    /// <summary>Calls a residual helper that always throws; an inlined helper catches it (see <see cref="Helpers.CatchResidual"/>).</summary>
    CatchResidual,
    /// <summary>Dereferences null and catches the NullReferenceException.</summary>
    CatchNull,
    /// <summary>Divides by zero and catches the DivideByZeroException.</summary>
    CatchDivide,
    /// <summary>Reads past the end of an array and catches the IndexOutOfRangeException.</summary>
    CatchIndex,
    /// <summary>Slices strings with <c>RString.Slice</c>, measures and reads them (see <see cref="Helpers.Slices"/>).</summary>
    Slices,
}

/// <summary>An error of the running program (the interpreter's own exception class).</summary>
public sealed class VmError : Exception
{
    /// <summary>Creates the error.</summary>
    public VmError(string message) : base(message) { }
}

/// <summary>A cell of the machine's linked list (heap objects the loop holds in locals and fields).</summary>
public sealed class Node
{
    /// <summary>Creates a node.</summary>
    public Node(long value, Node? next)
    {
        Value = value;
        Next = next;
    }

    /// <summary>The value.</summary>
    public long Value;
    /// <summary>The rest of the list.</summary>
    public Node? Next;
}

/// <summary>The machine state besides the pc: registers and a list.</summary>
public sealed class Machine
{
    /// <summary>The registers.</summary>
    public long[] Regs = new long[16];
    /// <summary>The last popped node.</summary>
    public Node? Saved;
}

/// <summary>Settings of a program that rarely change: the JIT reads them as constants of the program.</summary>
public sealed class Settings
{
    /// <summary>The factor of <see cref="Op.Scale"/>.</summary>
    [QuasiImmutable] public long Scale = 1;
}

/// <summary>A compiled program: one instruction per index.</summary>
public sealed class Program
{
    /// <summary>Creates a program from its instruction columns.</summary>
    public Program(Op[] ops, int[] a, int[] b, int[] c)
    {
        Ops = ops;
        A = a;
        B = b;
        C = c;
        Settings = new Settings();
    }

    /// <summary>The program's settings (one object per program: a constant where the program is).</summary>
    public readonly Settings Settings;

    /// <summary>The opcodes.</summary>
    [ImmutableElements] public readonly Op[] Ops;
    /// <summary>The first operands.</summary>
    [ImmutableElements] public readonly int[] A;
    /// <summary>The second operands.</summary>
    [ImmutableElements] public readonly int[] B;
    /// <summary>The third operands.</summary>
    [ImmutableElements] public readonly int[] C;
}

/// <summary>The interpreter: a dispatch loop with a JitDriver.</summary>
public static class Vm
{
    private static readonly JitDriver Driver = new(
        greens: new[] { "pc", "program" },
        reds: new[] { "machine", "stack", "output" },
        printableLocation: g => "pc " + g[0],
        name: "enginecorpus");

    /// <summary>Runs <paramref name="program"/>; a <see cref="VmError"/> is printed as "error: message" and gives -1.</summary>
    public static long Run(Program program, Output output)
    {
        try
        {
            return Execute(program, new Machine(), output);
        }
        catch (VmError e)
        {
            output.Error(e.Message);
            return -1;
        }
    }

    private static long Execute(Program program, Machine machine, Output output)
    {
        int pc = 0;
        Node? stack = null;
        while (true)
        {
            Driver.JitMergePoint(pc, program, machine, stack, output);
            long[] r = machine.Regs;
            int a = program.A[pc];
            int b = program.B[pc];
            int c = program.C[pc];
            switch (program.Ops[pc])
            {
                case Op.Const: r[a] = b; pc++; break;
                case Op.Add: r[a] = r[b] + r[c]; pc++; break;
                case Op.Sub: r[a] = r[b] - r[c]; pc++; break;
                case Op.Mul: r[a] = r[b] * r[c]; pc++; break;
                case Op.Lt: r[a] = r[b] < r[c] ? 1 : 0; pc++; break;
                case Op.Jump: pc = a; break;
                case Op.JumpIfZero: pc = r[a] == 0 ? b : pc + 1; break;
                case Op.Loop:
                    pc = a;
                    if (Driver.CanEnterJit(ref pc, ref program, ref machine, ref stack, ref output, out long result)) return result;
                    break;
                case Op.Call: r[a] = Helpers.Call((Fn)b, r[c], r[a]); pc++; break;
                case Op.Print: output.Write(r[a]); pc++; break;
                case Op.Push: stack = new Node(r[a], stack); pc++; break;
                case Op.Pop:
                    if (stack == null) throw new VmError("pop from an empty list at " + pc.ToString());
                    r[a] = stack.Value + (machine.Saved == null ? 0 : machine.Saved.Value);
                    machine.Saved = stack;
                    stack = stack.Next;
                    pc++;
                    break;
                case Op.Halt: return r[a];
                case Op.Scale: r[a] = r[b] * program.Settings.Scale; pc++; break;
                case Op.SetScale: program.Settings.Scale = r[a]; pc++; break;
                case Op.Rescale: r[a] = Helpers.Rescale(program.Settings, r[b], r[c]); pc++; break;
                default: throw new VmError("bad instruction at " + pc.ToString());
            }
        }
    }
}
