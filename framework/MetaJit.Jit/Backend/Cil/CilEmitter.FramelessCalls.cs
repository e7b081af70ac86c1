using System.Reflection;
using System.Reflection.Emit;
using MetaJit.Engine.Descriptors;
using MetaJit.Engine.Trace;

namespace MetaJit.Engine.Backend.Cil;

/// <summary>
/// Frameless calls: a direct call of a tree's label passes its arguments in the descr's
/// <see cref="CallAssemblerDescr.ArgumentFrame"/> (one per call site, not one per call) and enters the label's
/// frameless entry (entry index label + label count), which reads them into locals, clears the references and
/// runs on without a frame (<c>null</c>): a finish stores its result in the tree's context
/// (<see cref="CilTraceContext.ResultRef"/>, ...), and only code that leaves (an exit, a jump out of the tree) takes
/// a frame first (<see cref="CilTraceContext.TakeExitFrame"/>). A call that runs into a finish so takes no frame, and
/// none is sized, cleared and given back (PyPy allocates a frame per call_assembler; its frames are cheap bump
/// allocations). The engine runs compiled code on one thread and the arguments are read before anything else
/// runs, so one argument frame per descr is enough, even for a recursive call. A tree calling its own label calls
/// its <c>#frameless</c> wrapper; a call of another tree goes through <see cref="FramelessCall"/>, which uses that
/// tree's frameless entries when its current code has them and a pooled frame otherwise.
/// </summary>
internal sealed partial class CilEmitter
{
    private static readonly MethodInfo TakeExitFrameMethod = typeof(CilTraceContext).GetMethod(nameof(CilTraceContext.TakeExitFrame))!;
    private static readonly FieldInfo ResultIntField = typeof(CilTraceContext).GetField(nameof(CilTraceContext.ResultInt))!;
    private static readonly FieldInfo ResultFloatField = typeof(CilTraceContext).GetField(nameof(CilTraceContext.ResultFloat))!;
    private static readonly FieldInfo ResultRefField = typeof(CilTraceContext).GetField(nameof(CilTraceContext.ResultRef))!;
    private static readonly MethodInfo OwnIntAfter = typeof(FramelessCall).GetMethod(nameof(FramelessCall.IntAfter))!;
    private static readonly MethodInfo OwnFloatAfter = typeof(FramelessCall).GetMethod(nameof(FramelessCall.FloatAfter))!;
    private static readonly MethodInfo OwnVoidAfter = typeof(FramelessCall).GetMethod(nameof(FramelessCall.VoidAfter))!;
    private static readonly MethodInfo OtherInt = typeof(FramelessCall).GetMethod(nameof(FramelessCall.Int))!;
    private static readonly MethodInfo OtherFloat = typeof(FramelessCall).GetMethod(nameof(FramelessCall.Float))!;
    private static readonly MethodInfo OtherRef = typeof(FramelessCall).GetMethod(nameof(FramelessCall.Ref))!;
    private static readonly MethodInfo OtherVoid = typeof(FramelessCall).GetMethod(nameof(FramelessCall.Void))!;

    /// <summary>Frameless calls are on for this backend (<see cref="CilBackend.FramelessCalls"/>).</summary>
    public bool FramelessCalls { get; init; }

    /// <summary>Whether this tree has frameless entries (then its finishes and exits handle a missing frame).</summary>
    private bool _frameless;
    /// <summary>The frameless entry of each label (same order as <see cref="_labels"/>).</summary>
    private Label[] _framelessEntries = [];

    /// <summary>Whether the emitted tree has frameless entries: its context must then be prepared
    /// (<see cref="PrepareFrameless"/>).</summary>
    public bool HasFramelessEntries => _frameless;

    /// <summary>
    /// Decides, once the labels are known, whether this tree gets frameless entries: frameless and direct calls
    /// on, a tree, every finish with at most one value of each kind (the context holds one result per kind), and
    /// a label that is called directly (by another trace, or by a call in this tree).
    /// </summary>
    private void PlanFrameless()
    {
        if (_tree == null || !FramelessCalls || !DirectCalls) return;
        var all = _ops.Concat(_tree.Order.SelectMany(b => b.Bridge.Operations)).ToList();
        foreach (var op in all)
            if (op.Num == OpNum.Finish && Kinds.Any(kind => op.Args.Count(a => a.Kind == kind) > 1)) return;
        bool called = _labels.Any(l => ((TargetToken)l.Descr!).CalledDirectly);
        foreach (var op in all)
            if (op.Num is >= OpNum.CallAssemblerI and <= OpNum.CallAssemblerN && IsFramelessCall((CallAssemblerDescr)op.Descr!)
                && DirectEntry((CallAssemblerDescr)op.Descr!) is { Target: null })
                called = true;
        _frameless = called;
    }

    /// <summary>Whether a direct call with <paramref name="descr"/> passes no frame: frameless calls on, and the
    /// descr's pool gives the frames exits take.</summary>
    private bool IsFramelessCall(CallAssemblerDescr descr) => FramelessCalls && descr.FramePool != null;

    /// <summary>
    /// The call: arguments into the descr's argument frame, then for this tree's own label its frameless wrapper
    /// and <see cref="FramelessCall"/>'s reading of the result; for another trace's label
    /// <see cref="FramelessCall"/> makes the whole call.
    /// </summary>
    private void EmitFramelessCall(ResOperation op, CallAssemblerDescr descr, (CilCompiledTrace? Target, int Entry) direct)
    {
        bool own = direct.Target == null;
        foreach (var kind in Kinds)
        {
            int slot = 0;
            foreach (var arg in op.Args)
            {
                if (arg.Kind != kind) continue;
                if (slot == 0) { LoadArgumentFrame(own, descr); E(OpCodes.Ldfld, Bank(kind)); }
                E(OpCodes.Dup); E(OpCodes.Ldc_I4, slot++); BankSlot(kind); Load(arg); StoreInBank(kind);
            }
            if (slot > 0) E(OpCodes.Pop);
            if (own) _ownArguments[(int)kind] = Math.Max(_ownArguments[(int)kind], slot);
        }
        if (ExpectedBox(op) is { } expected)
        {
            EmitUnboxingCall(op, expected, descr, direct);
            return;
        }
        if (own && op.Kind == ValueKind.Ref)
        {
            EmitOwnRefCall(descr, direct.Entry, box: -1);
            return;
        }
        if (own)
        {
            E(OpCodes.Ldarg_0); LoadArgumentFrame(own, descr); E(OpCodes.Ldc_I4, direct.Entry + _labels.Count); LoadRef(descr);
            E(OpCodes.Call, _tree!.FramelessCall!);
            LoadRef(_tree.Root); E(OpCodes.Ldarg_0); LoadRef(descr);
            E(OpCodes.Call, op.Kind switch { ValueKind.Int => OwnIntAfter, ValueKind.Float => OwnFloatAfter, _ => OwnVoidAfter });
        }
        else
        {
            LoadRef(direct.Target); E(OpCodes.Ldc_I4, direct.Entry); LoadRef(descr);
            E(OpCodes.Call, op.Kind switch { ValueKind.Int => OtherInt, ValueKind.Float => OtherFloat, ValueKind.Ref => OtherRef, _ => OtherVoid });
        }
    }

    /// <summary>A call of this tree's own label whose portal returns a reference, through the tree's
    /// <c>#frameless-ref</c> wrapper, which reads the result itself; <paramref name="box"/> is the number of the box class
    /// the caller expects (CilEmitter.UnboxedResults.cs), or -1.</summary>
    private void EmitOwnRefCall(CallAssemblerDescr descr, int entry, int box)
    {
        E(OpCodes.Ldarg_0); LoadArgumentFrame(true, descr); E(OpCodes.Ldc_I4, entry + _labels.Count); LoadRef(descr); E(OpCodes.Ldc_I4, box);
        E(OpCodes.Call, _tree!.FramelessRefCall!);
    }

    /// <summary>Calls of this tree's own labels pass their arguments in the context's <see cref="CilTraceContext.OwnArguments"/>
    /// (a field load, where the descr's <see cref="CallAssemblerDescr.ArgumentFrame"/> is a constant from the context's
    /// array); calls of other trees in the descr's.</summary>
    private void LoadArgumentFrame(bool own, CallAssemblerDescr descr)
    {
        if (own) { E(OpCodes.Ldarg_0); E(OpCodes.Ldfld, OwnArgumentsField); }
        else LoadRef(descr.ArgumentFrame);
    }

    private static readonly FieldInfo OwnArgumentsField = typeof(CilTraceContext).GetField(nameof(CilTraceContext.OwnArguments))!;
    private readonly int[] _ownArguments = new int[3];

    /// <summary>The frameless entries, after the frame entries: the label's args from the argument frame passed
    /// in the frame's place (references cleared there, so it keeps nothing alive), no frame from then on, and a
    /// branch to the label.</summary>
    private void EmitFramelessEntries()
    {
        if (!_frameless) return;
        for (int k = 0; k < _labels.Count; k++)
        {
            Mark(_framelessEntries[k]);
            var args = _labels[k].Args;
            LoadFromFrame(args);
            int refs = DeadFrame.Count(args, ValueKind.Ref);
            if (refs > 0)
            {
                E(OpCodes.Ldarg_1); E(OpCodes.Ldfld, Bank(ValueKind.Ref));
                for (int s = 0; s < refs; s++) { E(OpCodes.Dup); E(OpCodes.Ldc_I4, s); E(OpCodes.Ldnull); E(OpCodes.Stelem_Ref); }
                E(OpCodes.Pop);
            }
            E(OpCodes.Ldnull); _il.Emit(OpCodes.Starg_S, (byte)1); Note("starg.s 1");
            E(OpCodes.Br, _labelMarks[(TargetToken)_labels[k].Descr!].Label);
        }
    }

    /// <summary>At a finish: entered without a frame, the result goes into the context and the method returns.</summary>
    private void EmitFramelessFinish(IReadOnlyList<Value> args)
    {
        if (!_frameless) return;
        var withFrame = _il.DefineLabel();
        E(OpCodes.Ldarg_1); E(OpCodes.Brtrue, withFrame);
        foreach (var v in args)
        {
            if (_finishBoxes.TryGetValue(v, out var finishBox)) { StoreFinishBox(finishBox); continue; }
            E(OpCodes.Ldarg_0); Load(v); E(OpCodes.Stfld, ResultField(v.Kind));
        }
        E(OpCodes.Ldc_I4, ExitCodes.Finish); E(OpCodes.Ret);
        Mark(withFrame);
        MakeFinishBoxes(args);
    }

    /// <summary>Before code that leaves through the frame: entered without one, take one first.</summary>
    private void EnsureExitFrame()
    {
        if (!_frameless) return;
        var has = _il.DefineLabel();
        E(OpCodes.Ldarg_1); E(OpCodes.Brtrue, has);
        E(OpCodes.Ldarg_0); E(OpCodes.Call, TakeExitFrameMethod); _il.Emit(OpCodes.Starg_S, (byte)1); Note("starg.s 1");
        Mark(has);
    }

    /// <summary>Tells a tree's <paramref name="context"/> how many labels it has (its frameless entries follow) and how big
    /// its exit frames must be (the loop's own pieces' exits included: the runner settles exits there).</summary>
    public void PrepareFrameless(CilTraceContext context, (int Ints, int Floats, int Refs) exitFrameSize)
    {
        if (!_frameless) return;
        context.LabelCount = _labels.Count;
        context.OwnArguments = new DeadFrame(_ownArguments[0], _ownArguments[1], _ownArguments[2]);
        context.ExitFrameSize = exitFrameSize;
    }
}
