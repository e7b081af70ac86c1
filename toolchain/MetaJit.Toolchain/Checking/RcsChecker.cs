using MetaJit.Toolchain.Checking.Rules;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace MetaJit.Toolchain.Checking;

/// <summary>
/// The RC# checker. In: an interpreter assembly (IL + portable PDB). Out: a <see cref="CheckReport"/> with
/// every construct the JIT cannot look inside, as <c>file:line: error MJ0xx: message</c>, all at once.
/// </summary>
/// <remarks>
/// The steps: <see cref="InterpreterAssembly"/> reads the module; <see cref="ReachableMethods"/> (or any
/// <see cref="IMethodSet"/>, such as the codewriter's call graph) says which methods must be RC#; each rule
/// in Rules/ (one per code in <see cref="RuleCodes"/>) looks at each of those methods; the static
/// constructors of the classes they use get the static-constructor rule, and those of them marked
/// <c>[Virtualizable]</c> the declaration rule. docs/rcsharp.md is the reference.
/// <code>
/// using var assembly = InterpreterAssembly.Load("MyInterpreter.dll");
/// var report = RcsChecker.Check(assembly);
/// foreach (var e in report.Errors) Console.WriteLine(e);
/// </code>
/// </remarks>
public static class RcsChecker
{
    private static readonly IRcsRule[] Rules =
    {
        new ReflectionRule(),
        new DynamicRule(),
        new DelegateRule(),
        new LinqRule(),
        new StateMachineRule(),
        new LockRule(),
        new PointerRule(),
        new StructRule(),
        new RefRule(),
        new ThreadRule(),
        new ExceptionFilterRule(),
        new MultiDimensionalArrayRule(),
        new FunctionPointerCallRule(),
    };

    private static readonly StaticConstructorRule StaticConstructors = new();
    private static readonly StateMachineRule StateMachines = new();

    /// <summary>Checks the methods reachable from the assembly's portals.</summary>
    public static CheckReport Check(InterpreterAssembly assembly) => Check(assembly, new ReachableMethods(assembly));

    /// <summary>Checks exactly the methods in <paramref name="methods"/>, plus the static constructors of the classes they use.</summary>
    public static CheckReport Check(InterpreterAssembly assembly, IMethodSet methods)
    {
        var errors = new List<RcsError>();
        foreach (var method in methods.Methods)
        {
            if (!method.HasBody) continue; // abstract or extern: its overrides are in the set
            var context = new MethodContext(method, errors);
            if (StateMachineRule.IsStateMachine(method))
            {
                // Its body is a stub that starts the state machine; one error says it all.
                StateMachines.Check(context);
                continue;
            }
            foreach (var rule in Rules) rule.Check(context);
        }
        var used = TypesUsedBy(assembly, methods.Methods);
        var constructors = StaticConstructorsOf(used.Keys);
        foreach (var cctor in constructors) StaticConstructors.Check(new MethodContext(cctor, errors));
        VirtualizableRule.Check(used, errors);
        return new CheckReport(errors, methods.Methods.Count + constructors.Count, methods.Portals.Select(p => p.FullName).ToList());
    }

    /// <summary>
    /// The classes looked-inside code touches (the classes of the checked methods and of every field, method and
    /// type those methods use), each with the first checked method that touches it (for messages).
    /// </summary>
    private static Dictionary<TypeDefinition, MethodDefinition> TypesUsedBy(InterpreterAssembly assembly, IReadOnlyList<MethodDefinition> methods)
    {
        var types = new Dictionary<TypeDefinition, MethodDefinition>();
        foreach (var method in methods)
        {
            types.TryAdd(method.DeclaringType, method);
            if (!method.HasBody) continue;
            foreach (var ins in method.Body.Instructions)
            {
                var type = ins.Operand switch
                {
                    MemberReference m when MethodContext.DeclaringTypeOf(ins) is { } d => d,
                    TypeReference t => t,
                    _ => null,
                };
                if (type != null && TypeFacts.TryResolve(type) is { } def && assembly.Owns(def)) types.TryAdd(def, method);
            }
        }
        return types;
    }

    /// <summary>The static constructors that can run because looked-inside code touches their class.</summary>
    private static List<MethodDefinition> StaticConstructorsOf(IEnumerable<TypeDefinition> types) =>
        types
            .Where(t => !TypeFacts.IsCompilerGenerated(t))
            .Select(t => t.Methods.FirstOrDefault(m => m.IsConstructor && m.IsStatic && m.HasBody))
            .OfType<MethodDefinition>()
            .Where(c => !TypeFacts.IsDontLookInside(c))
            .OrderBy(c => c.FullName, StringComparer.Ordinal)
            .ToList();
}
