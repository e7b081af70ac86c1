using Mono.Cecil;

namespace MetaJit.Toolchain.Checking.Rules;

/// <summary>MJ011: threads, tasks, the thread pool and the rest of System.Threading (locks are MJ006).</summary>
internal sealed class ThreadRule : IRcsRule
{
    public string Code => RuleCodes.Thread;

    public void Check(MethodContext method)
    {
        foreach (var ins in method.Instructions)
        {
            var type = method.TypesMentionedBy(ins).FirstOrDefault(t => TypeFacts.IsIn(t, "System.Threading") && !LockRule.IsLockType(t));
            if (type == null) continue;
            method.Report(Code, ins, $"threading ({TypeFacts.Display(type)})",
                "the JIT traces one thread; start threads and tasks outside the interpreter loop, or in a [DontLookInside] method");
        }
    }
}
