using Mono.Cecil;
using Mono.Cecil.Cil;
using Op = Mono.Cecil.Cil.Code;

namespace MetaJit.Toolchain.Checking.Rules;

/// <summary>
/// MJ001: reflection hides what is called or accessed. <c>typeof(T)</c>, <c>GetType()</c> and comparing
/// types stay allowed (<c>Jit.RecordExactClass</c> needs them); everything else on <c>System.Type</c>,
/// System.Reflection, <c>Activator</c> and <c>ldtoken</c> of a method or field is an error.
/// </summary>
internal sealed class ReflectionRule : IRcsRule
{
    private static readonly HashSet<string> AllowedOnType = new() { "GetTypeFromHandle", "op_Equality", "op_Inequality", "Equals", "GetHashCode" };

    public string Code => RuleCodes.Reflection;

    public void Check(MethodContext method)
    {
        foreach (var ins in method.Instructions)
        {
            if (ins.OpCode.Code == Op.Ldtoken && ins.Operand is MemberReference and not TypeReference)
            {
                Report(method, ins, "a method or field handle (ldtoken)");
                continue;
            }
            if (MethodContext.MemberOf(ins) is not (MethodReference or FieldReference) || MethodContext.DeclaringTypeOf(ins) is not { } declaring) continue;
            var member = (MemberReference)ins.Operand;
            string name = declaring.GetElementType().FullName;
            bool reflective =
                TypeFacts.IsIn(declaring, "System.Reflection")
                || name == "System.Activator"
                || (name == "System.Type" && !AllowedOnType.Contains(member.Name))
                || (name == "System.Delegate" && member.Name is "DynamicInvoke" or "get_Method" or "CreateDelegate");
            if (reflective) Report(method, ins, TypeFacts.Display(declaring) + "." + member.Name.Replace("get_", ""));
        }
    }

    private void Report(MethodContext method, Instruction ins, string what) =>
        method.Report(Code, ins, $"reflection ({what})",
            "the JIT cannot see what reflection calls or reads; call the method or use the field directly (a virtual method or an interface picks the implementation), or move this code into a [DontLookInside] method");
}
