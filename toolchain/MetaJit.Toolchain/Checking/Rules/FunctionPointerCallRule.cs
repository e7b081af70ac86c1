using Mono.Cecil.Cil;
using Op = Mono.Cecil.Cil.Code;

namespace MetaJit.Toolchain.Checking.Rules;

/// <summary>MJ014: <c>calli</c>, a call through a function pointer (<c>delegate*</c>), has no static target.</summary>
internal sealed class FunctionPointerCallRule : IRcsRule
{
    public string Code => RuleCodes.FunctionPointerCall;

    public void Check(MethodContext method)
    {
        foreach (var ins in method.Instructions)
        {
            if (ins.OpCode.Code != Op.Calli) continue;
            method.Report(Code, ins, "call through a function pointer",
                "call the method directly, or use a class with a virtual method; or move this code into a [DontLookInside] method");
        }
    }
}
