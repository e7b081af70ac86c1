using MetaJit.Lox.Bytecode;
using MetaJit.Lox.Runtime;

namespace MetaJit.Lox.Vm;

/// <summary>
/// The dispatch loop: the portal the JIT traces. One call of <see cref="Execute"/> runs one Lox function
/// activation: a Lox call recurses in C# (as PyPy's interpreter does), and a return returns the value; a Lox
/// runtime error is thrown (<see cref="LoxRuntimeError"/>). Helpers: <see cref="Calls"/> (calling values,
/// frames), <see cref="Operators"/> (truthiness, equality, upvalues). Everything reachable from here is RC#;
/// hash tables, printing and interning sit behind <c>[DontLookInside]</c> methods.
/// </summary>
/// <remarks>
/// JIT hints: the greens are the instruction index and the running function's <see cref="Chunk"/> (a position
/// in the user program); the reds are the activation's frame (the virtualizable) and the VM. <c>CanEnterJit</c>
/// sits on the backward jump (<c>OP_LOOP</c>) and at the function's entry. A trace inlines the calls it makes
/// (the tracer follows the recursive portal call, its frame stays virtual); a call that would recurse into a
/// function the trace is already in more than <c>max_unroll_recursion</c> times calls that function's compiled
/// code directly (call_assembler). docs/lox.md has the details and the measurements.
/// </remarks>
public static class Interpreter
{
    private static readonly JitDriver Driver = new(
        greens: new[] { "ip", "chunk" },
        reds: new[] { "frame", "vm" },
        printableLocation: g => ((Chunk)g[1]!).Name + " line " + ((Chunk)g[1]!).Lines[(int)g[0]!] + ": " + (OpCode)((Chunk)g[1]!).Code[(int)g[0]!],
        name: "lox");

    /// <summary>Runs <paramref name="frame"/> (a call's new frame, or the script's) until its function returns;
    /// returns the returned value.</summary>
    /// <exception cref="LoxRuntimeError">The Lox program failed; each activation it leaves adds its line to its trace.</exception>
    public static object Execute(Frame frame, LoxVm vm)
    {
        try
        {
            return Run(frame, vm);
        }
        catch (LoxRuntimeError error)
        {
            // The stack trace is built while the error unwinds, innermost first: frame.Ip is the instruction that
            // failed or the call the error came out of. Outside the portal on purpose: an error that leaves the
            // portal while compiled code or the blackhole ran it has been through the portal's own handlers
            // already (docs/hints.md, CanEnterJit).
            error.AddFrame(frame.Closure.Function, frame.Ip);
            throw;
        }
    }

    /// <summary>The portal: one activation's dispatch loop.</summary>
    // Compiled optimized at its first call: tiered, this large method ran at tier 0 and was then compiled a second
    // time for on-stack replacement. Measured (Dec 2026): natively loops.lox 3.62 -> 3.35 s, method_calls 0.71 ->
    // 0.67 s; JIT runs a few ms faster. (Brainfuck's loop gained nothing.)
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static object Run(Frame frame, LoxVm vm)
    {
        Chunk chunk = frame.Closure.Function.Chunk;
        int ip = 0;
        // A function entry is a trace anchor too: a function called often (recursion, calls the tracer did not
        // inline) is traced from here to its return, and later calls run it as compiled code (call_assembler
        // from compiled callers).
        if (Driver.CanEnterJit(ref ip, ref chunk, ref frame, ref vm, out object entryResult)) return entryResult;
        while (true)
        {
            Driver.JitMergePoint(ip, chunk, frame, vm);
            byte[] code = chunk.Code;
            switch ((OpCode)code[ip])
            {
                case OpCode.Constant:
                    frame.Push(chunk.Constants[code[ip + 1]]);
                    ip += 2;
                    break;
                case OpCode.Nil:
                    frame.Push(LoxNil.Nil);
                    ip++;
                    break;
                case OpCode.True:
                    frame.Push(LoxBool.True);
                    ip++;
                    break;
                case OpCode.False:
                    frame.Push(LoxBool.False);
                    ip++;
                    break;
                case OpCode.Pop:
                    frame.Drop();
                    ip++;
                    break;
                case OpCode.GetLocal:
                    frame.Push(frame.Slots[code[ip + 1]]);
                    ip += 2;
                    break;
                case OpCode.SetLocal:
                    frame.Slots[code[ip + 1]] = frame.Peek(0);
                    ip += 2;
                    break;
                case OpCode.GetGlobal:
                {
                    var cell = (GlobalCell)chunk.Constants[code[ip + 1]];
                    object? value = cell.Value;
                    if (value == null) throw Calls.Fail(frame, ip, "Undefined variable '" + cell.Name + "'.");
                    frame.Push(value);
                    ip += 2;
                    break;
                }
                case OpCode.DefineGlobal:
                    ((GlobalCell)chunk.Constants[code[ip + 1]]).Set(frame.Pop());
                    ip += 2;
                    break;
                case OpCode.SetGlobal:
                {
                    var cell = (GlobalCell)chunk.Constants[code[ip + 1]];
                    if (cell.Value == null) throw Calls.Fail(frame, ip, "Undefined variable '" + cell.Name + "'.");
                    cell.Set(frame.Peek(0));
                    ip += 2;
                    break;
                }
                case OpCode.GetUpvalue:
                    frame.Push(frame.Closure.Upvalues[code[ip + 1]].Get());
                    ip += 2;
                    break;
                case OpCode.SetUpvalue:
                    frame.Closure.Upvalues[code[ip + 1]].Set(frame.Peek(0));
                    ip += 2;
                    break;
                case OpCode.GetProperty:
                {
                    if (!(frame.Peek(0) is LoxInstance instance)) throw Calls.Fail(frame, ip, "Only instances have properties.");
                    var name = (string)chunk.Constants[code[ip + 1]];
                    object? value = instance.GetField(name);
                    if (value == null)
                    {
                        LoxClosure? method = Jit.Promote(instance.Map).Klass.FindMethod(name);
                        if (method == null) throw Calls.Fail(frame, ip, "Undefined property '" + name + "'.");
                        value = new LoxBoundMethod(instance, method);
                    }
                    frame.Slots[frame.Sp - 1] = value;
                    ip += 2;
                    break;
                }
                case OpCode.SetProperty:
                {
                    if (!(frame.Peek(1) is LoxInstance instance)) throw Calls.Fail(frame, ip, "Only instances have fields.");
                    object value = frame.Pop();
                    instance.SetField((string)chunk.Constants[code[ip + 1]], value);
                    frame.Slots[frame.Sp - 1] = value;
                    ip += 2;
                    break;
                }
                case OpCode.GetSuper:
                {
                    var name = (string)chunk.Constants[code[ip + 1]];
                    var superclass = Jit.Promote((LoxClass)frame.Pop());
                    LoxClosure? method = superclass.FindMethod(name);
                    if (method == null) throw Calls.Fail(frame, ip, "Undefined property '" + name + "'.");
                    frame.Slots[frame.Sp - 1] = new LoxBoundMethod(frame.Peek(0), method);
                    ip += 2;
                    break;
                }
                case OpCode.Equal:
                {
                    object b = frame.Pop();
                    object a = frame.Pop();
                    frame.Push(Operators.ValuesEqual(a, b) ? LoxBool.True : LoxBool.False);
                    ip++;
                    break;
                }
                case OpCode.Greater:
                {
                    if (frame.Peek(1) is LoxNumber a && frame.Peek(0) is LoxNumber b)
                    {
                        frame.Drop();
                        frame.Slots[frame.Sp - 1] = a.Value > b.Value ? LoxBool.True : LoxBool.False;
                        ip++;
                        break;
                    }
                    throw Calls.Fail(frame, ip, "Operands must be numbers.");
                }
                case OpCode.Less:
                {
                    if (frame.Peek(1) is LoxNumber a && frame.Peek(0) is LoxNumber b)
                    {
                        frame.Drop();
                        frame.Slots[frame.Sp - 1] = a.Value < b.Value ? LoxBool.True : LoxBool.False;
                        ip++;
                        break;
                    }
                    throw Calls.Fail(frame, ip, "Operands must be numbers.");
                }
                case OpCode.Add:
                {
                    object right = frame.Peek(0);
                    object left = frame.Peek(1);
                    object sum;
                    if (left is LoxNumber a && right is LoxNumber b) sum = new LoxNumber(a.Value + b.Value);
                    // The VM is one object for the whole run: promoted, its string table is a constant in traces, so
                    // a concatenation of constants folds (Concat is elidable) and the result is an interned constant.
                    else if (left is string sa && right is string sb) sum = Jit.Promote(vm).Strings.Concat(sa, sb);
                    else throw Calls.Fail(frame, ip, "Operands must be two numbers or two strings.");
                    frame.Drop();
                    frame.Slots[frame.Sp - 1] = sum;
                    ip++;
                    break;
                }
                case OpCode.Subtract:
                {
                    if (frame.Peek(1) is LoxNumber a && frame.Peek(0) is LoxNumber b)
                    {
                        frame.Drop();
                        frame.Slots[frame.Sp - 1] = new LoxNumber(a.Value - b.Value);
                        ip++;
                        break;
                    }
                    throw Calls.Fail(frame, ip, "Operands must be numbers.");
                }
                case OpCode.Multiply:
                {
                    if (frame.Peek(1) is LoxNumber a && frame.Peek(0) is LoxNumber b)
                    {
                        frame.Drop();
                        frame.Slots[frame.Sp - 1] = new LoxNumber(a.Value * b.Value);
                        ip++;
                        break;
                    }
                    throw Calls.Fail(frame, ip, "Operands must be numbers.");
                }
                case OpCode.Divide:
                {
                    if (frame.Peek(1) is LoxNumber a && frame.Peek(0) is LoxNumber b)
                    {
                        frame.Drop();
                        frame.Slots[frame.Sp - 1] = new LoxNumber(a.Value / b.Value);
                        ip++;
                        break;
                    }
                    throw Calls.Fail(frame, ip, "Operands must be numbers.");
                }
                case OpCode.Not:
                    frame.Slots[frame.Sp - 1] = Operators.IsFalsey(frame.Peek(0)) ? LoxBool.True : LoxBool.False;
                    ip++;
                    break;
                case OpCode.Negate:
                {
                    if (!(frame.Peek(0) is LoxNumber n)) throw Calls.Fail(frame, ip, "Operand must be a number.");
                    frame.Slots[frame.Sp - 1] = new LoxNumber(-n.Value);
                    ip++;
                    break;
                }
                case OpCode.Print:
                    vm.Print(frame.Pop());
                    ip++;
                    break;
                case OpCode.Jump:
                    ip += 3 + ((code[ip + 1] << 8) | code[ip + 2]);
                    break;
                case OpCode.JumpIfFalse:
                    if (Operators.IsFalsey(frame.Peek(0))) ip += 3 + ((code[ip + 1] << 8) | code[ip + 2]);
                    else ip += 3;
                    break;
                case OpCode.Loop:
                    ip = ip + 3 - ((code[ip + 1] << 8) | code[ip + 2]);
                    if (Driver.CanEnterJit(ref ip, ref chunk, ref frame, ref vm, out object loopResult)) return loopResult;
                    break;
                case OpCode.Call:
                {
                    int argCount = code[ip + 1];
                    frame.Ip = ip;
                    Frame? callee = Calls.CallValue(frame, ip, argCount, vm);
                    if (callee != null) frame.Push(Execute(callee, vm));
                    ip += 2;
                    break;
                }
                case OpCode.Invoke:
                {
                    var name = (string)chunk.Constants[code[ip + 1]];
                    int argCount = code[ip + 2];
                    frame.Ip = ip;
                    Frame? callee = Calls.Invoke(frame, ip, name, argCount, vm);
                    if (callee != null) frame.Push(Execute(callee, vm));
                    ip += 3;
                    break;
                }
                case OpCode.SuperInvoke:
                {
                    var name = (string)chunk.Constants[code[ip + 1]];
                    int argCount = code[ip + 2];
                    frame.Ip = ip;
                    var superclass = Jit.Promote((LoxClass)frame.Pop());
                    LoxClosure? method = superclass.FindMethod(name);
                    if (method == null) throw Calls.Fail(frame, ip, "Undefined property '" + name + "'.");
                    frame.Push(Execute(Calls.CallClosure(frame, ip, method, argCount), vm));
                    ip += 3;
                    break;
                }
                case OpCode.Closure:
                {
                    var function = (LoxFunction)chunk.Constants[code[ip + 1]];
                    var closure = new LoxClosure(function);
                    frame.Push(closure);
                    int operand = ip + 2;
                    for (int i = 0; i < closure.Upvalues.Length; i++)
                    {
                        int index = code[operand + 1];
                        closure.Upvalues[i] = code[operand] == 1
                            ? Operators.CaptureUpvalue(frame, index)
                            : frame.Closure.Upvalues[index];
                        operand += 2;
                    }
                    ip = operand;
                    break;
                }
                case OpCode.CloseUpvalue:
                    Operators.CloseUpvalues(frame, frame.Sp - 1);
                    frame.Drop();
                    ip++;
                    break;
                case OpCode.Return:
                {
                    object result = frame.Pop();
                    if (frame.OpenUpvalues != null) Operators.CloseUpvalues(frame, 0);
                    return result;
                }
                case OpCode.Class:
                    frame.Push(new LoxClass(((GlobalCell)chunk.Constants[code[ip + 1]]).Name));
                    ip += 2;
                    break;
                case OpCode.Inherit:
                {
                    if (!(frame.Peek(1) is LoxClass superclass)) throw Calls.Fail(frame, ip, "Superclass must be a class.");
                    ((LoxClass)frame.Pop()).InheritFrom(superclass);
                    ip++;
                    break;
                }
                case OpCode.Method:
                {
                    var method = (LoxClosure)frame.Pop();
                    ((LoxClass)frame.Peek(0)).DefineMethod((string)chunk.Constants[code[ip + 1]], method);
                    ip += 2;
                    break;
                }
                default:
                    throw Calls.BadOpcode(code, ip);
            }
        }
    }
}
