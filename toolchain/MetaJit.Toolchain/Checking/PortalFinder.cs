using Mono.Cecil;
using Mono.Cecil.Cil;

namespace MetaJit.Toolchain.Checking;

/// <summary>
/// Finds the portals of a module: methods that call <c>JitMergePoint</c> on a <c>JitDriver</c>
/// (kept, as the hints guide asks, in a <c>static readonly</c> field).
/// </summary>
internal static class PortalFinder
{
    public const string JitDriverType = "MetaJit.JitDriver";

    public static List<MethodDefinition> Find(ModuleDefinition module)
    {
        var portals = new List<MethodDefinition>();
        foreach (var type in module.GetTypes())
        {
            foreach (var method in type.Methods)
            {
                if (method.HasBody && method.Body.Instructions.Any(IsMergePoint)) portals.Add(method);
            }
        }
        return portals;
    }

    public static bool IsMergePoint(Instruction ins) => IsDriverCall(ins, "JitMergePoint");

    public static bool IsCanEnterJit(Instruction ins) => IsDriverCall(ins, "CanEnterJit");

    private static bool IsDriverCall(Instruction ins, string name) =>
        ins.OpCode.Code is Code.Call or Code.Callvirt
        && ins.Operand is MethodReference m
        && m.Name == name
        && m.DeclaringType.FullName == JitDriverType;
}
