using MetaJit;

namespace EngineCorpus;

/// <summary>The instructions of the stack machine (<see cref="StackVm"/>); operand a unless said.</summary>
public enum SOp
{
    /// <summary>Pushes a.</summary>
    Push,
    /// <summary>Pushes local a (a slot of the frame's stack).</summary>
    Load,
    /// <summary>Pops into local a.</summary>
    Store,
    /// <summary>Pops b, a; pushes a + b.</summary>
    Add,
    /// <summary>Pops b, a; pushes a - b.</summary>
    Sub,
    /// <summary>Pops b, a; pushes a &lt; b ? 1 : 0.</summary>
    Lt,
    /// <summary>Pops; jumps forward to a when it was 0.</summary>
    JumpIfZero,
    /// <summary>Jumps forward to a.</summary>
    Jump,
    /// <summary>Jumps back to a (the user program's loop).</summary>
    Loop,
    /// <summary>Calls function a with b arguments (popped into the callee's first locals); the result is pushed.</summary>
    Call,
    /// <summary>Pops the result and returns it to the caller (or ends the program).</summary>
    Ret,
    /// <summary>Pops and prints.</summary>
    Print,
    /// <summary>Pushes the sum of the frame's used slots, computed by a residual call that reads the frame.</summary>
    SumFrame,
    /// <summary>Pops v; a residual call stores v into local a of the frame and adds 1 to the frame's Acc.</summary>
    Poke,
    /// <summary>Pushes the frame's Acc (a scalar virtualizable field).</summary>
    Acc,
    /// <summary>Pops v; throws <see cref="VmError"/> when v equals a.</summary>
    FailIf,
}

/// <summary>One function of a stack program: code columns and the frame size.</summary>
public sealed class SFunction
{
    /// <summary>Creates a function.</summary>
    public SFunction(SOp[] ops, int[] a, int[] b, int locals, int maxStack)
    {
        Ops = ops;
        A = a;
        B = b;
        Locals = locals;
        MaxStack = maxStack;
    }

    /// <summary>The opcodes.</summary>
    [ImmutableElements] public readonly SOp[] Ops;
    /// <summary>First operands.</summary>
    [ImmutableElements] public readonly int[] A;
    /// <summary>Second operands.</summary>
    [ImmutableElements] public readonly int[] B;
    /// <summary>Locals (the first slots; arguments are the first locals).</summary>
    public readonly int Locals;
    /// <summary>Slots of a frame (locals first, then the expression stack).</summary>
    public readonly int MaxStack;
}

/// <summary>A stack program: its functions; function 0 runs first.</summary>
public sealed class SProgram
{
    /// <summary>Creates a program.</summary>
    public SProgram(SFunction[] functions) => Functions = functions;

    /// <summary>The functions.</summary>
    [ImmutableElements] public readonly SFunction[] Functions;
}

/// <summary>
/// An activation: the virtualizable of <see cref="StackVm"/>. Its stack pointer, accumulator and slot items
/// live in registers of compiled code.
/// </summary>
[Virtualizable("Sp", "Acc", "Slots[*]")]
public sealed class SFrame
{
    /// <summary>A frame for <paramref name="function"/> called from <paramref name="caller"/>.</summary>
    public SFrame(SFunction function, SFrame? caller)
    {
        Function = function;
        Caller = caller;
        Slots = new long[function.MaxStack];
        Sp = function.Locals;
    }

    /// <summary>The running function.</summary>
    public readonly SFunction Function;
    /// <summary>The caller, or null.</summary>
    public readonly SFrame? Caller;
    /// <summary>Locals and the expression stack.</summary>
    public readonly long[] Slots;
    /// <summary>The stack top.</summary>
    public int Sp;
    /// <summary>An accumulator residual calls update.</summary>
    public long Acc;
    /// <summary>The return address while a callee runs.</summary>
    public int ReturnPc;

    /// <summary>Pushes.</summary>
    public void Push(long v)
    {
        Slots[Sp] = v;
        Sp++;
    }

    /// <summary>Pops.</summary>
    public long Pop()
    {
        Sp--;
        return Slots[Sp];
    }
}

/// <summary>Residual calls that see the frame (the JIT must write its fields back before, re-read after).</summary>
public static class FrameCalls
{
    /// <summary>The sum of the used slots and the accumulator.</summary>
    [DontLookInside]
    public static long Sum(SFrame frame)
    {
        long s = frame.Acc;
        for (int i = 0; i < frame.Sp; i++) s += frame.Slots[i];
        return s;
    }

    /// <summary>Stores into a local and counts in the accumulator.</summary>
    [DontLookInside]
    public static void Poke(SFrame frame, int local, long value)
    {
        frame.Slots[local] = value;
        frame.Acc++;
    }
}

/// <summary>The stack machine: one dispatch loop, explicit frames (calls switch frames, as Lox does).</summary>
public static class StackVm
{
    private static readonly JitDriver Driver = new(
        greens: new[] { "pc", "function", "program" },
        reds: new[] { "frame", "output" },
        printableLocation: g => "pc " + g[0],
        name: "stackvm");

    /// <summary>Runs <paramref name="program"/>; a <see cref="VmError"/> is printed as "error: message" and gives -1.</summary>
    public static long Run(SProgram program, Output output)
    {
        try
        {
            var main = program.Functions[0];
            return Execute(program, new SFrame(main, null), output);
        }
        catch (VmError e)
        {
            output.Error(e.Message);
            return -1;
        }
    }

    private static long Execute(SProgram program, SFrame frame, Output output)
    {
        SFunction function = frame.Function;
        int pc = 0;
        while (true)
        {
            Driver.JitMergePoint(pc, function, program, frame, output);
            int a = function.A[pc];
            switch (function.Ops[pc])
            {
                case SOp.Push: frame.Push(a); pc++; break;
                case SOp.Load: frame.Push(frame.Slots[a]); pc++; break;
                case SOp.Store: frame.Slots[a] = frame.Pop(); pc++; break;
                case SOp.Add: { long y = frame.Pop(); long x = frame.Pop(); frame.Push(x + y); pc++; break; }
                case SOp.Sub: { long y = frame.Pop(); long x = frame.Pop(); frame.Push(x - y); pc++; break; }
                case SOp.Lt: { long y = frame.Pop(); long x = frame.Pop(); frame.Push(x < y ? 1 : 0); pc++; break; }
                case SOp.JumpIfZero: pc = frame.Pop() == 0 ? a : pc + 1; break;
                case SOp.Jump: pc = a; break;
                case SOp.Loop:
                    pc = a;
                    if (Driver.CanEnterJit(ref pc, ref function, ref program, ref frame, ref output, out long loopResult)) return loopResult;
                    break;
                case SOp.Call:
                {
                    var callee = new SFrame(program.Functions[a], frame);
                    int argc = function.B[pc];
                    CopyArgs(frame, callee, argc);
                    frame.ReturnPc = pc + 1;
                    frame = callee;
                    function = callee.Function;
                    pc = 0;
                    if (Driver.CanEnterJit(ref pc, ref function, ref program, ref frame, ref output, out long callResult)) return callResult;
                    break;
                }
                case SOp.Ret:
                {
                    long result = frame.Pop();
                    var caller = frame.Caller;
                    if (caller == null) return result;
                    frame = caller;
                    function = caller.Function;
                    pc = caller.ReturnPc;
                    frame.Push(result);
                    break;
                }
                case SOp.Print: output.Write(frame.Pop()); pc++; break;
                case SOp.SumFrame: { long s = FrameCalls.Sum(frame); frame.Push(s); pc++; break; }
                case SOp.Poke: FrameCalls.Poke(frame, a, frame.Pop()); pc++; break;
                case SOp.Acc: frame.Push(frame.Acc); pc++; break;
                case SOp.FailIf:
                    if (frame.Pop() == a) throw new VmError("failed at " + pc.ToString());
                    pc++;
                    break;
                default: throw new VmError("bad instruction at " + pc.ToString());
            }
        }
    }

    /// <summary>Moves the top <paramref name="argc"/> values of the caller into the callee's first locals.</summary>
    [UnrollSafe]
    private static void CopyArgs(SFrame from, SFrame to, int argc)
    {
        for (int i = argc - 1; i >= 0; i--) to.Slots[i] = from.Pop();
    }
}
