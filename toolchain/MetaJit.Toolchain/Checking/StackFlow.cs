using Mono.Cecil;
using Mono.Cecil.Cil;

namespace MetaJit.Toolchain.Checking;

/// <summary>
/// Finds which instruction pushed each argument of a call, by walking back through straight-line code
/// and counting stack effects. Enough for the two shapes the rules need (an address passed as a call's
/// receiver, the ref arguments of <c>CanEnterJit</c>); answers "unknown" across any join or branch.
/// </summary>
internal sealed class StackFlow
{
    private readonly MethodBody _body;
    private readonly HashSet<Instruction> _joins = new();
    private readonly Dictionary<Instruction, int> _index = new();

    public StackFlow(MethodBody body)
    {
        _body = body;
        for (int i = 0; i < body.Instructions.Count; i++)
        {
            var ins = body.Instructions[i];
            _index[ins] = i;
            if (ins.Operand is Instruction target) _joins.Add(target);
            if (ins.Operand is Instruction[] targets) _joins.UnionWith(targets);
        }
        foreach (var h in body.ExceptionHandlers)
        {
            if (h.HandlerStart != null) _joins.Add(h.HandlerStart);
            if (h.FilterStart != null) _joins.Add(h.FilterStart);
            if (h.TryStart != null) _joins.Add(h.TryStart);
        }
    }

    /// <summary>
    /// The producers of the stack values a call consumes, receiver first; null when they cannot be found
    /// by walking back through straight-line code.
    /// </summary>
    public Instruction?[]? ArgumentProducers(Instruction call)
    {
        int count = PopCount(call);
        if (count <= 0) return count == 0 ? Array.Empty<Instruction?>() : null;
        var producers = new Instruction?[count];
        // Stack slots still to explain, top last: >= 0 is an argument index, -1 an inner value.
        var slots = new List<int>();
        for (int k = 0; k < count; k++) slots.Add(k);
        int pending = count;
        var instructions = _body.Instructions;
        for (int j = _index[call] - 1; pending > 0; j--)
        {
            if (j < 0 || _joins.Contains(instructions[j + 1])) return null;
            var ins = instructions[j];
            if (ins.OpCode.FlowControl is FlowControl.Branch or FlowControl.Cond_Branch or FlowControl.Return or FlowControl.Throw)
                return null;
            int pop = PopCount(ins), push = PushCount(ins);
            if (pop < 0 || push < 0) return null;
            // A dup may push one value more than we follow: the lower copy stays below the arguments.
            for (int p = 0; p < Math.Min(push, slots.Count); p++)
            {
                int owner = slots[^1];
                slots.RemoveAt(slots.Count - 1);
                if (owner >= 0)
                {
                    producers[owner] = ins;
                    pending--;
                }
            }
            for (int p = 0; p < pop; p++) slots.Add(-1);
        }
        return producers;
    }

    /// <summary>How many values an instruction pops; -1 when it empties the stack or is unknown.</summary>
    public static int PopCount(Instruction ins)
    {
        switch (ins.OpCode.StackBehaviourPop)
        {
            case StackBehaviour.Pop0: return 0;
            case StackBehaviour.Pop1:
            case StackBehaviour.Popi:
            case StackBehaviour.Popref:
                return 1;
            case StackBehaviour.Pop1_pop1:
            case StackBehaviour.Popi_pop1:
            case StackBehaviour.Popi_popi:
            case StackBehaviour.Popi_popi8:
            case StackBehaviour.Popi_popr4:
            case StackBehaviour.Popi_popr8:
            case StackBehaviour.Popref_pop1:
            case StackBehaviour.Popref_popi:
                return 2;
            case StackBehaviour.Popi_popi_popi:
            case StackBehaviour.Popref_popi_popi:
            case StackBehaviour.Popref_popi_popi8:
            case StackBehaviour.Popref_popi_popr4:
            case StackBehaviour.Popref_popi_popr8:
            case StackBehaviour.Popref_popi_popref:
                return 3;
            case StackBehaviour.Varpop:
                return VarPop(ins);
            default:
                return -1;
        }
    }

    private static int VarPop(Instruction ins)
    {
        switch (ins.Operand)
        {
            case MethodReference m when ins.OpCode.Code == Code.Newobj:
                return m.Parameters.Count;
            case MethodReference m:
                return m.Parameters.Count + (m.HasThis && !m.ExplicitThis ? 1 : 0);
            case CallSite site:
                return site.Parameters.Count + (site.HasThis ? 1 : 0) + 1;
        }
        return -1; // ret: the stack ends there, never an argument producer
    }

    /// <summary>How many values an instruction pushes; -1 when unknown.</summary>
    public static int PushCount(Instruction ins)
    {
        switch (ins.OpCode.StackBehaviourPush)
        {
            case StackBehaviour.Push0: return 0;
            case StackBehaviour.Push1:
            case StackBehaviour.Pushi:
            case StackBehaviour.Pushi8:
            case StackBehaviour.Pushr4:
            case StackBehaviour.Pushr8:
            case StackBehaviour.Pushref:
                return 1;
            case StackBehaviour.Push1_push1:
                return 2;
            case StackBehaviour.Varpush:
                if (ins.OpCode.Code == Code.Newobj) return 1;
                return ins.Operand switch
                {
                    MethodReference m => m.ReturnType.MetadataType == MetadataType.Void ? 0 : 1,
                    CallSite site => site.ReturnType.MetadataType == MetadataType.Void ? 0 : 1,
                    _ => -1,
                };
            default:
                return -1;
        }
    }
}
