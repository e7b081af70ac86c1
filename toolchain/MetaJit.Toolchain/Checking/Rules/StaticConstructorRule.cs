using Mono.Cecil;
using Mono.Cecil.Cil;
using Op = Mono.Cecil.Cil.Code;

namespace MetaJit.Toolchain.Checking.Rules;

/// <summary>
/// MJ010: the static constructor of a class that looked-inside code uses may only initialise the class's own
/// static fields with constants, arrays and new objects. Concretely it may not call methods (constructors
/// through <c>new</c> are fine, and so are collection and array initialisers, <c>typeof</c> and creating delegates such as a
/// JitDriver's printable-location callback) and may not store into another class's static fields. The JIT
/// may read static readonly fields as constants of a trace; a static constructor with side effects would run
/// at a moment that depends on the runtime, not on the program.
/// </summary>
internal sealed class StaticConstructorRule : IRcsRule
{
    private static readonly HashSet<string> AllowedCalls = new()
    {
        "System.Runtime.CompilerServices.RuntimeHelpers::InitializeArray",
        "System.Runtime.CompilerServices.RuntimeHelpers::CreateSpan",
        "System.Type::GetTypeFromHandle",
    };

    private const string Fix = "a static constructor may only store constants and new objects in its own class's static fields; build the value in a constructor (new ...), or do the work in an explicit setup method called before the interpreter runs";

    public string Code => RuleCodes.StaticConstructor;

    /// <summary>
    /// A collection or object initialiser (<c>new List&lt;int&gt; { 1, 2 }</c>, <c>new Dictionary { ["a"] = 1 }</c>):
    /// Roslyn keeps the new object on the stack and calls it through <c>dup</c>.
    /// </summary>
    private static bool InitialisesNewObject(MethodContext method, Instruction call, MethodReference m) =>
        m.HasThis && method.Flow.ArgumentProducers(call) is [{ OpCode.Code: Op.Dup }, ..];

    public void Check(MethodContext method)
    {
        var owner = method.Method.DeclaringType;
        foreach (var ins in method.Instructions)
        {
            switch (ins.OpCode.Code)
            {
                case Op.Call:
                case Op.Callvirt:
                    var m = (MethodReference)ins.Operand;
                    if (!AllowedCalls.Contains(m.DeclaringType.GetElementType().FullName + "::" + m.Name) && !InitialisesNewObject(method, ins, m))
                        method.Report(Code, ins, $"call to {TypeFacts.Display(m)}", Fix);
                    break;
                case Op.Calli:
                    method.Report(Code, ins, "call through a function pointer", Fix);
                    break;
                case Op.Stsfld:
                    var f = (FieldReference)ins.Operand;
                    var declaring = TypeFacts.TryResolve(f.DeclaringType);
                    if (declaring != owner && !TypeFacts.IsCompilerGenerated(f.DeclaringType))
                        method.Report(Code, ins, $"store into {TypeFacts.Display(f.DeclaringType)}.{f.Name}, a static field of another class", Fix);
                    break;
            }
        }
    }
}
