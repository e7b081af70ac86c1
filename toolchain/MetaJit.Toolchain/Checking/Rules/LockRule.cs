using Mono.Cecil;

namespace MetaJit.Toolchain.Checking.Rules;

/// <summary>MJ006: <c>lock</c> compiles to Monitor.Enter/Exit (or System.Threading.Lock.EnterScope).</summary>
internal sealed class LockRule : IRcsRule
{
    public string Code => RuleCodes.Lock;

    /// <summary>The types a <c>lock</c> statement calls into.</summary>
    public static bool IsLockType(TypeReference type)
    {
        string name = type.GetElementType().FullName;
        return name is "System.Threading.Monitor" or "System.Threading.Lock" or "System.Threading.Lock/Scope";
    }

    public void Check(MethodContext method)
    {
        foreach (var ins in method.Instructions)
        {
            if (ins.Operand is not MethodReference m || !IsLockType(m.DeclaringType)) continue;
            if (m.Name is "Exit" or "Dispose") continue; // one error per lock statement: at Enter
            method.Report(Code, ins, "lock",
                "traced code runs on one thread; remove the lock, or move the locked code into a [DontLookInside] method");
        }
    }
}
