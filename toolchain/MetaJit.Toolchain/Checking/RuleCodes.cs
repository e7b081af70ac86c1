namespace MetaJit.Toolchain.Checking;

/// <summary>
/// The stable codes of the RC# rules. A code is never reused for another rule; docs/rcsharp.md has one
/// section per code with an example, the message and the fix.
/// </summary>
public static class RuleCodes
{
    /// <summary>Reflection: System.Reflection, Type.GetMethod and friends, Activator.</summary>
    public const string Reflection = "MJ001";
    /// <summary><c>dynamic</c> (Microsoft.CSharp.RuntimeBinder call sites).</summary>
    public const string Dynamic = "MJ002";
    /// <summary>Delegates, lambdas, closures and capturing local functions.</summary>
    public const string Delegate = "MJ003";
    /// <summary>LINQ (System.Linq).</summary>
    public const string Linq = "MJ004";
    /// <summary><c>yield</c> iterators and <c>async</c> methods.</summary>
    public const string StateMachine = "MJ005";
    /// <summary><c>lock</c> (Monitor, System.Threading.Lock).</summary>
    public const string Lock = "MJ006";
    /// <summary>Pointers and unsafe code: pointer types, <c>stackalloc</c>, <c>fixed</c>.</summary>
    public const string Pointer = "MJ007";
    /// <summary>Value types other than primitives and enums.</summary>
    public const string Struct = "MJ008";
    /// <summary>Managed references: ref locals and returns, ref/out/in parameters, taking an address.</summary>
    public const string Ref = "MJ009";
    /// <summary>Static constructors that do more than store constants and new objects in their own fields.</summary>
    public const string StaticConstructor = "MJ010";
    /// <summary>Threads, tasks and the rest of System.Threading.</summary>
    public const string Thread = "MJ011";
    /// <summary>Exception filters (<c>catch ... when</c>).</summary>
    public const string ExceptionFilter = "MJ012";
    /// <summary>Multi-dimensional arrays.</summary>
    public const string MultiDimensionalArray = "MJ013";
    /// <summary>Calls through function pointers (<c>calli</c>).</summary>
    public const string FunctionPointerCall = "MJ014";
    /// <summary>A <c>[Virtualizable]</c> declaration the engine cannot use (a missing field, a readonly scalar, ...).</summary>
    public const string Virtualizable = "MJ015";

    /// <summary>Every code with a one-line title, in order.</summary>
    public static readonly IReadOnlyList<(string Code, string Title)> All = new[]
    {
        (Reflection, "reflection"),
        (Dynamic, "dynamic"),
        (Delegate, "delegates, lambdas and closures"),
        (Linq, "LINQ"),
        (StateMachine, "yield iterators and async"),
        (Lock, "lock"),
        (Pointer, "pointers and unsafe code"),
        (Struct, "structs"),
        (Ref, "ref locals, ref returns, ref/out/in parameters, addresses"),
        (StaticConstructor, "static constructors with side effects"),
        (Thread, "threads and tasks"),
        (ExceptionFilter, "exception filters"),
        (MultiDimensionalArray, "multi-dimensional arrays"),
        (FunctionPointerCall, "calls through function pointers"),
        (Virtualizable, "[Virtualizable] declarations"),
    };
}
