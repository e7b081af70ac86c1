using System.Reflection;
using System.Reflection.Emit;
using MetaJit.Engine.Descriptors;
using MetaJit.Engine.Trace;

namespace MetaJit.Engine.Backend.Cil;

/// <summary>
/// Self-calls: a tree's call_assembler of one of its own labels (a recursive function's trace calling itself)
/// passes its arguments in the tree's context (<see cref="CilTraceContext.ArgInts"/> and its siblings) instead of a
/// pooled dead frame, and enters the label's typed entry (entry index label + label count), which reads them into
/// locals and clears the references. The call passes no frame: a finish stores its result in the context
/// (<see cref="CilTraceContext.ResultRef"/>, ...), and only code that leaves (an exit, a jump out of the tree)
/// takes a frame first (<see cref="CilTraceContext.TakeExitFrame"/>), so a call that runs into a finish costs no
/// frame taken, sized, cleared and given back (PyPy allocates a frame per call_assembler; its frames are cheap
/// bump allocations, these would be write barriers into a pooled old array). The context is per tree and the
/// engine runs compiled code on one thread: arguments are read at entry before anything else can call.
/// <see cref="SelfCalls"/> reads the result or goes on after another exit.
/// </summary>
internal sealed partial class CilEmitter
{
    private static readonly MethodInfo TakeExitFrameMethod = typeof(CilTraceContext).GetMethod(nameof(CilTraceContext.TakeExitFrame))!;
    private static readonly FieldInfo ArgIntsField = typeof(CilTraceContext).GetField(nameof(CilTraceContext.ArgInts))!;
    private static readonly FieldInfo ArgFloatsField = typeof(CilTraceContext).GetField(nameof(CilTraceContext.ArgFloats))!;
    private static readonly FieldInfo ArgRefsField = typeof(CilTraceContext).GetField(nameof(CilTraceContext.ArgRefs))!;
    private static readonly FieldInfo ResultIntField = typeof(CilTraceContext).GetField(nameof(CilTraceContext.ResultInt))!;
    private static readonly FieldInfo ResultFloatField = typeof(CilTraceContext).GetField(nameof(CilTraceContext.ResultFloat))!;
    private static readonly FieldInfo ResultRefField = typeof(CilTraceContext).GetField(nameof(CilTraceContext.ResultRef))!;
    private static readonly MethodInfo SelfIntAfter = typeof(SelfCalls).GetMethod(nameof(SelfCalls.IntAfter))!;
    private static readonly MethodInfo SelfFloatAfter = typeof(SelfCalls).GetMethod(nameof(SelfCalls.FloatAfter))!;
    private static readonly MethodInfo SelfRefAfter = typeof(SelfCalls).GetMethod(nameof(SelfCalls.RefAfter))!;
    private static readonly MethodInfo SelfVoidAfter = typeof(SelfCalls).GetMethod(nameof(SelfCalls.VoidAfter))!;

    /// <summary>The pool exit frames come from; null when the tree makes no self-call (then none of this is emitted).</summary>
    private DeadFramePool? _selfCallPool;
    /// <summary>The typed entry of each label (same order as <see cref="_labels"/>).</summary>
    private Label[] _typedEntries = [];
    /// <summary>Which labels a self-call enters.</summary>
    private readonly HashSet<int> _typedTargets = new();
    private readonly int[] _selfCallArgs = new int[3];

    /// <summary>
    /// Decides, once the labels are known, whether this tree makes self-calls: direct calls on, the tree's
    /// self-call wrapper declared, a call_assembler of one of its labels whose descr pools frames, and every
    /// finish with at most one value of each kind (the context holds one result per kind).
    /// </summary>
    private void PlanSelfCalls()
    {
        if (_tree?.SelfCall == null || !DirectCalls) return;
        var all = _ops.Concat(_tree.Order.SelectMany(b => b.Bridge.Operations)).ToList();
        foreach (var op in all)
            if (op.Num == OpNum.Finish && Kinds.Any(kind => op.Args.Count(a => a.Kind == kind) > 1)) return;
        foreach (var op in all)
            if (op.Num is >= OpNum.CallAssemblerI and <= OpNum.CallAssemblerN && op.Descr is CallAssemblerDescr { FramePool: { } pool } descr
                && DirectEntry(descr) is { Target: null })
            {
                _selfCallPool = pool;
                break;
            }
    }

    /// <summary>Whether a call_assembler with <paramref name="descr"/> that enters one of this tree's labels is a self-call.</summary>
    private bool IsSelfCall(CallAssemblerDescr descr) => _selfCallPool != null && ReferenceEquals(descr.FramePool, _selfCallPool);

    /// <summary>
    /// The call: arguments into the context's banks, the tree's self-call wrapper with the label's typed entry,
    /// then <see cref="SelfCalls"/> leaves the result on the stack.
    /// </summary>
    private void EmitSelfCall(ResOperation op, CallAssemblerDescr descr, int entry)
    {
        _typedTargets.Add(entry - 1);
        foreach (var kind in Kinds)
        {
            int slot = 0;
            foreach (var arg in op.Args)
            {
                if (arg.Kind != kind) continue;
                if (slot == 0) { E(OpCodes.Ldarg_0); E(OpCodes.Ldfld, ArgBank(kind)); }
                E(OpCodes.Dup); E(OpCodes.Ldc_I4, slot++); BankSlot(kind); Load(arg); StoreInBank(kind);
            }
            if (slot > 0) E(OpCodes.Pop);
            _selfCallArgs[(int)kind] = Math.Max(_selfCallArgs[(int)kind], slot);
        }
        E(OpCodes.Ldarg_0); E(OpCodes.Ldc_I4, entry + _labels.Count); LoadRef(descr);
        E(OpCodes.Call, _tree!.SelfCall!);
        LoadRef(_tree.Root); E(OpCodes.Ldarg_0); LoadRef(descr);
        E(OpCodes.Call, op.Kind switch { ValueKind.Int => SelfIntAfter, ValueKind.Float => SelfFloatAfter, ValueKind.Ref => SelfRefAfter, _ => SelfVoidAfter });
    }

    /// <summary>The typed entries, after the frame entries: the label's args from the context's banks (references
    /// cleared there, so the context keeps nothing alive), then a branch to the label. Labels no self-call enters
    /// share one block that throws.</summary>
    private void EmitTypedEntries()
    {
        if (_selfCallPool == null) return;
        Label? unused = null;
        for (int k = 0; k < _labels.Count; k++)
        {
            if (!_typedTargets.Contains(k))
            {
                unused ??= _il.DefineLabel();
                Mark(_typedEntries[k]); E(OpCodes.Br, unused.Value);
                continue;
            }
            Mark(_typedEntries[k]);
            var args = _labels[k].Args;
            foreach (var kind in Kinds)
            {
                bool loaded = false;
                int slot = 0;
                foreach (var v in args)
                {
                    if (v.Kind != kind) continue;
                    int s = slot++;
                    if (v is Const) continue;
                    if (!loaded) { E(OpCodes.Ldarg_0); E(OpCodes.Ldfld, ArgBank(kind)); loaded = true; }
                    E(OpCodes.Dup); E(OpCodes.Ldc_I4, s); E(LoadElem(kind)); E(OpCodes.Stloc, Local(v));
                }
                if (kind == ValueKind.Ref && slot > 0)
                {
                    if (!loaded) { E(OpCodes.Ldarg_0); E(OpCodes.Ldfld, ArgBank(kind)); loaded = true; }
                    for (int s = 0; s < slot; s++) { E(OpCodes.Dup); E(OpCodes.Ldc_I4, s); E(OpCodes.Ldnull); E(OpCodes.Stelem_Ref); }
                }
                if (loaded) E(OpCodes.Pop);
            }
            E(OpCodes.Br, _labelMarks[(TargetToken)_labels[k].Descr!].Label);
        }
        if (unused is { } throwing)
        {
            Mark(throwing);
            _il.ThrowException(typeof(InvalidOperationException));
            Note("throw InvalidOperationException // no self-call enters this label");
        }
    }

    /// <summary>At a finish: entered by a self-call (no frame), the result goes into the context and the method returns.</summary>
    private void EmitSelfCallFinish(IReadOnlyList<Value> args)
    {
        if (_selfCallPool == null) return;
        var withFrame = _il.DefineLabel();
        E(OpCodes.Ldarg_1); E(OpCodes.Brtrue, withFrame);
        foreach (var v in args)
        {
            E(OpCodes.Ldarg_0); Load(v);
            E(OpCodes.Stfld, v.Kind switch { ValueKind.Int => ResultIntField, ValueKind.Float => ResultFloatField, _ => ResultRefField });
        }
        E(OpCodes.Ldc_I4, ExitCodes.Finish); E(OpCodes.Ret);
        Mark(withFrame);
    }

    /// <summary>Before code that leaves through the frame: entered by a self-call, take one first.</summary>
    private void EnsureExitFrame()
    {
        if (_selfCallPool == null) return;
        var has = _il.DefineLabel();
        E(OpCodes.Ldarg_1); E(OpCodes.Brtrue, has);
        E(OpCodes.Ldarg_0); E(OpCodes.Call, TakeExitFrameMethod); _il.Emit(OpCodes.Starg_S, (byte)1); Note("starg.s 1");
        Mark(has);
    }

    /// <summary>Sizes <paramref name="context"/>'s argument banks for this tree's self-calls and tells it where exit
    /// frames come from and how big they must be (the loop's own pieces' exits included: the runner settles exits there).</summary>
    public void PrepareSelfCalls(CilTraceContext context, (int Ints, int Floats, int Refs) exitFrameSize)
    {
        if (_selfCallPool == null) return;
        context.ArgInts = new long[_selfCallArgs[0]];
        context.ArgFloats = new double[_selfCallArgs[1]];
        context.ArgRefs = new object?[_selfCallArgs[2]];
        context.ExitPool = _selfCallPool;
        context.ExitFrameSize = exitFrameSize;
    }

    private static FieldInfo ArgBank(ValueKind kind) => kind switch { ValueKind.Int => ArgIntsField, ValueKind.Float => ArgFloatsField, _ => ArgRefsField };
}
