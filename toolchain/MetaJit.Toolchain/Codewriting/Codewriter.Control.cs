using MetaJit.Engine.Descriptors;
using MetaJit.Engine.JitCodes;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace MetaJit.Toolchain.Codewriting;

// Jumps and exception regions.
//
// catch: a JitHandler with the catch type; the exception lands in a register of its own (also what rethrow throws).
// finally: lowered, as RPython does, to a catch-all handler plus a continuation register:
//   leave L (out of the try)      ->  cont = k; exc = null; goto FINALLY      (k indexes FINALLY's continuations)
//   exception in the try          ->  handler stub: cont = -1; goto FINALLY   (exc holds the exception)
//   endfinally                    ->  finally_end exc, cont, [continuations]  (rethrows exc when non-null)
// A leave that exits several finally regions chains through stubs, innermost first.
internal sealed partial class Codewriter
{
    private sealed class Region
    {
        public required ExceptionHandler Handler;
        public int ExceptionReg;
        public int ContinuationReg;
        public readonly List<Target> Continuations = new();
        public readonly List<JitInsn> Ends = new();
        public Target? EntryStub;
    }

    /// <summary>A jump target: an IL instruction or a stub emitted after the method body.</summary>
    private sealed class Target
    {
        public Instruction? IL;
        public int StubPc = -1;
        public Action? EmitStub;
        public int Pc(Codewriter w) => IL != null ? w._pcOf[IL] : StubPc;
    }

    private readonly List<Region> _regions = new();
    private readonly Dictionary<Instruction, List<StackItem>> _handlerEntry = new();
    private readonly List<Target> _stubs = new();
    private readonly List<(JitInsn Insn, Target Target)> _stubFixups = new();

    private void PrepareRegions(MethodBody body)
    {
        foreach (var eh in body.ExceptionHandlers)
        {
            var region = new Region { Handler = eh };
            switch (eh.HandlerType)
            {
                case ExceptionHandlerType.Catch:
                {
                    var type = Loading.InterpreterLoader.ResolveType(_method, eh.CatchType);
                    region.ExceptionReg = NewReg(ValueKind.Ref);
                    _names[(ValueKind.Ref, region.ExceptionReg)] = "caught exception";
                    _handlerEntry[eh.HandlerStart] = new List<StackItem>
                    {
                        new() { Kind = ValueKind.Ref, Type = StackType.Ref, Reg = region.ExceptionReg, ClrType = type, IsVariable = true },
                    };
                    break;
                }
                case ExceptionHandlerType.Finally:
                    region.ExceptionReg = NewReg(ValueKind.Ref);
                    region.ContinuationReg = NewReg(ValueKind.Int);
                    _handlerEntry[eh.HandlerStart] = new List<StackItem>();
                    var r = region;
                    region.EntryStub = NewStub(() =>
                    {
                        Emit(JitOpcode.IntConst, r.ContinuationReg).Imm = -1;
                        StubJump(new Target { IL = r.Handler.HandlerStart });
                    });
                    break;
                default:
                    _current = eh.HandlerStart;
                    throw Error($"Exception {(eh.HandlerType == ExceptionHandlerType.Filter ? "filters ('when')" : "fault handlers")} are not RC#.");
            }
            _regions.Add(region);
        }
    }

    private Target NewStub(Action emit)
    {
        var t = new Target { EmitStub = emit };
        _stubs.Add(t);
        return t;
    }

    private void StubJump(Target target)
    {
        var insn = Emit(JitOpcode.Goto);
        _stubFixups.Add((insn, target));
    }

    private void EmitStubs()
    {
        _line = 0;
        for (int k = 0; k < _stubs.Count; k++) // stubs may add stubs
        {
            var s = _stubs[k];
            s.StubPc = _insns.Count;
            s.EmitStub!();
        }
    }

    private void FinishRegions()
    {
        foreach (var (insn, target) in _stubFixups) insn.Target = target.Pc(this);
        var handlers = new List<JitHandler>();
        foreach (var r in _regions)
        {
            var eh = r.Handler;
            int start = _pcOf[eh.TryStart];
            int end = eh.TryEnd != null ? _pcOf[eh.TryEnd] : _insns.Count;
            if (eh.HandlerType == ExceptionHandlerType.Catch)
            {
                handlers.Add(new JitHandler(start, end, _pcOf[eh.HandlerStart],
                    Descrs.Type(Loading.InterpreterLoader.ResolveType(_method, eh.CatchType)), r.ExceptionReg));
            }
            else
            {
                handlers.Add(new JitHandler(start, end, r.EntryStub!.Pc(this), null, r.ExceptionReg));
                var conts = r.Continuations.Select(c => c.Pc(this)).ToArray();
                foreach (var fe in r.Ends) fe.Targets = conts;
            }
        }
        _code.Handlers = handlers.ToArray();
    }

    private static bool Covers(ExceptionHandler eh, Instruction i) =>
        i.Offset >= eh.TryStart.Offset && (eh.TryEnd == null || i.Offset < eh.TryEnd.Offset);

    private static bool InHandler(ExceptionHandler eh, Instruction i) =>
        i.Offset >= eh.HandlerStart.Offset && (eh.HandlerEnd == null || i.Offset < eh.HandlerEnd.Offset);

    private int CaughtExceptionRegister(Instruction i)
    {
        foreach (var r in _regions)
            if (r.Handler.HandlerType == ExceptionHandlerType.Catch && InHandler(r.Handler, i)) return r.ExceptionReg;
        throw Error("rethrow outside a catch block.");
    }

    private void Leave(Instruction i)
    {
        var target = (Instruction)i.Operand;
        _stack = new List<StackItem>(); // leave empties the stack
        var exited = _regions.Where(r => r.Handler.HandlerType == ExceptionHandlerType.Finally
                                         && Covers(r.Handler, i) && !Covers(r.Handler, target)).ToList();
        if (exited.Count == 0)
        {
            SaveState(target);
            Jump(JitOpcode.Goto, 0, target);
            _stack = null;
            return;
        }
        if (!_labelStates.ContainsKey(target)) _labelStates[target] = new List<StackItem>();
        // Build the chain from the outermost finally inwards: each level continues into the next.
        Target next = new() { IL = target };
        for (int k = exited.Count - 1; k >= 1; k--)
        {
            var region = exited[k];
            var cont = next;
            next = NewStub(() => EnterFinally(region, cont, stub: true));
        }
        EnterFinally(exited[0], next, stub: false);
        _stack = null;
    }

    private void EnterFinally(Region region, Target continuation, bool stub)
    {
        int k = region.Continuations.Count;
        region.Continuations.Add(continuation);
        Emit(JitOpcode.IntConst, region.ContinuationReg).Imm = k;
        Emit(JitOpcode.RefConst, region.ExceptionReg).Const = null;
        if (stub) StubJump(new Target { IL = region.Handler.HandlerStart });
        else Jump(JitOpcode.Goto, 0, region.Handler.HandlerStart);
    }

    private void EndFinally(Instruction i)
    {
        var region = _regions.FirstOrDefault(r => r.Handler.HandlerType == ExceptionHandlerType.Finally && InHandler(r.Handler, i))
                     ?? throw Error("endfinally outside a finally block.");
        var insn = Emit(JitOpcode.FinallyEnd, 0, region.ExceptionReg, region.ContinuationReg);
        insn.Targets = Array.Empty<int>();
        region.Ends.Add(insn);
        _stack = null;
    }

    private void Branch(Instruction i)
    {
        var target = (Instruction)i.Operand;
        SaveState(target);
        Jump(JitOpcode.Goto, 0, target);
        _stack = null;
    }

    private void BranchIf(Instruction i)
    {
        var v = PopValue();
        var target = (Instruction)i.Operand;
        SaveState(target);
        bool onTrue = i.OpCode.Code == Code.Brtrue;
        if (v.Kind == ValueKind.Ref) Jump(onTrue ? JitOpcode.GotoIfNonNull : JitOpcode.GotoIfNull, v.Reg, target);
        else if (v.Kind == ValueKind.Int) Jump(onTrue ? JitOpcode.GotoIfTrue : JitOpcode.GotoIfFalse, v.Reg, target);
        else throw Error("brtrue/brfalse on a floating-point value.");
    }

    private void BranchCompare(Instruction i)
    {
        var b = PopValue();
        var a = PopValue();
        var target = (Instruction)i.Operand;
        var code = i.OpCode.Code;
        var (op, negate, w, rb, rc) = Comparison(code, a, b);
        SaveState(target);
        int cond = Temp(ValueKind.Int, _stack!.Count);
        Emit(op, cond, rb, rc, 0, w);
        Jump(negate ? JitOpcode.GotoIfFalse : JitOpcode.GotoIfTrue, cond, target);
    }

    private void SwitchOp(Instruction i)
    {
        var v = PopValue();
        var targets = (Instruction[])i.Operand;
        foreach (var t in targets) SaveState(t);
        var next = i.Next ?? throw Error("switch at the end of the method.");
        SaveState(next);
        var insn = Emit(JitOpcode.Switch, 0, v.Reg);
        insn.Targets = new int[targets.Length];
        _switchFixups.Add((insn, targets, next));
    }

    private readonly List<(JitInsn Insn, Instruction[] Targets, Instruction Next)> _switchFixups = new();

    private void FixSwitches()
    {
        foreach (var (insn, targets, next) in _switchFixups)
        {
            for (int k = 0; k < targets.Length; k++) insn.Targets![k] = _pcOf[targets[k]];
            insn.Target = _pcOf[next];
        }
    }
}
