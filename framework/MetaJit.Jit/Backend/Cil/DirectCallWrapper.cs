using System.Reflection;
using System.Reflection.Emit;
using MetaJit.Engine.Descriptors;

namespace MetaJit.Engine.Backend.Cil;

/// <summary>
/// The method through which a tree calls itself for a call_assembler whose target is one of its own labels
/// (CilEmitter.DirectCalls.cs): <c>int Call(context, frame, entry, descr)</c> counts the call in the descr, sizes
/// the argument frame for the tree's exits, calls the tree method, settles a non-finish exit code as <see cref="CilCompiledTrace.Execute"/>
/// would, and catches what the call raises into the descr's <see cref="CallAssemblerDescr.Raised"/> (returning
/// <see cref="ExitCodes.Raised"/>). The try block lives here so that the tree method has none: a handler there
/// would make RyuJIT keep every value it can reach on the stack (backend-cil.md).
/// </summary>
internal static class DirectCallWrapper
{
    private static readonly MethodInfo EnsureCapacity = typeof(DeadFrame).GetMethod(nameof(DeadFrame.EnsureCapacity))!;
    private static readonly FieldInfo IntsField = typeof(DeadFrame).GetField(nameof(DeadFrame.Ints))!;
    private static readonly FieldInfo FloatsField = typeof(DeadFrame).GetField(nameof(DeadFrame.Floats))!;
    private static readonly FieldInfo RefsField = typeof(DeadFrame).GetField(nameof(DeadFrame.Refs))!;
    private static readonly FieldInfo ExceptionField = typeof(DeadFrame).GetField(nameof(DeadFrame.Exception))!;
    private static readonly FieldInfo ExitFrameField = typeof(CilTraceContext).GetField(nameof(CilTraceContext.ExitFrame))!;
    private static readonly FieldInfo OwnerField = typeof(CilTraceContext).GetField(nameof(CilTraceContext.Owner))!;
    private static readonly MethodInfo Settle = typeof(CilCompiledTrace).GetMethod(nameof(CilCompiledTrace.Settle))!;
    private static readonly FieldInfo DirectEntriesField = typeof(CallAssemblerDescr).GetField(nameof(CallAssemblerDescr.DirectEntries))!;
    private static readonly FieldInfo FramelessEntriesField = typeof(CallAssemblerDescr).GetField(nameof(CallAssemblerDescr.FramelessEntries))!;
    private static readonly FieldInfo ExitPoolField = typeof(CilTraceContext).GetField(nameof(CilTraceContext.ExitPool))!;
    private static readonly MethodInfo FramePoolGetter = typeof(CallAssemblerDescr).GetProperty(nameof(CallAssemblerDescr.FramePool))!.GetMethod!;
    private static readonly FieldInfo RaisedField = typeof(CallAssemblerDescr).GetField(nameof(CallAssemblerDescr.Raised))!;
    private static readonly FieldInfo UnboxedResultsField = typeof(CallAssemblerDescr).GetField(nameof(CallAssemblerDescr.UnboxedResults))!;
    private static readonly FieldInfo ResultBoxField = typeof(CilTraceContext).GetField(nameof(CilTraceContext.ResultBox))!;
    private static readonly FieldInfo ResultRefField = typeof(CilTraceContext).GetField(nameof(CilTraceContext.ResultRef))!;
    private static readonly FieldInfo UnboxedMarkerField = typeof(ResultBox).GetField(nameof(ResultBox.Unboxed))!;
    private static readonly MethodInfo RefAfterUnboxingMethod = typeof(FramelessCall).GetMethod(nameof(FramelessCall.RefAfterUnboxing))!;

    /// <summary>The wrapper of the tree method named <paramref name="treeName"/>, without a body yet (the tree's IL
    /// calls it before the tree's frame size is known).</summary>
    public static DynamicMethod Declare(string treeName) =>
        new(treeName + "#direct", typeof(int), [typeof(CilTraceContext), typeof(DeadFrame), typeof(int), typeof(CallAssemblerDescr)],
            restrictedSkipVisibility: true);

    /// <summary>The frameless wrapper of the tree method named <paramref name="treeName"/> (CilEmitter.FramelessCalls.cs),
    /// without a body yet: <c>int Call(context, argument frame, entry, descr)</c>.</summary>
    public static DynamicMethod DeclareFrameless(string treeName) =>
        new(treeName + "#frameless", typeof(int), [typeof(CilTraceContext), typeof(DeadFrame), typeof(int), typeof(CallAssemblerDescr)],
            restrictedSkipVisibility: true);

    /// <summary>The frameless wrapper of the tree method named <paramref name="treeName"/> for calls whose portal returns a
    /// reference, without a body yet: <c>object Call(context, argument frame, entry, descr, box)</c>
    /// (<see cref="EmitFramelessRefBody"/>).</summary>
    public static DynamicMethod DeclareFramelessRef(string treeName) =>
        new(treeName + "#frameless-ref", typeof(object), [typeof(CilTraceContext), typeof(DeadFrame), typeof(int), typeof(CallAssemblerDescr), typeof(int)],
            restrictedSkipVisibility: true);

    /// <summary>
    /// Emits the body of a frameless wrapper: counts the call (as direct and as frameless), gives the context the
    /// descr's pool for exit frames if it has none yet, calls <paramref name="tree"/> at a frameless entry with the
    /// argument frame in the frame's place. An exit took a frame (<see cref="CilTraceContext.ExitFrame"/>): it is
    /// settled as <see cref="CilCompiledTrace.Execute"/> would and left in <see cref="CilTraceContext.ExitFrame"/>
    /// for the caller (other frameless calls may have used the field meanwhile). What the call raises goes into the
    /// descr's <see cref="CallAssemblerDescr.Raised"/>, with no frame left.
    /// </summary>
    public static void EmitFramelessBody(DynamicMethod wrapper, DynamicMethod tree)
    {
        var il = wrapper.GetILGenerator();
        var code = EmitFramelessCall(il, tree);
        il.Emit(OpCodes.Ldloc, code);
        il.Emit(OpCodes.Ret);
    }

    /// <summary>
    /// Emits the body of a frameless wrapper for calls whose portal returns a reference: the call as in
    /// <see cref="EmitFramelessBody"/>, then what <see cref="FramelessCall.RefAfterUnboxing"/> does with the result
    /// (argument 4 the number of the box the caller expects, or -1), its common case here: a finish without a frame
    /// whose result is unboxed in the expected class (<see cref="ResultBox.Unboxed"/>) or an object (the context
    /// forgets it). One call per call site instead of two (CilEmitter.UnboxedResults.cs).
    /// </summary>
    public static void EmitFramelessRefBody(DynamicMethod wrapper, DynamicMethod tree)
    {
        var il = wrapper.GetILGenerator();
        var code = EmitFramelessCall(il, tree);
        var slow = il.DefineLabel();
        var boxed = il.DefineLabel();
        var result = il.DeclareLocal(typeof(object));
        il.Emit(OpCodes.Ldloc, code); il.Emit(OpCodes.Ldc_I4, ExitCodes.Finish); il.Emit(OpCodes.Bne_Un, slow);
        il.Emit(OpCodes.Ldarg_0); il.Emit(OpCodes.Ldfld, ExitFrameField); il.Emit(OpCodes.Brtrue, slow);
        il.Emit(OpCodes.Ldarg_0); il.Emit(OpCodes.Ldfld, ResultBoxField); il.Emit(OpCodes.Ldarg_S, (byte)4); il.Emit(OpCodes.Bne_Un, boxed);
        il.Emit(OpCodes.Ldarg_0); il.Emit(OpCodes.Ldc_I4_0); il.Emit(OpCodes.Stfld, ResultBoxField);
        EmitCount(il, UnboxedResultsField);
        il.Emit(OpCodes.Ldsfld, UnboxedMarkerField); il.Emit(OpCodes.Ret);
        il.MarkLabel(boxed);
        il.Emit(OpCodes.Ldarg_0); il.Emit(OpCodes.Ldfld, ResultBoxField); il.Emit(OpCodes.Brtrue, slow); // unboxed in another class
        il.Emit(OpCodes.Ldarg_0); il.Emit(OpCodes.Ldfld, ResultRefField); il.Emit(OpCodes.Stloc, result);
        il.Emit(OpCodes.Ldarg_0); il.Emit(OpCodes.Ldnull); il.Emit(OpCodes.Stfld, ResultRefField);
        il.Emit(OpCodes.Ldloc, result); il.Emit(OpCodes.Ret);
        il.MarkLabel(slow);
        il.Emit(OpCodes.Ldloc, code); il.Emit(OpCodes.Ldarg_0); il.Emit(OpCodes.Ldfld, OwnerField); il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Ldarg_3); il.Emit(OpCodes.Ldarg_S, (byte)4);
        il.Emit(OpCodes.Call, RefAfterUnboxingMethod);
        il.Emit(OpCodes.Ret);
    }

    /// <summary>The frameless call itself (counted, settled, its exception caught), leaving the exit code in the local it
    /// returns.</summary>
    private static LocalBuilder EmitFramelessCall(ILGenerator il, DynamicMethod tree)
    {
        var code = il.DeclareLocal(typeof(int));
        var frame = il.DeclareLocal(typeof(DeadFrame));
        var pooled = il.DefineLabel();
        EmitCount(il, DirectEntriesField);
        EmitCount(il, FramelessEntriesField);
        il.Emit(OpCodes.Ldarg_0); il.Emit(OpCodes.Ldfld, ExitPoolField); il.Emit(OpCodes.Brtrue, pooled);
        il.Emit(OpCodes.Ldarg_0); il.Emit(OpCodes.Ldarg_3); il.Emit(OpCodes.Call, FramePoolGetter); il.Emit(OpCodes.Stfld, ExitPoolField);
        il.MarkLabel(pooled);
        il.BeginExceptionBlock();
        EmitCallAndSettle(il, tree, code,
            loadFrame: () => { il.Emit(OpCodes.Ldarg_0); il.Emit(OpCodes.Ldfld, ExitFrameField); il.Emit(OpCodes.Dup); il.Emit(OpCodes.Stloc, frame); },
            afterSettle: () => { il.Emit(OpCodes.Ldarg_0); il.Emit(OpCodes.Ldloc, frame); il.Emit(OpCodes.Stfld, ExitFrameField); });
        EmitCatchIntoRaised(il, code, also: () => { il.Emit(OpCodes.Ldarg_0); il.Emit(OpCodes.Ldnull); il.Emit(OpCodes.Stfld, ExitFrameField); });
        return code;
    }

    /// <summary>Emits the body of <paramref name="wrapper"/>: a call of <paramref name="tree"/>, whose exits
    /// store up to <paramref name="frameSize"/> values of each kind.</summary>
    public static void EmitBody(DynamicMethod wrapper, DynamicMethod tree, (int Ints, int Floats, int Refs) frameSize)
    {
        var il = wrapper.GetILGenerator();
        var code = il.DeclareLocal(typeof(int));
        var sized = il.DefineLabel();
        var grow = il.DefineLabel();
        EmitCount(il, DirectEntriesField);
        il.BeginExceptionBlock();
        // Pooled frames are big enough for most traces: compare inline, call only to grow.
        foreach (var (bank, size) in new[] { (IntsField, frameSize.Ints), (FloatsField, frameSize.Floats), (RefsField, frameSize.Refs) })
        {
            il.Emit(OpCodes.Ldarg_1); il.Emit(OpCodes.Ldfld, bank); il.Emit(OpCodes.Ldlen); il.Emit(OpCodes.Conv_I4);
            il.Emit(OpCodes.Ldc_I4, size); il.Emit(OpCodes.Blt, grow);
        }
        il.Emit(OpCodes.Br, sized);
        il.MarkLabel(grow);
        il.Emit(OpCodes.Ldarg_1);
        il.Emit(OpCodes.Ldc_I4, frameSize.Ints); il.Emit(OpCodes.Ldc_I4, frameSize.Floats); il.Emit(OpCodes.Ldc_I4, frameSize.Refs);
        il.Emit(OpCodes.Call, EnsureCapacity);
        il.MarkLabel(sized);
        il.Emit(OpCodes.Ldarg_1); il.Emit(OpCodes.Ldnull); il.Emit(OpCodes.Stfld, ExceptionField);
        EmitCallAndSettle(il, tree, code, loadFrame: () => il.Emit(OpCodes.Ldarg_1), afterSettle: null);
        EmitCatchIntoRaised(il, code, also: null);
        il.Emit(OpCodes.Ldloc, code);
        il.Emit(OpCodes.Ret);
    }

    /// <summary>Adds one to the descr's (argument 3) counter <paramref name="count"/>.</summary>
    private static void EmitCount(ILGenerator il, FieldInfo count)
    {
        il.Emit(OpCodes.Ldarg_3); il.Emit(OpCodes.Dup); il.Emit(OpCodes.Ldfld, count);
        il.Emit(OpCodes.Ldc_I8, 1L); il.Emit(OpCodes.Add); il.Emit(OpCodes.Stfld, count);
    }

    /// <summary>Calls <paramref name="tree"/> with the wrapper's first three arguments into <paramref name="code"/>; an
    /// exit code other than finish is settled on the frame <paramref name="loadFrame"/> pushes, as
    /// <see cref="CilCompiledTrace.Execute"/> would, then <paramref name="afterSettle"/> runs.</summary>
    private static void EmitCallAndSettle(ILGenerator il, DynamicMethod tree, LocalBuilder code, Action loadFrame, Action? afterSettle)
    {
        var settled = il.DefineLabel();
        il.Emit(OpCodes.Ldarg_0); il.Emit(OpCodes.Ldarg_1); il.Emit(OpCodes.Ldarg_2);
        il.Emit(OpCodes.Call, tree);
        il.Emit(OpCodes.Stloc, code);
        il.Emit(OpCodes.Ldloc, code); il.Emit(OpCodes.Ldc_I4, ExitCodes.Finish); il.Emit(OpCodes.Beq, settled);
        il.Emit(OpCodes.Ldarg_0); il.Emit(OpCodes.Ldfld, OwnerField);
        loadFrame();
        il.Emit(OpCodes.Ldc_I4_0); il.Emit(OpCodes.Ldloc, code);
        il.Emit(OpCodes.Call, Settle);
        il.Emit(OpCodes.Stloc, code);
        afterSettle?.Invoke();
        il.MarkLabel(settled);
    }

    /// <summary>Closes the try block the body opened: what the call raised goes into the descr's (argument 3)
    /// <see cref="CallAssemblerDescr.Raised"/>, <paramref name="also"/> runs, and <paramref name="code"/> becomes
    /// <see cref="ExitCodes.Raised"/>.</summary>
    private static void EmitCatchIntoRaised(ILGenerator il, LocalBuilder code, Action? also)
    {
        il.BeginCatchBlock(typeof(Exception));
        var e = il.DeclareLocal(typeof(Exception));
        il.Emit(OpCodes.Stloc, e);
        il.Emit(OpCodes.Ldarg_3); il.Emit(OpCodes.Ldloc, e); il.Emit(OpCodes.Stfld, RaisedField);
        also?.Invoke();
        il.Emit(OpCodes.Ldc_I4, ExitCodes.Raised); il.Emit(OpCodes.Stloc, code);
        il.EndExceptionBlock();
    }
}
