using Mono.Cecil;
using Mono.Cecil.Cil;
using Op = Mono.Cecil.Cil.Code;

namespace MetaJit.Toolchain.Checking.Rules;

/// <summary>MJ007: unsafe code: pointer types anywhere in a signature, local or operand, <c>stackalloc</c>, <c>fixed</c>.</summary>
internal sealed class PointerRule : IRcsRule
{
    private const string Fix = "use an array and an index instead, or move this code into a [DontLookInside] method";

    public string Code => RuleCodes.Pointer;

    public void Check(MethodContext method)
    {
        foreach (var p in method.Method.Parameters)
            if (TypeFacts.FindPointer(p.ParameterType) is { } t) method.Report(Code, null, $"pointer parameter {p.Name} ({TypeFacts.Display(t)})", Fix);
        if (TypeFacts.FindPointer(method.Method.ReturnType) is { } r) method.Report(Code, null, $"pointer return type ({TypeFacts.Display(r)})", Fix);
        foreach (var ins in method.Instructions)
        {
            if (ins.OpCode.Code == Op.Localloc)
            {
                method.Report(Code, ins, "stackalloc", "allocate an array (new T[n]) instead");
                continue;
            }
            if (method.LocalOf(ins) is { IsPinned: true })
            {
                method.Report(Code, ins, "fixed statement (pinned local)", Fix);
                continue;
            }
            if (ins.OpCode.Code == Op.Calli) continue; // MJ014
            foreach (var t in method.TypesMentionedBy(ins))
            {
                if (TypeFacts.FindPointer(t) is not { } found) continue;
                method.Report(Code, ins, $"pointer ({TypeFacts.Display(found)})", Fix);
                break;
            }
        }
    }
}
