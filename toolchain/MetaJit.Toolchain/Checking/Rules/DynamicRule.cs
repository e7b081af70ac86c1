using Mono.Cecil;

namespace MetaJit.Toolchain.Checking.Rules;

/// <summary>MJ002: <c>dynamic</c> compiles to runtime-binder call sites the JIT cannot analyse.</summary>
internal sealed class DynamicRule : IRcsRule
{
    public string Code => RuleCodes.Dynamic;

    public void Check(MethodContext method)
    {
        foreach (var ins in method.Instructions)
        {
            if (!method.TypesMentionedBy(ins).Any(IsBinderType)) continue;
            method.Report(Code, ins, "`dynamic`",
                "give the value a static type (a base class or an interface with the members you need), or move this code into a [DontLookInside] method");
        }
    }

    private static bool IsBinderType(TypeReference type)
    {
        if (TypeFacts.IsIn(type, "Microsoft.CSharp.RuntimeBinder")) return true;
        string name = type.GetElementType().FullName;
        return name.StartsWith("System.Runtime.CompilerServices.CallSite", StringComparison.Ordinal);
    }
}
