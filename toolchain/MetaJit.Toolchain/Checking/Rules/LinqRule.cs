using Mono.Cecil;

namespace MetaJit.Toolchain.Checking.Rules;

/// <summary>MJ004: LINQ: deferred enumerators and delegates the JIT would have to trace through.</summary>
internal sealed class LinqRule : IRcsRule
{
    public string Code => RuleCodes.Linq;

    public void Check(MethodContext method)
    {
        foreach (var ins in method.Instructions)
        {
            if (ins.Operand is not MethodReference m || !TypeFacts.IsIn(m.DeclaringType, "System.Linq")) continue;
            method.Report(Code, ins, $"LINQ ({TypeFacts.Display(m)})",
                "write the loop out (for over an array), or move this code into a [DontLookInside] method");
        }
    }
}
