using Mono.Cecil;

namespace MetaJit.Toolchain.Checking;

/// <summary>Facts about call targets shared by the call walk and the rules.</summary>
internal static class CallRules
{
    private static readonly string[] StateMachineAttributes =
    {
        "System.Runtime.CompilerServices.IteratorStateMachineAttribute",
        "System.Runtime.CompilerServices.AsyncStateMachineAttribute",
        "System.Runtime.CompilerServices.AsyncIteratorStateMachineAttribute",
    };

    /// <summary>Calls the walk does not follow: the call itself is the error.</summary>
    public static bool StopsTheWalk(MethodReference target) =>
        CapturingLocalFunction(target) || (TypeFacts.TryResolve(target) is { } def && StateMachineKind(def) != null);

    /// <summary><c>"iterator"</c>, <c>"async"</c> or <c>"async iterator"</c> for a method compiled into a state machine; else null.</summary>
    public static string? StateMachineKind(MethodDefinition method)
    {
        if (!method.HasCustomAttributes) return null;
        foreach (var a in method.CustomAttributes)
        {
            switch (Array.IndexOf(StateMachineAttributes, a.AttributeType.FullName))
            {
                case 0: return "iterator (yield return)";
                case 1: return "async method";
                case 2: return "async iterator";
            }
        }
        return null;
    }

    /// <summary>The compiler-generated state machine type named by the method's attribute, if any.</summary>
    public static TypeDefinition? StateMachineType(MethodDefinition method)
    {
        foreach (var a in method.CustomAttributes)
        {
            if (Array.IndexOf(StateMachineAttributes, a.AttributeType.FullName) >= 0
                && a.ConstructorArguments.Count == 1 && a.ConstructorArguments[0].Value is TypeReference t)
                return TypeFacts.TryResolve(t);
        }
        return null;
    }

    /// <summary>A local function that captures variables: it takes its closure struct by reference.</summary>
    public static bool CapturingLocalFunction(MethodReference target) =>
        target.Parameters.Any(p => p.ParameterType is ByReferenceType r && TypeFacts.IsClosureType(r.ElementType));
}
