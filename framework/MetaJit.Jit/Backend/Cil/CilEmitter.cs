using System.Reflection;
using System.Reflection.Emit;
using System.Text;
using MetaJit.Engine.Descriptors;
using MetaJit.Engine.Trace;

namespace MetaJit.Engine.Backend.Cil;

/// <summary>
/// Emits one piece of a trace as a DynamicMethod <c>int Run(CilTraceContext ctx, DeadFrame frame, int entry)</c>.
/// Shape: entry -1 returns at once (used to force compilation); otherwise reference constants are loaded
/// into locals, a switch on <c>entry</c> picks the piece start (inputs read from the frame) or a label (its
/// args read from the frame; in a tree, after the labels, their frameless entries: CilEmitter.FramelessCalls.cs);
/// then the ops in order, each value in an IL local of its kind (long, double, object) reused once the value is
/// dead; labels are IL labels and jumps back to them IL branches (an IL loop). Guards branch out of line to exits (CilEmitter.Guards.cs). The evaluation stack is empty between ops.
/// </summary>
internal sealed partial class CilEmitter
{
    private static readonly FieldInfo IntsField = typeof(DeadFrame).GetField(nameof(DeadFrame.Ints))!;
    private static readonly FieldInfo FloatsField = typeof(DeadFrame).GetField(nameof(DeadFrame.Floats))!;
    private static readonly FieldInfo RefsField = typeof(DeadFrame).GetField(nameof(DeadFrame.Refs))!;
    private static readonly FieldInfo JumpTargetField = typeof(DeadFrame).GetField(nameof(DeadFrame.JumpTarget))!;
    private static readonly FieldInfo ConstantsField = typeof(CilTraceContext).GetField(nameof(CilTraceContext.Constants))!;
    private static readonly FieldInfo InvalidatedField = typeof(CilTraceContext).GetField(nameof(CilTraceContext.Invalidated))!;
    private const int MaxConstantLocals = 64;

    // The trace being emitted: the piece's trace, then in a tree each bridge in turn (CilEmitter.Tree.cs).
    private TreeLoop _trace;
    private ResOperation[] _ops;
    private TracePiece _piece;
    private Dictionary<Value, int> _lastUse;
    private readonly List<object?> _constants;
    private readonly bool _trustTypes;
    private readonly DynamicMethod _method;
    private readonly ILGenerator _il;
    private readonly Dictionary<Value, LocalBuilder> _locals = new(ReferenceEqualityComparer.Instance);
    private readonly Stack<LocalBuilder>[] _free = [new(), new(), new()];
    private readonly List<LocalBuilder>[] _valueLocals = [new(), new(), new()];
    private readonly HashSet<Value> _dead = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<object, LocalBuilder> _constantLocals = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<TargetToken, LabelMark> _labelMarks = new();

    // A class around the Label: a dictionary with a struct value would be compiled by RyuJIT at every start.
    private sealed record LabelMark(Label Label);
    private readonly List<ResOperation> _labels = new();
    private readonly HashSet<ResOperation> _handled = new(ReferenceEqualityComparer.Instance);
    private readonly StringBuilder? _listing;
    private (int I, int F, int R) _frameSize = (1, 1, 1);

    public CilEmitter(TreeLoop trace, TracePiece piece, List<object?> constants, bool trustTypes, string name, bool listing = true, TreePlan? tree = null)
    {
        _tree = tree;
        _trace = trace;
        _ops = trace.Operations;
        _piece = piece;
        _constants = constants;
        _trustTypes = trustTypes;
        _method = new DynamicMethod(name, typeof(int), [typeof(CilTraceContext), typeof(DeadFrame), typeof(int)], restrictedSkipVisibility: true);
        _method.InitLocals = false; // every local is written before it is read; RyuJIT zeroes GC refs itself
        _il = _method.GetILGenerator();
        _lastUse = LiveRanges.LastUses(_ops, piece.Start, piece.End);
        foreach (var v in piece.LiveOut) _lastUse[v] = piece.End; // stored into the frame after the last op
        _listing = listing ? new StringBuilder() : null;
    }

    public int LabelCount => _labels.Count;

    /// <summary>The method being emitted.</summary>
    public DynamicMethod Method => _method;

    public (int I, int F, int R) FrameSize => _frameSize;

    public string Listing => _listing?.ToString() ?? "";

    public CilCompiledTrace.PieceCode CreateDelegate(CilTraceContext context) =>
        (CilCompiledTrace.PieceCode)_method.CreateDelegate(typeof(CilCompiledTrace.PieceCode), context);

    public void Emit()
    {
        for (int p = _piece.Start; p < _piece.End; p++)
            if (_ops[p].Num == OpNum.Label)
            {
                _labels.Add(_ops[p]);
                _labelMarks[(TargetToken)_ops[p].Descr!] = new LabelMark(_il.DefineLabel());
            }

        PlanFrameless();
        var run = _il.DefineLabel();
        E(OpCodes.Ldarg_2); E(OpCodes.Ldc_I4_0); E(OpCodes.Bge, run);
        E(OpCodes.Ldc_I4_0); E(OpCodes.Ret);
        Mark(run);
        LoadConstantsIntoLocals();
        var entries = _labels.Select(_ => _il.DefineLabel()).ToArray();
        if (_frameless) _framelessEntries = _labels.Select(_ => _il.DefineLabel()).ToArray();
        if (entries.Length > 0)
        {
            E(OpCodes.Ldarg_2); E(OpCodes.Ldc_I4_1); E(OpCodes.Sub);
            _il.Emit(OpCodes.Switch, [.. entries, .. _framelessEntries]);
            Note("switch");
        }
        LoadFromFrame(_piece.Inputs);
        foreach (var v in _piece.Inputs) if (!_lastUse.ContainsKey(v)) Free(v);

        for (int p = _piece.Start; p < _piece.End; p++)
        {
            var op = _ops[p];
            if (!_handled.Contains(op)) EmitOp(op, p);
            FreeDead(op, p);
        }
        if (_piece.End < _ops.Length)
        {
            EnsureExitFrame();
            StoreToFrame(_piece.LiveOut);
            E(OpCodes.Ldc_I4, CilCompiledTrace.Continue); E(OpCodes.Ret);
        }
        else
        {
            EndWithoutFinalOp();
        }

        if (_tree != null) EmitTreeBridges();
        for (int k = 0; k < _labels.Count; k++)
        {
            Mark(entries[k]);
            LoadFromFrame(_labels[k].Args);
            E(OpCodes.Br, _labelMarks[(TargetToken)_labels[k].Descr!].Label);
        }
        EmitFramelessEntries();
        EmitExits();
    }

    private void EndWithoutFinalOp()
    {
        if (_ops.Length > 0 && _ops[^1].Info.IsFinal) return;
        _il.ThrowException(typeof(InvalidOperationException));
        Note("throw InvalidOperationException // the trace ends without jump or finish");
    }

    private void EmitOp(ResOperation op, int p)
    {
        switch (op.Num)
        {
            case OpNum.NewWithVtable when DeferFinishBox(op, p):
                return;
            case OpNum.GetfieldGcI or OpNum.GetfieldGcF or OpNum.GetfieldGcR when _unboxedResults.Count > 0 && EmitUnboxedGetfield(op):
                return;
            case OpNum.Label:
                ForgetCasts(null);
                Mark(_labelMarks[(TargetToken)op.Descr!].Label);
                if (_listing != null) Note("// label " + op.Descr!.Name);
                return;
            case OpNum.DebugMergePoint:
                if (_listing != null) Note("// debug_merge_point " + op.Location);
                return;
            case OpNum.Jump:
                EmitJump(op, p);
                return;
            case OpNum.Finish:
                EmitFramelessFinish(op.Args);
                StoreToFrame(op.Args);
                StoreExitOwner();
                E(OpCodes.Ldc_I4, ExitCodes.Finish); E(OpCodes.Ret);
                return;
        }
        if (op.IsGuard) EmitGuard(op);
        else if (op.Info.IsCall) EmitCall(op, p);
        else EmitSimple(op);
    }

    private void EmitJump(ResOperation op, int p)
    {
        var token = (TargetToken)op.Descr!;
        int labelPos = Array.FindIndex(_ops, _piece.Start, p - _piece.Start, o => o.Num == OpNum.Label && o.Descr == token);
        var label = labelPos >= 0 ? _ops[labelPos] : TreeLabel(token);
        if (label == null)
        {
            // A label in another piece or another trace: leave through the frame; the runner continues there.
            EnsureExitFrame();
            StoreToFrame(op.Args);
            E(OpCodes.Ldarg_1); LoadRef(token); E(OpCodes.Stfld, JumpTargetField);
            E(OpCodes.Ldc_I4, ExitCodes.Jump); E(OpCodes.Ret);
            return;
        }
        // Parallel move through the evaluation stack: push every source, then pop into the label's locals.
        var moves = new List<(LocalBuilder Dst, Value Src)>();
        for (int i = 0; i < op.Args.Length; i++)
            if (label.Args[i] is not Const && !ReferenceEquals(label.Args[i], op.Args[i]))
                moves.Add((Local(label.Args[i]), op.Args[i]));
        foreach (var (_, src) in moves) Load(src);
        for (int i = moves.Count - 1; i >= 0; i--) E(OpCodes.Stloc, moves[i].Dst);
        E(OpCodes.Br, _labelMarks[token].Label);
    }

    // ---- values and locals ----

    private LocalBuilder Local(Value v)
    {
        if (_locals.TryGetValue(v, out var local)) return local;
        var pool = _free[(int)v.Kind];
        if (pool.Count > 0)
        {
            local = pool.Pop();
        }
        else
        {
            local = _il.DeclareLocal(ClrType(v.Kind));
            _valueLocals[(int)v.Kind].Add(local);
        }
        _locals[v] = local;
        return local;
    }

    /// <summary>
    /// Returns the value's local to the pool. The value keeps its mapping: exits emitted after the body still
    /// read it, and at the guards they serve the local still holds it.
    /// </summary>
    private void Free(Value v)
    {
        if (_locals.TryGetValue(v, out var local) && _dead.Add(v)) _free[(int)v.Kind].Push(local);
        if (v.Kind == ValueKind.Ref) ForgetCasts(v);
    }

    private void FreeDead(ResOperation op, int p)
    {
        foreach (var v in op.Args) if (_lastUse.TryGetValue(v, out int last) && last == p) Free(v);
        if (op.FailArgs != null) foreach (var v in op.FailArgs) if (_lastUse.TryGetValue(v, out int last) && last == p) Free(v);
        if (op.Kind != ValueKind.Void && !_lastUse.ContainsKey(op)) Free(op);
    }

    private static Type ClrType(ValueKind kind) => kind switch
    {
        ValueKind.Int => typeof(long),
        ValueKind.Float => typeof(double),
        ValueKind.Ref => typeof(object),
        _ => throw new ArgumentException("Void values have no local.", nameof(kind)),
    };

    private void Load(Value v)
    {
        switch (v)
        {
            case ConstInt c: E(OpCodes.Ldc_I8, c.IntValue); return;
            case ConstFloat c when _inTreeBridge: LoadTreeFloat(c.FloatValue); return;
            case ConstFloat c: E(OpCodes.Ldc_R8, c.FloatValue); return;
            case ConstPtr c: LoadRef(c.Object); return;
        }
        if (!_locals.TryGetValue(v, out var local))
            throw new InvalidOperationException($"Trace {_trace.Name}: a value is used before it is defined or after its last use (internal error or malformed trace).");
        if (_unboxedResults.Count > 0) MaterializeIfUnboxed(v, local);
        E(OpCodes.Ldloc, local);
    }

    private void Store(ResOperation op) => E(OpCodes.Stloc, Local(op));

    private void LoadRef(object? obj)
    {
        if (obj == null) { E(OpCodes.Ldnull); return; }
        if (_constantLocals.TryGetValue(obj, out var local)) { E(OpCodes.Ldloc, local); return; }
        E(OpCodes.Ldarg_0); E(OpCodes.Ldfld, ConstantsField); E(OpCodes.Ldc_I4, ConstantIndex(obj)); E(OpCodes.Ldelem_Ref);
    }

    private int ConstantIndex(object obj)
    {
        int i = _constants.FindIndex(c => ReferenceEquals(c, obj));
        if (i >= 0) return i;
        _constants.Add(obj);
        return _constants.Count - 1;
    }

    /// <summary>
    /// Reference constants used by a piece with a label (a loop) are read from the context once, at entry. A
    /// piece without label (a bridge, a straight piece) runs each op at most once per entry, so it reads each
    /// constant where it is used: no locals to compile, no loads of constants the path never reaches.
    /// </summary>
    private void LoadConstantsIntoLocals()
    {
        if (_labels.Count == 0) return;
        var seen = new HashSet<object>(ReferenceEqualityComparer.Instance);
        for (int p = _piece.Start; p < _piece.End && _constantLocals.Count < MaxConstantLocals; p++)
            foreach (var v in _ops[p].Args.Concat(_ops[p].FailArgs ?? []))
                if (v is ConstPtr { Object: { } obj } && obj is not Type && seen.Add(obj) && _constantLocals.Count < MaxConstantLocals)
                {
                    var local = _il.DeclareLocal(typeof(object));
                    E(OpCodes.Ldarg_0); E(OpCodes.Ldfld, ConstantsField); E(OpCodes.Ldc_I4, ConstantIndex(obj)); E(OpCodes.Ldelem_Ref);
                    E(OpCodes.Stloc, local);
                    _constantLocals[obj] = local;
                }
    }

    // ---- the frame ----

    // Each bank is loaded once per sequence and kept on the stack (dup per item): one field load instead of
    // one per item, which RyuJIT would otherwise meet as that many candidates for its bounded CSE budget.

    private void LoadFromFrame(IReadOnlyList<Value> values)
    {
        Grow(values);
        foreach (var kind in Kinds)
        {
            bool loaded = false;
            int slot = 0;
            foreach (var v in values)
            {
                if (v.Kind != kind) continue;
                int s = slot++;
                if (v is Const) continue;
                if (!loaded) { E(OpCodes.Ldarg_1); E(OpCodes.Ldfld, Bank(kind)); loaded = true; }
                E(OpCodes.Dup); E(OpCodes.Ldc_I4, s); E(LoadElem(kind)); E(OpCodes.Stloc, Local(v));
            }
            if (loaded) E(OpCodes.Pop);
        }
    }

    private void StoreToFrame(IReadOnlyList<Value> values)
    {
        Grow(values);
        foreach (var kind in Kinds)
        {
            int slot = 0;
            foreach (var v in values)
            {
                if (v.Kind != kind) continue;
                if (slot == 0) { E(OpCodes.Ldarg_1); E(OpCodes.Ldfld, Bank(kind)); }
                E(OpCodes.Dup); E(OpCodes.Ldc_I4, slot++); BankSlot(kind); Load(v); StoreInBank(kind);
            }
            if (slot > 0) E(OpCodes.Pop);
        }
    }

    private static readonly ValueKind[] Kinds = [ValueKind.Int, ValueKind.Float, ValueKind.Ref];

    private void Grow(IReadOnlyList<Value> values) => _frameSize = (
        Math.Max(_frameSize.I, DeadFrame.Count(values, ValueKind.Int)),
        Math.Max(_frameSize.F, DeadFrame.Count(values, ValueKind.Float)),
        Math.Max(_frameSize.R, DeadFrame.Count(values, ValueKind.Ref)));

    private static FieldInfo Bank(ValueKind kind) => kind switch { ValueKind.Int => IntsField, ValueKind.Float => FloatsField, _ => RefsField };
    private static OpCode LoadElem(ValueKind kind) => kind switch { ValueKind.Int => OpCodes.Ldelem_I8, ValueKind.Float => OpCodes.Ldelem_R8, _ => OpCodes.Ldelem_Ref };
    /// <summary>With a dead-frame bank and an index on the stack, before the value is pushed: for a ref, turns them
    /// into the slot's address (<c>readonly. ldelema</c>). The bank is exactly <c>object?[]</c>, so
    /// <see cref="StoreInBank"/> can then store with <c>stind.ref</c>, without <c>stelem.ref</c>'s covariance check
    /// (a helper call per store).</summary>
    private void BankSlot(ValueKind kind)
    {
        if (kind == ValueKind.Ref) { E(OpCodes.Readonly); E(OpCodes.Ldelema, typeof(object)); }
    }

    /// <summary>Stores the value pushed after <see cref="BankSlot"/>.</summary>
    private void StoreInBank(ValueKind kind) =>
        E(kind switch { ValueKind.Int => OpCodes.Stelem_I8, ValueKind.Float => OpCodes.Stelem_R8, _ => OpCodes.Stind_Ref });

    // ---- emitting, with an optional listing ----

    private void E(OpCode c) { _il.Emit(c); Note(c.Name ?? ""); }
    private void E(OpCode c, int i) { _il.Emit(c, i); if (_listing != null) Note($"{c.Name} {i}"); }
    private void E(OpCode c, long l) { _il.Emit(c, l); if (_listing != null) Note($"{c.Name} {l}"); }
    private void E(OpCode c, double d) { _il.Emit(c, d); if (_listing != null) Note($"{c.Name} {d}"); }
    private void E(OpCode c, Label l) { _il.Emit(c, l); if (_listing != null) Note($"{c.Name} L{l.GetHashCode()}"); }
    private void E(OpCode c, LocalBuilder l) { _il.Emit(c, l); if (_listing != null) Note($"{c.Name} V{l.LocalIndex}"); }
    private void E(OpCode c, FieldInfo f) { _il.Emit(c, f); if (_listing != null) Note($"{c.Name} {f.DeclaringType?.Name}::{f.Name}"); }
    private void E(OpCode c, MethodInfo m) { _il.Emit(c, m); if (_listing != null) Note($"{c.Name} {m.DeclaringType?.Name}::{m.Name}"); }
    private void E(OpCode c, ConstructorInfo m) { _il.Emit(c, m); if (_listing != null) Note($"{c.Name} {m.DeclaringType?.Name}::.ctor"); }
    private void E(OpCode c, Type t) { _il.Emit(c, t); if (_listing != null) Note($"{c.Name} {t.Name}"); }
    private void Mark(Label l) { _il.MarkLabel(l); if (_listing != null) Note($"L{l.GetHashCode()}:"); }
    // Callers that build a string test _listing first: the listing is off unless KeepIL, and compiling is hot.
    private void Note(string s) => _listing?.Append(s).Append('\n');
}
