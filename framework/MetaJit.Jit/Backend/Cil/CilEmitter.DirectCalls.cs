using System.Reflection;
using System.Reflection.Emit;
using MetaJit.Engine.Descriptors;
using MetaJit.Engine.Trace;

namespace MetaJit.Engine.Backend.Cil;

/// <summary>
/// Direct calls: in a tree, a call_assembler whose target is one of the tree's own labels (a recursive function's
/// trace calling itself) calls the tree's method through its <see cref="DirectCallWrapper"/> instead of the
/// descr's <c>Invoke*</c>, which would go through the engine's runner, a delegate and the piece dispatch. A plain
/// finish reads the result from the argument frame right here; any other exit code goes on in the descr's
/// <c>AfterDirect*</c> (bridges, the blackhole, ...). The code compiled for a label stays valid for as long as
/// the tree that holds it runs, as its jumps to its own labels do (invalidation is tested inside, by
/// <c>guard_not_invalidated</c>).
/// </summary>
internal sealed partial class CilEmitter
{
    private static readonly FieldInfo DirectEntriesField = typeof(CallAssemblerDescr).GetField(nameof(CallAssemblerDescr.DirectEntries))!;
    private static readonly MethodInfo ReleaseMethod = typeof(CallAssemblerDescr).GetMethod(nameof(CallAssemblerDescr.Release))!;
    private static readonly MethodInfo AfterDirectIntMethod = typeof(CallAssemblerDescr).GetMethod(nameof(CallAssemblerDescr.AfterDirectInt))!;
    private static readonly MethodInfo AfterDirectFloatMethod = typeof(CallAssemblerDescr).GetMethod(nameof(CallAssemblerDescr.AfterDirectFloat))!;
    private static readonly MethodInfo AfterDirectRefMethod = typeof(CallAssemblerDescr).GetMethod(nameof(CallAssemblerDescr.AfterDirectRef))!;
    private static readonly MethodInfo AfterDirectVoidMethod = typeof(CallAssemblerDescr).GetMethod(nameof(CallAssemblerDescr.AfterDirectVoid))!;

    private LocalBuilder? _directCode;

    /// <summary>The entry index of this method that <paramref name="descr"/>'s target is, when it may be called directly.</summary>
    private int? DirectEntry(CallAssemblerDescr descr)
    {
        if (_tree?.DirectCall == null || descr.DirectTarget is not { } token || !_labelMarks.ContainsKey(token)) return null;
        for (int k = 0; k < _labels.Count; k++)
            if (ReferenceEquals(_labels[k].Descr, token)) return k + 1;
        return null;
    }

    /// <summary>With the arguments in <paramref name="frame"/>: calls the tree for <paramref name="entry"/> and leaves
    /// the portal's result (if any) on the stack.</summary>
    private void EmitDirectCall(ResOperation op, CallAssemblerDescr descr, LocalBuilder frame, int entry)
    {
        var code = _directCode ??= _il.DeclareLocal(typeof(int));
        LoadRef(descr); E(OpCodes.Dup); E(OpCodes.Ldfld, DirectEntriesField); E(OpCodes.Ldc_I8, 1L); E(OpCodes.Add); E(OpCodes.Stfld, DirectEntriesField);
        E(OpCodes.Ldarg_0); E(OpCodes.Ldloc, frame); E(OpCodes.Ldc_I4, entry); LoadRef(descr);
        E(OpCodes.Call, _tree!.DirectCall!);
        E(OpCodes.Stloc, code);
        var slow = _il.DefineLabel();
        var done = _il.DefineLabel();
        E(OpCodes.Ldloc, code); E(OpCodes.Ldc_I4, ExitCodes.Finish); E(OpCodes.Bne_Un, slow);
        if (op.Kind != ValueKind.Void) { E(OpCodes.Ldloc, frame); E(OpCodes.Ldfld, Bank(op.Kind)); E(OpCodes.Ldc_I4_0); E(LoadElem(op.Kind)); }
        LoadRef(descr); E(OpCodes.Ldloc, frame); E(OpCodes.Callvirt, ReleaseMethod);
        E(OpCodes.Br, done);
        Mark(slow);
        LoadRef(descr); E(OpCodes.Ldloc, frame); E(OpCodes.Ldloc, code); LoadRef(_tree.Root);
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
