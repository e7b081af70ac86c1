using Mono.Cecil;

namespace MetaJit.Toolchain.Checking;

/// <summary>
/// The methods that must be RC#: the portals and everything the JIT may look inside from them.
/// </summary>
/// <remarks>
/// <see cref="ReachableMethods"/> is the checker's own conservative answer. The codewriter's call graph can
/// stand in for it by implementing this interface (or adapting its result) and passing it to
/// <see cref="RcsChecker.Check(InterpreterAssembly, IMethodSet)"/>.
/// </remarks>
public interface IMethodSet
{
    /// <summary>The portals: methods whose loop calls <c>JitDriver.JitMergePoint</c>.</summary>
    IReadOnlyList<MethodDefinition> Portals { get; }

    /// <summary>Every method to check, portals included, in a stable order.</summary>
    IReadOnlyList<MethodDefinition> Methods { get; }
}
