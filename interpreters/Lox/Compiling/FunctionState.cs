namespace MetaJit.Lox.Compiling;

/// <summary>What kind of function is being compiled (clox's FunctionType).</summary>
internal enum FunctionKind
{
    Function,
    Initializer,
    Method,
    Script,
}

/// <summary>A local variable slot: its name, scope depth (-1 while its initializer runs) and whether a closure captures it.</summary>
internal sealed class Local
{
    public Local(string name, int depth)
    {
        Name = name;
        Depth = depth;
    }

    public readonly string Name;
    public int Depth;
    public bool IsCaptured;
}

/// <summary>One upvalue of a function being compiled: an enclosing local slot or an enclosing upvalue index.</summary>
internal readonly record struct UpvalueRef(int Index, bool IsLocal);

/// <summary>The compiler state of one function (clox's Compiler struct); they nest like the functions.</summary>
internal sealed class FunctionState
{
    /// <summary>clox's UINT8_COUNT: locals and upvalues per function.</summary>
    public const int MaxSlots = 256;

    public FunctionState(FunctionState? enclosing, FunctionKind kind, string? name)
    {
        Enclosing = enclosing;
        Kind = kind;
        Name = name;
        // Slot 0 holds the callee, or 'this' in methods and initializers.
        Locals[LocalCount++] = new Local(kind == FunctionKind.Function ? "" : "this", 0);
        Chunk.Adjust(1);
    }

    public readonly FunctionState? Enclosing;
    public readonly FunctionKind Kind;
    public readonly string? Name;
    public int Arity;
    public readonly Local[] Locals = new Local[MaxSlots];
    public int LocalCount;
    public readonly UpvalueRef[] Upvalues = new UpvalueRef[MaxSlots];
    public int UpvalueCount;
    public int ScopeDepth;
    public readonly ChunkBuilder Chunk = new();
}

/// <summary>The class being compiled, for 'this' and 'super' checks (clox's ClassCompiler).</summary>
internal sealed class ClassState
{
    public ClassState(ClassState? enclosing) => Enclosing = enclosing;

    public readonly ClassState? Enclosing;
    public bool HasSuperclass;
}
