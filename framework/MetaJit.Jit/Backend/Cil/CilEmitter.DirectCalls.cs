using System.Reflection;
using System.Reflection.Emit;
using MetaJit.Engine.Descriptors;
using MetaJit.Engine.Trace;

namespace MetaJit.Engine.Backend.Cil;

/// <summary>
/// Direct calls: a call_assembler whose target already has compiled code of this backend runs that code itself,
/// through <see cref="CilCompiledTrace.CallDirect"/>, instead of the descr's <c>Invoke*</c>, which would go through
/// the engine's runner and its checks; a tree calling one of its own labels (a recursive function's trace calling
/// itself) calls its own method through its <see cref="DirectCallWrapper"/>, without a delegate. A plain finish
/// reads the result from the argument frame right here; any other exit code goes on in the descr's
/// <c>AfterDirect*</c> (bridges, the blackhole, ...). Code compiled for a label stays what the call runs until it
/// is invalidated (<see cref="ExitCodes.NotRun"/>; a tree's own method tests invalidation inside, by
/// <c>guard_not_invalidated</c>, as its jumps to its own labels do).
/// </summary>
internal sealed partial class CilEmitter
{
    private static readonly FieldInfo DirectEntriesField = typeof(CallAssemblerDescr).GetField(nameof(CallAssemblerDescr.DirectEntries))!;
    private static readonly MethodInfo PoolGiveBackMethod = typeof(DeadFramePool).GetMethod(nameof(DeadFramePool.GiveBack), [typeof(DeadFrame), typeof(int)])!;
    private static readonly MethodInfo ReleaseMethod = typeof(CallAssemblerDescr).GetMethod(nameof(CallAssemblerDescr.Release))!;
    private static readonly MethodInfo AfterDirectIntMethod = typeof(CallAssemblerDescr).GetMethod(nameof(CallAssemblerDescr.AfterDirectInt))!;
    private static readonly MethodInfo AfterDirectFloatMethod = typeof(CallAssemblerDescr).GetMethod(nameof(CallAssemblerDescr.AfterDirectFloat))!;
    private static readonly MethodInfo AfterDirectRefMethod = typeof(CallAssemblerDescr).GetMethod(nameof(CallAssemblerDescr.AfterDirectRef))!;
    private static readonly MethodInfo AfterDirectVoidMethod = typeof(CallAssemblerDescr).GetMethod(nameof(CallAssemblerDescr.AfterDirectVoid))!;

    private LocalBuilder? _directCode;

    /// <summary>Whether a call_assembler whose target has compiled code of this backend calls it directly.</summary>
    public bool DirectCalls { get; init; }

    private static readonly MethodInfo CallDirectMethod = typeof(CilCompiledTrace).GetMethod(nameof(CilCompiledTrace.CallDirect))!;

    /// <summary>How a call_assembler with <paramref name="descr"/> may call its target directly: the entry index of
    /// this tree's own method (<c>Target</c> null), or a compiled trace and its entry index; null when it may not.</summary>
    private (CilCompiledTrace? Target, int Entry)? DirectEntry(CallAssemblerDescr descr)
    {
        if (!DirectCalls || descr.DirectTarget is not { } token) return null;
        if (_tree?.DirectCall != null && _labelMarks.ContainsKey(token))
            for (int k = 0; k < _labels.Count; k++)
                if (ReferenceEquals(_labels[k].Descr, token)) return (null, k + 1);
        return token.CompiledTrace is CilCompiledTrace target ? (target, token.EntryIndex) : null;
    }

    /// <summary>With the arguments in <paramref name="frame"/>: calls the target and leaves the portal's result (if
    /// any) on the stack.</summary>
    private void EmitDirectCall(ResOperation op, CallAssemblerDescr descr, LocalBuilder frame, (CilCompiledTrace? Target, int Entry) direct)
    {
        var code = _directCode ??= _il.DeclareLocal(typeof(int));
        LoadRef(descr); E(OpCodes.Dup); E(OpCodes.Ldfld, DirectEntriesField); E(OpCodes.Ldc_I8, 1L); E(OpCodes.Add); E(OpCodes.Stfld, DirectEntriesField);
        if (direct.Target == null)
        {
            // This very tree: its wrapper calls its method, not a delegate.
            E(OpCodes.Ldarg_0); E(OpCodes.Ldloc, frame); E(OpCodes.Ldc_I4, direct.Entry); LoadRef(descr);
            E(OpCodes.Call, _tree!.DirectCall!);
        }
        else
        {
            LoadRef(direct.Target); E(OpCodes.Ldloc, frame); E(OpCodes.Ldc_I4, direct.Entry); LoadRef(descr);
            E(OpCodes.Call, CallDirectMethod);
        }
        E(OpCodes.Stloc, code);
        var slow = _il.DefineLabel();
        var done = _il.DefineLabel();
        E(OpCodes.Ldloc, code); E(OpCodes.Ldc_I4, ExitCodes.Finish); E(OpCodes.Bne_Un, slow);
        if (op.Kind != ValueKind.Void) { E(OpCodes.Ldloc, frame); E(OpCodes.Ldfld, Bank(op.Kind)); E(OpCodes.Ldc_I4_0); E(LoadElem(op.Kind)); }
        if (descr.FramePool is { } pool)
        {
            LoadRef(pool); E(OpCodes.Ldloc, frame); E(OpCodes.Ldc_I4, op.Args.Count(a => a.Kind == ValueKind.Ref)); E(OpCodes.Call, PoolGiveBackMethod);
        }
        else
        {
            LoadRef(descr); E(OpCodes.Ldloc, frame); E(OpCodes.Callvirt, ReleaseMethod);
        }
        E(OpCodes.Br, done);
        Mark(slow);
        LoadRef(descr); E(OpCodes.Ldloc, frame); E(OpCodes.Ldloc, code);
        if (direct.Target == null) LoadRef(_tree!.Root); else LoadRef(direct.Target);
        E(OpCodes.Callvirt, op.Kind switch
        {
            ValueKind.Int => AfterDirectIntMethod,
            ValueKind.Float => AfterDirectFloatMethod,
            ValueKind.Ref => AfterDirectRefMethod,
            _ => AfterDirectVoidMethod,
        });
        Mark(done);
    }
}
