using Mono.Cecil;
using Mono.Cecil.Cil;
using Op = Mono.Cecil.Cil.Code;

namespace MetaJit.Toolchain.Checking.Rules;

/// <summary>
/// MJ003: creating a delegate (a lambda, an anonymous method, a method group, a local function used as a
/// value) and calling a local function that captures variables. Reported where the delegate is created,
/// which is the lambda's line; the closure classes Roslyn makes for it are not reported again. Invoking a
/// delegate that came from elsewhere is an ordinary residual call. A bare <c>ldftn</c> (<c>&amp;Method</c>,
/// a function pointer) is MJ014.
/// </summary>
internal sealed class DelegateRule : IRcsRule
{
    public string Code => RuleCodes.Delegate;

    public void Check(MethodContext method)
    {
        foreach (var ins in method.Instructions)
        {
            if (ins.OpCode.Code is Op.Ldftn or Op.Ldvirtftn && ins.Next?.OpCode.Code == Op.Newobj && ins.Operand is MethodReference target)
            {
                var (what, fix) = Describe(target);
                method.Report(Code, ins, what, fix);
            }
            else if (ins.OpCode.Code is Op.Call or Op.Callvirt && ins.Operand is MethodReference callee
                && (CallRules.CapturingLocalFunction(callee) || TypeFacts.IsClosureType(callee.DeclaringType)))
            {
                method.Report(Code, ins, $"local function {LocalFunctionName(callee.Name)} capturing variables of its method",
                    "pass the variables it uses as parameters and make it `static`, or move it into a [DontLookInside] method");
            }
        }
    }

    private static (string What, string Fix) Describe(MethodReference target)
    {
        string name = target.Name;
        if (name.StartsWith('<') && name.Contains(">b__", StringComparison.Ordinal))
            return ("lambda", "move it into a [DontLookInside] method, or use a class with a virtual method instead of a delegate");
        if (name.StartsWith('<') && name.Contains(">g__", StringComparison.Ordinal))
            return ($"local function {LocalFunctionName(name)} used as a delegate",
                "call it directly, or use a class with a virtual method instead of a delegate");
        return ($"delegate to {TypeFacts.Display(target)}",
            "call the method directly, or use a class with a virtual method (or an interface) instead of a delegate; or move this code into a [DontLookInside] method");
    }

    /// <summary><c>&lt;Run&gt;g__Helper|0_0</c> becomes <c>Helper</c>.</summary>
    private static string LocalFunctionName(string name)
    {
        int start = name.IndexOf(">g__", StringComparison.Ordinal);
        if (start < 0) return name;
        start += 4;
        int end = name.IndexOf('|', start);
        return end < 0 ? name[start..] : name[start..end];
    }
}
