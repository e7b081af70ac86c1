using Mono.Cecil.Cil;
using Op = Mono.Cecil.Cil.Code;

namespace MetaJit.Toolchain.Checking.Rules;

/// <summary>MJ012: exception filters run before the stack unwinds, which resume data cannot express.</summary>
internal sealed class ExceptionFilterRule : IRcsRule
{
    public string Code => RuleCodes.ExceptionFilter;

    public void Check(MethodContext method)
    {
        foreach (var h in method.Body.ExceptionHandlers)
        {
            if (h.HandlerType != ExceptionHandlerType.Filter) continue;
            method.ReportAt(Code, method.LocateForward(h.FilterStart), "exception filter (catch ... when)",
                "catch the exception type and test the condition inside the catch block, rethrowing with `throw;` when it does not hold");
        }
    }
}
