using MetaJit.Lox.Runtime;

namespace MetaJit.Lox.Vm;

/// <summary>
/// Calling Lox values from the dispatch loop (RC#). A call of a Lox function returns the callee's new
/// <see cref="Frame"/> for the loop to continue in; natives and initializer-less classes finish at once
/// and return null (their result already on the caller's stack).
/// </summary>
public static class Calls
{
    /// <summary>The error of the instruction at <paramref name="ip"/> in <paramref name="frame"/>, ready to
    /// throw (the activations it leaves add the stack trace: see <see cref="Interpreter.Execute"/>).</summary>
    public static LoxRuntimeError Fail(Frame frame, int ip, string message)
    {
        frame.Ip = ip;
        return new LoxRuntimeError(message);
    }

    /// <summary><c>OP_CALL</c>: calls the value below the <paramref name="argCount"/> arguments on the stack.</summary>
    public static Frame? CallValue(Frame frame, int ip, int argCount, LoxVm vm)
    {
        object callee = frame.Peek(argCount);
        if (callee is LoxClosure closure) return CallClosure(frame, ip, closure, argCount);
        if (callee is LoxBoundMethod bound)
        {
            frame.Slots[frame.Sp - argCount - 1] = bound.Receiver;
            return CallClosure(frame, ip, bound.Method, argCount);
        }
        if (callee is LoxClass klass)
        {
            klass = Jit.Promote(klass);
            frame.Slots[frame.Sp - argCount - 1] = new LoxInstance(klass);
            // Promoted (one VM per run): "init" is then a constant and the lookup folds in traces.
            LoxClosure? initializer = klass.FindMethod(Jit.Promote(vm).InitString);
            if (initializer != null) return CallClosure(frame, ip, initializer, argCount);
            if (argCount != 0) throw Fail(frame, ip, ArityMessage(0, argCount));
            return null;
        }
        if (callee is LoxNative native)
        {
            object result = Natives.Call(native.Kind, vm);
            frame.Sp -= argCount + 1;
            frame.Push(result);
            return null;
        }
        throw Fail(frame, ip, "Can only call functions and classes.");
    }

    /// <summary><c>OP_INVOKE</c>: <c>receiver.name(args)</c> without creating a bound method; a field holding a
    /// callable shadows the method, as in clox.</summary>
    public static Frame? Invoke(Frame frame, int ip, string name, int argCount, LoxVm vm)
    {
        if (!(frame.Peek(argCount) is LoxInstance instance)) throw Fail(frame, ip, "Only instances have methods.");
        object? field = instance.GetField(name);
        if (field != null)
        {
            frame.Slots[frame.Sp - argCount - 1] = field;
            return CallValue(frame, ip, argCount, vm);
        }
        LoxClosure? method = Jit.Promote(instance.Map).Klass.FindMethod(name);
        if (method == null) throw Fail(frame, ip, "Undefined property '" + name + "'.");
        return CallClosure(frame, ip, method, argCount);
    }

    /// <summary>
    /// Checks arity and depth, then moves the callee slot and the arguments from the caller's stack into a new
    /// frame, which it returns. The copy loop runs <paramref name="argCount"/> times, a constant of the
    /// bytecode, hence <c>[UnrollSafe]</c>.
    /// </summary>
    [UnrollSafe]
    public static Frame CallClosure(Frame frame, int ip, LoxClosure closure, int argCount)
    {
        // A call site nearly always calls one function (closures of it may differ): promoted, its arity and
        // frame size are constants of the trace, so the callee's slot array has a known length and can stay
        // virtual, and the callee's code (a green) is known without a guard of its own.
        LoxFunction function = Jit.Promote(closure.Function);
        int arity = function.Arity;
        if (argCount != arity) throw Fail(frame, ip, ArityMessage(arity, argCount));
        if (frame.Depth == LoxVm.FramesMax) throw Fail(frame, ip, "Stack overflow.");
        var callee = new Frame(closure, function.Chunk.MaxStack, frame.Depth + 1);
        int first = frame.Sp - argCount - 1;
        object[] from = frame.Slots;
        object[] to = callee.Slots;
        for (int i = 0; i <= argCount; i++)
        {
            to[i] = from[first + i];
            from[first + i] = null!; // popped: cleared (see Frame.Drop)
        }
        callee.Sp = argCount + 1;
        frame.Sp = first;
        return callee;
    }

    /// <summary>clox's arity message. Formatting ints calls methods on value types, which RC# keeps out of
    /// looked-inside code, and this only runs on the error path anyway.</summary>
    [DontLookInside]
    public static string ArityMessage(int expected, int got) =>
        "Expected " + expected.ToString(System.Globalization.CultureInfo.InvariantCulture) + " arguments but got "
        + got.ToString(System.Globalization.CultureInfo.InvariantCulture) + ".";

    /// <summary>The VM's complaint about a byte that is no instruction (a compiler bug, never a Lox error).</summary>
    [DontLookInside]
    public static Exception BadOpcode(byte[] code, int ip) =>
        new InvalidOperationException("Lox VM: bad opcode " + code[ip].ToString(System.Globalization.CultureInfo.InvariantCulture) + " at " + ip.ToString(System.Globalization.CultureInfo.InvariantCulture));
}
