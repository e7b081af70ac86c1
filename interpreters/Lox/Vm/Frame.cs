using MetaJit.Lox.Runtime;

namespace MetaJit.Lox.Vm;

/// <summary>
/// One activation of a Lox function. Unlike clox's single shared value stack, each frame owns an array
/// (<see cref="Slots"/>: slot 0 is the callee or <c>this</c>, then parameters, locals and temporaries),
/// sized by the compiler's stack-depth count, so the JIT can keep a frame entirely in registers
/// (virtualizable) and remove the frames of inlined calls altogether. A frame does not point to its caller:
/// stack traces are collected while a runtime error unwinds (<see cref="LoxRuntimeError.AddFrame"/>), so a
/// callee's frame never makes its caller's frame reachable from the heap, and the JIT can keep an inlined
/// call's frame virtual even when it calls out. Once a call returns, its frame is dropped (the caller pushes the
/// result; open upvalues were closed by the return), so compiled code need not write it back there
/// (<c>DeadAfterReturn</c>). While the frame has no open upvalue, nothing but its own activation can reach it or
/// its slots, so compiled code keeps them in registers across calls (<c>PrivateWhileNull</c>).
/// </summary>
[Virtualizable("Sp", "Ip", "Slots[*]", DeadAfterReturn = true, PrivateWhileNull = nameof(OpenUpvalues))]
public sealed class Frame
{
    /// <summary>A frame for <paramref name="closure"/> with <paramref name="slots"/> slots (its chunk's
    /// <c>MaxStack</c>), <paramref name="depth"/> calls deep (1: the script).</summary>
    public Frame(LoxClosure closure, int slots, int depth)
        : this(closure, new object[slots], depth)
    {
    }

    /// <summary>A frame over a fresh <paramref name="slots"/> array. Only stores its arguments, so compiled code
    /// allocates a frame with <c>newobj</c> of it (docs/backend-cil.md, <c>new_with_vtable</c>), faster than a
    /// frame whose constructor also allocates.</summary>
    private Frame(LoxClosure closure, object[] slots, int depth)
    {
        Closure = closure;
        Slots = slots;
        Depth = depth;
    }

    /// <summary>The running closure.</summary>
    public readonly LoxClosure Closure;

    /// <summary>1 for the script, one more per nested call.</summary>
    public readonly int Depth;

    /// <summary>Locals and the expression stack.</summary>
    public readonly object[] Slots;

    /// <summary>The number of used slots (the stack top).</summary>
    public int Sp;

    /// <summary>The instruction the activation stands at while it calls out, or the one that failed: the line of
    /// its stack trace entry.</summary>
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
