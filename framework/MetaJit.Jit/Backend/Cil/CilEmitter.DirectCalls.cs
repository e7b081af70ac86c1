using System.Reflection;
using System.Reflection.Emit;
using MetaJit.Engine.Descriptors;
using MetaJit.Engine.Trace;

namespace MetaJit.Engine.Backend.Cil;

/// <summary>
/// Direct calls: a call_assembler whose target already has compiled code of this backend runs that code itself,
/// through <see cref="CilCompiledTrace.CallDirect"/>, instead of the descr's <c>Invoke*</c>, which would go through
/// the engine's runner and its checks; a tree calling one of its own labels (a recursive function's trace calling
/// itself) calls its own method through its <see cref="DirectCallWrapper"/>, without a delegate. After the call,
/// <see cref="DirectCall"/> reads the result of a plain finish from the argument frame; any other exit code goes
/// on in the descr's <c>AfterDirect*</c> (bridges, the blackhole, ...). Each site's IL is a call or two, no more
/// than a call through <c>Invoke*</c>: RyuJIT's time grows with it (tak's traces compiled 30% slower when each
/// site had both paths inline). <see cref="CilCompiledTrace.CallDirect"/> runs the target's current code (a tree
/// once installed) unless it was invalidated (<see cref="ExitCodes.NotRun"/>); a tree's own calls run the method
/// they are in, which tests invalidation inside, by <c>guard_not_invalidated</c>, as its jumps to its own labels do.
/// </summary>
internal sealed partial class CilEmitter
{
    private static readonly MethodInfo IntCall = typeof(DirectCall).GetMethod(nameof(Cil.DirectCall.Int))!;
    private static readonly MethodInfo FloatCall = typeof(DirectCall).GetMethod(nameof(Cil.DirectCall.Float))!;
    private static readonly MethodInfo RefCall = typeof(DirectCall).GetMethod(nameof(Cil.DirectCall.Ref))!;
    private static readonly MethodInfo VoidCall = typeof(DirectCall).GetMethod(nameof(Cil.DirectCall.Void))!;
    private static readonly MethodInfo IntAfter = typeof(DirectCall).GetMethod(nameof(Cil.DirectCall.IntAfter))!;
    private static readonly MethodInfo FloatAfter = typeof(DirectCall).GetMethod(nameof(Cil.DirectCall.FloatAfter))!;
    private static readonly MethodInfo RefAfter = typeof(DirectCall).GetMethod(nameof(Cil.DirectCall.RefAfter))!;
    private static readonly MethodInfo VoidAfter = typeof(DirectCall).GetMethod(nameof(Cil.DirectCall.VoidAfter))!;

    /// <summary>Whether a call_assembler whose target has compiled code of this backend calls it directly.</summary>
    public bool DirectCalls { get; init; }

    /// <summary>How a call_assembler with <paramref name="descr"/> may call its target directly: the entry index of
    /// this tree's own method (<c>Target</c> null), or a compiled trace and its entry index; null when it may not.</summary>
    private (CilCompiledTrace? Target, int Entry)? DirectEntry(CallAssemblerDescr descr)
    {
        if (!DirectCalls || descr.DirectTarget is not { } token) return null;
        token.CalledDirectly = true;
        if (_tree?.DirectCall != null && _labelMarks.ContainsKey(token))
            for (int k = 0; k < _labels.Count; k++)
                if (ReferenceEquals(_labels[k].Descr, token)) return (null, k + 1);
        return token.CompiledTrace is CilCompiledTrace target ? (target, token.EntryIndex) : null;
    }

    /// <summary>With the arguments in <paramref name="frame"/>: calls the target and leaves the portal's result (if
    /// any) on the stack (<see cref="DirectCall"/> reads it or goes on after another exit).</summary>
    private void EmitDirectCall(ResOperation op, CallAssemblerDescr descr, LocalBuilder frame, (CilCompiledTrace? Target, int Entry) direct)
    {
        int refArgs = op.Args.Count(a => a.Kind == ValueKind.Ref);
        if (direct.Target == null)
        {
            // This very tree: its wrapper calls its method, not a delegate.
            E(OpCodes.Ldarg_0); E(OpCodes.Ldloc, frame); E(OpCodes.Ldc_I4, direct.Entry); LoadRef(descr);
            E(OpCodes.Call, _tree!.DirectCall!);
            LoadRef(_tree.Root); E(OpCodes.Ldloc, frame); LoadRef(descr); E(OpCodes.Ldc_I4, refArgs);
            E(OpCodes.Call, op.Kind switch { ValueKind.Int => IntAfter, ValueKind.Float => FloatAfter, ValueKind.Ref => RefAfter, _ => VoidAfter });
        }
        else
        {
            LoadRef(direct.Target); E(OpCodes.Ldloc, frame); E(OpCodes.Ldc_I4, direct.Entry); LoadRef(descr); E(OpCodes.Ldc_I4, refArgs);
            E(OpCodes.Call, op.Kind switch { ValueKind.Int => IntCall, ValueKind.Float => FloatCall, ValueKind.Ref => RefCall, _ => VoidCall });
        }
    }
}
