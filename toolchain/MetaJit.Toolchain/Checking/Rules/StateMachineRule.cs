using Mono.Cecil;
using Mono.Cecil.Cil;
using Op = Mono.Cecil.Cil.Code;

namespace MetaJit.Toolchain.Checking.Rules;

/// <summary>
/// MJ005: <c>yield</c> iterators and <c>async</c> methods are compiled into hidden state-machine classes.
/// Reported at every call to one from looked-inside code, and at the method itself when it is looked inside
/// (a portal, or an override reached through a virtual call).
/// </summary>
internal sealed class StateMachineRule : IRcsRule
{
    private const string Fix = "write it as an ordinary method that fills and returns an array or list (or a class with an explicit MoveNext), or move the call into a [DontLookInside] method";

    public string Code => RuleCodes.StateMachine;

    /// <summary>True when <paramref name="method"/> is itself an iterator or async method.</summary>
    public static bool IsStateMachine(MethodDefinition method) => CallRules.StateMachineKind(method) != null;

    public void Check(MethodContext method)
    {
        if (CallRules.StateMachineKind(method.Method) is { } own)
        {
            method.ReportAt(Code, FirstLineOfBody(method.Method), $"{own} {method.Name}", Fix);
            return;
        }
        foreach (var ins in method.Instructions)
        {
            if (ins.OpCode.Code is not (Op.Call or Op.Callvirt or Op.Newobj) || ins.Operand is not MethodReference m) continue;
            if (TypeFacts.TryResolve(m) is { } target && CallRules.StateMachineKind(target) is { } kind)
                method.Report(Code, ins, $"call to {kind} {TypeFacts.Display(m)}", Fix);
        }
    }

    /// <summary>The user's lines live in the state machine's MoveNext, not in the stub that starts it.</summary>
    private static (string File, int Line)? FirstLineOfBody(MethodDefinition method)
    {
        var machine = CallRules.StateMachineType(method);
        var moveNext = machine?.Methods.FirstOrDefault(m => m.Name == "MoveNext");
        var point = moveNext?.DebugInformation.SequencePoints.FirstOrDefault(p => !p.IsHidden);
        return point == null ? null : (point.Document.Url, point.StartLine);
    }
}
