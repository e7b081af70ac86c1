using System.Reflection;
using MetaJit.Engine.Descriptors;
using MetaJit.Engine.JitCodes;
using MetaJit.Toolchain.Analysis;
using MetaJit.Toolchain.Loading;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace MetaJit.Toolchain.Codewriting;

/// <summary>
/// The codewriter: turns one method's IL (a stack machine) into a JitCode (register code).
/// <para>In: a closed reflection method and its Cecil body (long-form IL). Out: a <see cref="JitCode"/>.
/// One forward pass over the IL simulates the evaluation stack: variables get a register each, stack slots
/// a temp register per (kind, depth), and every IL instruction becomes zero or more JitCode instructions.
/// The steps live in partial files: <c>Codewriter.Arithmetic.cs</c> (numbers, comparisons, conversions),
/// <c>Codewriter.Memory.cs</c> (fields, arrays, boxing, casts), <c>Codewriter.Calls.cs</c> (calls and
/// hints), <c>Codewriter.Control.cs</c> (jumps, exception regions and the lowering of finally);
/// <see cref="Liveness"/> runs last.</para>
/// </summary>
internal sealed partial class Codewriter
{
    private readonly MethodBase _method;
    private readonly MethodDefinition _def;
    private readonly InterpreterLoader _loader;
    private readonly CallPolicy _policy;
    private readonly CallGraph? _graph;
    private readonly IReadOnlyDictionary<FieldInfo, PortalDescr> _portals;
    private readonly SourceMap _source;
    private readonly JitCode _code;

    private readonly List<JitInsn> _insns = new();
    private readonly List<int> _lines = new();
    private readonly int[] _count = new int[3];
    private readonly Dictionary<(ValueKind, int), int> _temps = new();
    private readonly Dictionary<int, (ValueKind Kind, int Reg, Type Type)> _locals = new();
    private readonly (ValueKind Kind, int Reg, Type Type)[] _args;
    private readonly Dictionary<(ValueKind, int), string> _names = new();
    private readonly Dictionary<(ValueKind, int), (int Start, int End)> _scopes = new();

    private List<StackItem>? _stack = new();
    private readonly Dictionary<Instruction, List<StackItem>> _labelStates = new();
    private readonly Dictionary<Instruction, int> _pcOf = new();
    private readonly List<(JitInsn Insn, Instruction Target)> _fixups = new();
    private Instruction _current = null!;
    private int _line;
    private JitInsn? _lastDef;
    private ValueKind _lastDefKind;
    private Type? _constrained;
    private MethodBase? _lastFunction;

    public Codewriter(MethodBase method, InterpreterLoader loader, CallPolicy policy, CallGraph? graph,
        IReadOnlyDictionary<FieldInfo, PortalDescr> portals)
    {
        _method = method;
        _loader = loader;
        _policy = policy;
        _graph = graph;
        _portals = portals;
        _def = loader.Definition(method);
        _source = loader.Source(_def);
        _code = new JitCode(method, TypeDescr.Pretty(method.DeclaringType!) + "." + method.Name) { SourceFile = _source.File };

        var args = new List<(ValueKind, int, Type)>();
        if (!method.IsStatic)
        {
            var self = method.DeclaringType!;
            if (self.IsValueType) throw Error("Methods of structs are not RC# (the JIT keeps no struct values).");
            args.Add(NewVariable(self, "this"));
        }
        foreach (var p in method.GetParameters())
            args.Add(NewVariable(p.ParameterType, p.Name ?? "arg" + p.Position));
        _args = args.ToArray();
    }

    /// <summary>Writes the JitCode.</summary>
    public JitCode Write()
    {
        if (!_def.HasBody) throw Error("The method has no IL body.");
        var body = _def.Body;
        var targets = new HashSet<Instruction>();
        foreach (var i in body.Instructions)
        {
            if (i.Operand is Instruction t) targets.Add(t);
            if (i.Operand is Instruction[] ts) targets.UnionWith(ts);
        }
        PrepareRegions(body);

        foreach (var insn in body.Instructions)
        {
            _current = insn;
            _line = _source.Line(insn.Offset);
            EnterInstruction(insn, targets);
            _pcOf[insn] = _insns.Count;
            try
            {
                Translate(insn);
            }
            catch (NotSupportedException e)
            {
                throw Error(e.Message);
            }
        }
        EmitStubs();
        foreach (var (insn, target) in _fixups) insn.Target = _pcOf[target];
        FixSwitches();
        FinishRegions();

        _code.Code = _insns.ToArray();
        _code.Lines = _lines.ToArray();
        _code.NumInts = _count[0];
        _code.NumFloats = _count[1];
        _code.NumRefs = _count[2];
        _code.ParamRegs = _args.Select(a => new Reg(a.Kind, a.Reg).Encode()).ToArray();
        _code.ResultKind = _method is MethodInfo mi ? Kind(mi.ReturnType) : ValueKind.Void;
        _code.HasLoops = HasBackwardJump(_code.Code);
        _code.Liveness = Liveness.Compute(_code);
        CheckMergePoints();
        return _code;
    }

    /// <summary>The register of each variable, for error messages: (kind, index) -> source name.</summary>
    public IReadOnlyDictionary<(ValueKind, int), string> VariableNames => _names;

    // ---- stack state at instruction boundaries

    private void EnterInstruction(Instruction insn, HashSet<Instruction> targets)
    {
        if (_handlerEntry.TryGetValue(insn, out var entry))
        {
            _stack = entry.Select(e => e.Clone()).ToList();
            return;
        }
        if (_labelStates.TryGetValue(insn, out var saved))
        {
            if (_stack != null) SaveState(insn);
            _stack = saved.Select(s => s.Clone()).ToList();
            _lastDef = null;
            return;
        }
        if (targets.Contains(insn))
        {
            _stack ??= new List<StackItem>(); // reached first by a backward jump: the IL stack is empty there
            SaveState(insn);
            _stack = _labelStates[insn].Select(s => s.Clone()).ToList();
            _lastDef = null;
            return;
        }
        _stack ??= new List<StackItem>(); // dead code after an unconditional jump
    }

    /// <summary>Puts every stack value in its canonical temp and records (or checks) the state at <paramref name="target"/>.</summary>
    private void SaveState(Instruction target)
    {
        Canonicalize();
        var state = _stack!.Select(s => s.ForJoin()).ToList();
        if (_labelStates.TryGetValue(target, out var saved))
        {
            if (saved.Count != state.Count || saved.Zip(state).Any(p => !p.First.SameSlot(p.Second)))
                throw Error($"The IL stack differs between the paths into IL_{target.Offset:x4}; the codewriter cannot merge them.");
            return;
        }
        _labelStates[target] = state;
    }

    private void Canonicalize()
    {
        var stack = _stack!;
        for (int d = 0; d < stack.Count; d++)
        {
            var item = stack[d];
            if (item.Form != ItemForm.Value) continue;
            int canonical = Temp(item.Kind, d);
            if (item.Reg == canonical && !item.IsVariable) continue;
            EmitCopy(item.Kind, canonical, item.Reg);
            var moved = item.Clone();
            moved.Reg = canonical;
            moved.IsVariable = false;
            stack[d] = moved;
        }
    }

    // ---- registers

    private int NewReg(ValueKind kind) => _count[(int)kind]++;

    private int Temp(ValueKind kind, int depth)
    {
        if (!_temps.TryGetValue((kind, depth), out int r)) _temps[(kind, depth)] = r = NewReg(kind);
        return r;
    }

    private (ValueKind, int, Type) NewVariable(Type type, string name)
    {
        var kind = Kind(type);
        int reg = NewReg(kind);
        _names[(kind, reg)] = name;
        return (kind, reg, type);
    }

    private (ValueKind Kind, int Reg, Type Type) Local(VariableDefinition v)
    {
        if (_locals.TryGetValue(v.Index, out var l)) return l;
        var type = InterpreterLoader.MapType(_method, v.VariableType);
        if (type.IsByRef) throw Error("ref locals are not RC#.");
        var local = _locals[v.Index] = NewVariable(type, _source.LocalName(v));
        if (_source.Scope(v) is { } scope) _scopes[(local.Kind, local.Reg)] = scope;
        return local;
    }

    private (ValueKind Kind, int Reg, Type Type) Arg(ParameterDefinition p)
    {
        int index = p == _def.Body.ThisParameter ? 0 : p.Index + (_method.IsStatic ? 0 : 1);
        if (_args[index].Type.IsByRef) throw Error("ref and out parameters are not RC#.");
        return _args[index];
    }

    private ValueKind Kind(Type t)
    {
        try { return ValueKinds.Of(t); }
        catch (NotSupportedException e) { throw Error(e.Message); }
    }

    // ---- the stack

    private StackItem Pop()
    {
        var s = _stack!;
        if (s.Count == 0) throw Error("IL stack underflow.");
        var item = s[^1];
        s.RemoveAt(s.Count - 1);
        return item;
    }

    private StackItem PopValue()
    {
        var item = Pop();
        if (item.Form != ItemForm.Value)
            throw Error(item.Form switch
            {
                ItemForm.Driver => "A JitDriver may only be used to call JitMergePoint or CanEnterJit.",
                ItemForm.TypeToken => "ldtoken is only supported as typeof(X).",
                _ => "Addresses (ref locals, ref arguments, struct members) are not RC#.",
            });
        return item;
    }

    private StackItem[] PopValues(int n)
    {
        var items = new StackItem[n];
        for (int k = n - 1; k >= 0; k--) items[k] = PopValue();
        return items;
    }

    /// <summary>Pushes a new value into the canonical temp of the new depth and returns that register.</summary>
    private int Push(ValueKind kind, StackType type, Type? clrType = null)
    {
        int reg = Temp(kind, _stack!.Count);
        _stack.Add(new StackItem { Kind = kind, Type = type, Reg = reg, ClrType = clrType });
        return reg;
    }

    private int Push(Type type) => Push(Kind(type), StackItem.TypeOf(type), type);

    private void PushVariable(ValueKind kind, int reg, Type type) =>
        _stack!.Add(new StackItem { Kind = kind, Type = StackItem.TypeOf(type), Reg = reg, ClrType = type, IsVariable = true });

    /// <summary>Before variable <paramref name="reg"/> is written, copies stack slots that still read it.</summary>
    private void FlushVariable(ValueKind kind, int reg)
    {
        var s = _stack!;
        for (int d = 0; d < s.Count; d++)
        {
            if (!s[d].IsVariable || s[d].Kind != kind || s[d].Reg != reg || s[d].Form != ItemForm.Value) continue;
            int canonical = Temp(kind, d);
            EmitCopy(kind, canonical, reg);
            var moved = s[d].Clone();
            moved.Reg = canonical;
            moved.IsVariable = false;
            s[d] = moved;
        }
    }

    // ---- emitting

    private JitInsn Emit(JitOpcode op, int a = 0, int b = 0, int c = 0, int d = 0, byte w = 64)
    {
        var insn = new JitInsn { Op = op, A = a, B = b, C = c, D = d, W = w };
        _insns.Add(insn);
        _lines.Add(_line);
        _lastDef = null;
        return insn;
    }

    /// <summary>Emits an instruction whose destination A is the value just pushed (so a following stloc may
    /// retarget it straight into the variable).</summary>
    private JitInsn EmitDef(JitOpcode op, int a, int b = 0, int c = 0, int d = 0, byte w = 64)
    {
        var insn = Emit(op, a, b, c, d, w);
        _lastDef = insn;
        _lastDefKind = _stack!.Count > 0 ? _stack[^1].Kind : ValueKind.Void;
        return insn;
    }

    private void EmitCopy(ValueKind kind, int dst, int src)
    {
        if (dst == src) return;
        Emit(kind switch { ValueKind.Int => JitOpcode.IntCopy, ValueKind.Float => JitOpcode.FloatCopy, _ => JitOpcode.RefCopy }, dst, src);
    }

    private void Jump(JitOpcode op, int b, Instruction target)
    {
        var insn = Emit(op, 0, b);
        _fixups.Add((insn, target));
    }

    private static bool HasBackwardJump(JitInsn[] code)
    {
        for (int pc = 0; pc < code.Length; pc++)
        {
            var i = code[pc];
            if (i.Op is JitOpcode.Goto or JitOpcode.GotoIfTrue or JitOpcode.GotoIfFalse or JitOpcode.GotoIfNull
                    or JitOpcode.GotoIfNonNull or JitOpcode.Switch && i.Target >= 0 && i.Target <= pc) return true;
            if (i.Op == JitOpcode.Switch && i.Targets!.Any(t => t <= pc)) return true;
            if (i.Op == JitOpcode.FinallyEnd && i.Targets!.Any(t => t <= pc)) return true;
        }
        return false;
    }

    // ---- errors

    private CodewriterException Error(string message)
    {
        int offset = _current?.Offset ?? -1;
        int line = _current != null ? _source.Line(_current.Offset) : 0;
        if (line == 0 && _def.DebugInformation.HasSequencePoints)
            line = _def.DebugInformation.SequencePoints.FirstOrDefault(p => !p.IsHidden)?.StartLine ?? 0;
        return new CodewriterException(message, _method, offset, _source.File, line);
    }
}
