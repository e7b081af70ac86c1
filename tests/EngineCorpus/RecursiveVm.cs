using MetaJit;

namespace EngineCorpus;

/// <summary>
/// The stack machine of <see cref="StackVm"/> (same programs, same virtualizable <see cref="SFrame"/>) written as
/// a recursive interpreter: one <see cref="Execute"/> call per call of the user program, as PyPy's interpreter
/// and Lox are. <c>CanEnterJit</c> sits on the backward jump and at the function's entry, so recursion without
/// a loop gets traces from function entries that end in finish.
/// </summary>
public static class RecursiveVm
{
    private static readonly JitDriver Driver = new(
        greens: new[] { "pc", "function", "program" },
        reds: new[] { "frame", "output" },
        printableLocation: g => "pc " + g[0],
        name: "recursivevm");

    /// <summary>Runs <paramref name="program"/>; a <see cref="VmError"/> is printed as "error: message" and gives -1.</summary>
    public static long Run(SProgram program, Output output)
    {
        try
        {
            return Execute(program, new SFrame(program.Functions[0], null), output);
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
        if (Driver.CanEnterJit(ref pc, ref function, ref program, ref frame, ref output, out long entryResult)) return entryResult;
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
                    CopyArgs(frame, callee, function.B[pc]);
                    frame.ReturnPc = pc + 1;
                    frame.Push(Execute(program, callee, output));
                    pc++;
                    break;
                }
                case SOp.Ret: return frame.Pop();
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
