using MetaJit.Lox.Runtime;

namespace MetaJit.Lox.Vm;

/// <summary>
/// One activation of a Lox function. Unlike clox's single shared value stack, each frame owns an array
/// (<see cref="Slots"/>: slot 0 is the callee or <c>this</c>, then parameters, locals and temporaries),
/// sized by the compiler's stack-depth count, so the JIT can keep a frame entirely in registers
/// (virtualizable) and remove the frames of inlined calls altogether. Frames link to their caller; the VM
/// walks that chain for stack traces.
/// </summary>
[Virtualizable("Sp", "Ip", "Slots[*]")]
public sealed class Frame
{
    /// <summary>A frame for <paramref name="closure"/> called from <paramref name="caller"/>.</summary>
    public Frame(LoxClosure closure, Frame? caller, int depth)
    {
        Closure = closure;
        Caller = caller;
        Depth = depth;
        Slots = new object[closure.Function.Chunk.MaxStack];
    }

    /// <summary>The running closure.</summary>
    public readonly LoxClosure Closure;

    /// <summary>The calling frame, or null for the script.</summary>
    public readonly Frame? Caller;

    /// <summary>1 for the script, one more per nested call.</summary>
    public readonly int Depth;

    /// <summary>Locals and the expression stack.</summary>
    public readonly object[] Slots;

    /// <summary>The number of used slots (the stack top).</summary>
    public int Sp;

    /// <summary>The return address while a callee runs; after a runtime error, one past the failing instruction
    /// (so in both cases the instruction's line is <c>Lines[Ip - 1]</c>, as clox computes it).</summary>
    public int Ip;

    /// <summary>Upvalues still pointing into <see cref="Slots"/>, highest index first.</summary>
    public Upvalue? OpenUpvalues;

    /// <summary>Pushes a value.</summary>
    public void Push(object value)
    {
        Slots[Sp] = value;
        Sp++;
    }

    /// <summary>Pops a value.</summary>
    public object Pop()
    {
        Sp--;
        object value = Slots[Sp];
        Slots[Sp] = null!;
        return value;
    }

    /// <summary>Pops and forgets a value. Popped slots are cleared (as PyPy's frames do) so that no dead value
    /// stays in the frame: under the JIT the slots live in registers, and a stale copy of a value that is
    /// also live elsewhere would have to be allocated at the loop's back edge.</summary>
    public void Drop()
    {
        Sp--;
        Slots[Sp] = null!;
    }

    /// <summary>The value <paramref name="distance"/> below the top (0 = top).</summary>
    public object Peek(int distance) => Slots[Sp - 1 - distance];
}
