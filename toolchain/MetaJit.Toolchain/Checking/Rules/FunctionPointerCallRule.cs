using Mono.Cecil.Cil;
using Op = Mono.Cecil.Cil.Code;

namespace MetaJit.Toolchain.Checking.Rules;

/// <summary>MJ014: function pointers: taking one (<c>&amp;Method</c>) and calling through one (<c>calli</c>), which has no static target.</summary>
internal sealed class FunctionPointerCallRule : IRcsRule
{
    public string Code => RuleCodes.FunctionPointerCall;

    public void Check(MethodContext method)
    {
        foreach (var ins in method.Instructions)
        {
            string what;
            if (ins.OpCode.Code == Op.Calli) what = "call through a function pointer";
            else if (ins.OpCode.Code == Op.Ldftn && ins.Next?.OpCode.Code != Op.Newobj) what = "function pointer (&Method)";
            else continue;
            method.Report(Code, ins, what,
                "call the method directly, or use a class with a virtual method; or move this code into a [DontLookInside] method");
        }
    }
}
