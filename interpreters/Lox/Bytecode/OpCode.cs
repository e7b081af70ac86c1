namespace MetaJit.Lox.Bytecode;

/// <summary>
/// The instruction set: clox's, with the same operands and therefore the same sizes (one byte per simple
/// instruction, one-byte constant/slot operands, two-byte big-endian jump offsets), so jump limits and
/// "Loop body too large." trigger at exactly the same programs. Stack effects are in <see cref="Chunk"/>'s
/// compiler bookkeeping (<c>ChunkBuilder</c>).
/// </summary>
public enum OpCode : byte
{
    /// <summary>[k] push constant k.</summary>
    Constant,
    /// <summary>push nil.</summary>
    Nil,
    /// <summary>push true.</summary>
    True,
    /// <summary>push false.</summary>
    False,
    /// <summary>pop.</summary>
    Pop,
    /// <summary>[slot] push local.</summary>
    GetLocal,
    /// <summary>[slot] store top into local (top stays).</summary>
    SetLocal,
    /// <summary>[k: global cell] push global or fail "Undefined variable".</summary>
    GetGlobal,
    /// <summary>[k: global cell] define global from top, pop.</summary>
    DefineGlobal,
    /// <summary>[k: global cell] assign existing global (top stays).</summary>
    SetGlobal,
    /// <summary>[index] push upvalue.</summary>
    GetUpvalue,
    /// <summary>[index] store top into upvalue (top stays).</summary>
    SetUpvalue,
    /// <summary>[k: name] replace instance on top by its field or bound method.</summary>
    GetProperty,
    /// <summary>[k: name] instance, value → value; sets the field.</summary>
    SetProperty,
    /// <summary>[k: name] this, superclass → bound method of the superclass.</summary>
    GetSuper,
    /// <summary>a, b → a == b.</summary>
    Equal,
    /// <summary>a, b → a &gt; b.</summary>
    Greater,
    /// <summary>a, b → a &lt; b.</summary>
    Less,
    /// <summary>a, b → a + b (numbers or strings).</summary>
    Add,
    /// <summary>a, b → a - b.</summary>
    Subtract,
    /// <summary>a, b → a * b.</summary>
    Multiply,
    /// <summary>a, b → a / b.</summary>
    Divide,
    /// <summary>a → !a.</summary>
    Not,
    /// <summary>a → -a.</summary>
    Negate,
    /// <summary>print and pop the top.</summary>
    Print,
    /// <summary>[hi, lo] jump forward.</summary>
    Jump,
    /// <summary>[hi, lo] jump forward when the top is falsey (top stays).</summary>
    JumpIfFalse,
    /// <summary>[hi, lo] jump backward: the backward jump where the JIT may enter.</summary>
    Loop,
    /// <summary>[argc] call the value below the arguments.</summary>
    Call,
    /// <summary>[k: name, argc] call a method of the receiver below the arguments.</summary>
    Invoke,
    /// <summary>[k: name, argc] call a superclass method on this (superclass on top).</summary>
    SuperInvoke,
    /// <summary>[k: function, then (isLocal, index) per upvalue] push a new closure.</summary>
    Closure,
    /// <summary>close the upvalue of the top slot, pop.</summary>
    CloseUpvalue,
    /// <summary>return the top to the caller.</summary>
    Return,
    /// <summary>[k: name] push a new class.</summary>
    Class,
    /// <summary>superclass, subclass → superclass; copies the superclass's methods down.</summary>
    Inherit,
    /// <summary>[k: name] class, closure → class; defines a method.</summary>
    Method,
}
