using MetaJit.Engine.Descriptors;
using MetaJit.Engine.JitCodes;

namespace MetaJit.Toolchain.Codewriting;

/// <summary>
/// Backward liveness over a JitCode: the registers live before each instruction, per bank. Exceptional flow
/// counts: every instruction inside a handler's range may jump to the handler (which receives the exception
/// in its register). Resume uses it so guards capture only live registers; the codewriter uses it to check
/// that only greens and reds are live at a merge point.
/// </summary>
public static class Liveness
{
    /// <summary>Computes <see cref="JitCode.Liveness"/> for <paramref name="code"/>.</summary>
    public static LiveSet[] Compute(JitCode code)
    {
        int n = code.Code.Length;
        int fo = code.NumInts, ro = code.NumInts + code.NumFloats, total = ro + code.NumRefs;
        int words = (total + 63) / 64;
        int Bit(Reg r) => r.Kind switch { ValueKind.Int => r.Index, ValueKind.Float => fo + r.Index, _ => ro + r.Index };

        var uses = new ulong[n][];
        var defs = new ulong[n][];
        var succ = new int[n][];
        var handlersAt = new List<JitHandler>[n];
        for (int pc = 0; pc < n; pc++)
        {
            var u = new ulong[words];
            var d = new ulong[words];
            var insn = code.Code[pc];
            Operands(insn, r => Set(u, Bit(r)), r => Set(d, Bit(r)));
            uses[pc] = u;
            defs[pc] = d;
            succ[pc] = Successors(insn, pc, n);
            foreach (var h in code.Handlers)
                if (pc >= h.Start && pc < h.End) (handlersAt[pc] ??= new()).Add(h);
        }

        var live = new ulong[n][];
        for (int pc = 0; pc < n; pc++) live[pc] = new ulong[words];
        var tmp = new ulong[words];
        // Backward passes over the code until nothing changes (Lox's 760-instruction Run: 3 passes, 0.2 ms).
        bool changed = true;
        while (changed)
        {
            changed = false;
            for (int pc = n - 1; pc >= 0; pc--)
            {
                for (int w = 0; w < words; w++) tmp[w] = 0;
                foreach (var s in succ[pc]) Or(tmp, live[s]);
                var d = defs[pc];
                for (int w = 0; w < words; w++) tmp[w] &= ~d[w];
                if (handlersAt[pc] != null)
                    foreach (var h in handlersAt[pc])
                    {
                        // the instruction may throw before defining anything: the handler's needs flow in untouched,
                        // except its exception register, which the throw defines
                        var hl = live[h.HandlerPc];
                        int e = ro + h.ExceptionReg;
                        for (int w = 0; w < words; w++) tmp[w] |= w == e >> 6 ? hl[w] & ~(1UL << (e & 63)) : hl[w];
                    }
                Or(tmp, uses[pc]);
                if (!Same(tmp, live[pc]))
                {
                    tmp.CopyTo(live[pc], 0);
                    changed = true;
                }
            }
        }

        // Set bits to register lists; equal sets share one LiveSet (most neighbouring instructions agree).
        var result = new LiveSet[n];
        ulong[]? previousBits = null;
        LiveSet? previous = null;
        var ints = new List<int>(); var floats = new List<int>(); var refs = new List<int>();
        for (int pc = 0; pc < n; pc++)
        {
            var bits = live[pc];
            if (previous != null && Same(bits, previousBits!))
            {
                result[pc] = previous;
                continue;
            }
            ints.Clear(); floats.Clear(); refs.Clear();
            for (int w = 0; w < words; w++)
                for (ulong word = bits[w]; word != 0; word &= word - 1)
                {
                    int b = (w << 6) + System.Numerics.BitOperations.TrailingZeroCount(word);
                    if (b < fo) ints.Add(b); else if (b < ro) floats.Add(b - fo); else refs.Add(b - ro);
                }
            result[pc] = ints.Count + floats.Count + refs.Count == 0 ? LiveSet.Empty : new LiveSet(ints.ToArray(), floats.ToArray(), refs.ToArray());
            (previousBits, previous) = (bits, result[pc]);
        }
        return result;
    }

    private static void Set(ulong[] s, int b) => s[b >> 6] |= 1UL << (b & 63);
    private static bool Same(ulong[] a, ulong[] b)
    {
        for (int w = 0; w < a.Length; w++) if (a[w] != b[w]) return false;
        return true;
    }

    private static void Or(ulong[] a, ulong[] b) { for (int w = 0; w < a.Length; w++) a[w] |= b[w]; }

    private static int[] Successors(JitInsn i, int pc, int n)
    {
        int next = pc + 1;
        int[] Fall() => next < n ? new[] { next } : Array.Empty<int>();
        switch (i.Op)
        {
            case JitOpcode.Goto: return new[] { i.Target };
            case JitOpcode.GotoIfTrue or JitOpcode.GotoIfFalse or JitOpcode.GotoIfNull or JitOpcode.GotoIfNonNull:
                return next < n ? new[] { next, i.Target } : new[] { i.Target };
            case JitOpcode.Switch: return i.Targets!.Append(i.Target).Distinct().ToArray();
            case JitOpcode.FinallyEnd: return i.Targets ?? Array.Empty<int>();
            case JitOpcode.IntReturn or JitOpcode.FloatReturn or JitOpcode.RefReturn or JitOpcode.VoidReturn or JitOpcode.Throw:
                return Array.Empty<int>();
            default: return Fall();
        }
    }

    /// <summary>Calls <paramref name="use"/> for each register <paramref name="i"/> reads and <paramref name="def"/>
    /// for each it writes.</summary>
    public static void Operands(JitInsn i, Action<Reg> use, Action<Reg> def)
    {
        Reg I(int r) => Reg.I(r);
        Reg F(int r) => Reg.F(r);
        Reg R(int r) => Reg.R(r);
        void Args() { foreach (var a in i.Args ?? Array.Empty<int>()) use(Reg.Decode(a)); }
        switch (i.Op)
        {
            case JitOpcode.IntConst: def(I(i.A)); break;
            case JitOpcode.FloatConst: def(F(i.A)); break;
            case JitOpcode.RefConst: def(R(i.A)); break;
            case JitOpcode.IntCopy: use(I(i.B)); def(I(i.A)); break;
            case JitOpcode.FloatCopy: use(F(i.B)); def(F(i.A)); break;
            case JitOpcode.RefCopy: use(R(i.B)); def(R(i.A)); break;
            case >= JitOpcode.IntAdd and <= JitOpcode.UintRshift:
            case >= JitOpcode.IntAddOvf and <= JitOpcode.UintMulOvf:
            case >= JitOpcode.IntLt and <= JitOpcode.UintGe:
                use(I(i.B)); use(I(i.C)); def(I(i.A)); break;
            case JitOpcode.IntNeg or JitOpcode.IntInvert or JitOpcode.IntSignExt or JitOpcode.IntZeroExt or JitOpcode.IntConvOvf:
                use(I(i.B)); def(I(i.A)); break;
            case >= JitOpcode.FloatAdd and <= JitOpcode.FloatMod: use(F(i.B)); use(F(i.C)); def(F(i.A)); break;
            case JitOpcode.FloatNeg or JitOpcode.FloatRound32: use(F(i.B)); def(F(i.A)); break;
            case >= JitOpcode.FloatLt and <= JitOpcode.FloatGe: use(F(i.B)); use(F(i.C)); def(I(i.A)); break;
            case JitOpcode.CastIntToFloat or JitOpcode.CastUintToFloat: use(I(i.B)); def(F(i.A)); break;
            case JitOpcode.CastFloatToInt or JitOpcode.CastFloatToIntOvf: use(F(i.B)); def(I(i.A)); break;
            case JitOpcode.PtrEq or JitOpcode.PtrNe: use(R(i.B)); use(R(i.C)); def(I(i.A)); break;
            case JitOpcode.RefIsNull or JitOpcode.RefNonNull: use(R(i.B)); def(I(i.A)); break;
            case JitOpcode.IsInst or JitOpcode.CastClass: use(R(i.B)); def(R(i.A)); break;
            case JitOpcode.BoxInt: use(I(i.B)); def(R(i.A)); break;
            case JitOpcode.BoxFloat: use(F(i.B)); def(R(i.A)); break;
            case JitOpcode.UnboxInt: use(R(i.B)); def(I(i.A)); break;
            case JitOpcode.UnboxFloat: use(R(i.B)); def(F(i.A)); break;
            case JitOpcode.Goto: break;
            case JitOpcode.GotoIfTrue or JitOpcode.GotoIfFalse or JitOpcode.Switch: use(I(i.B)); break;
            case JitOpcode.GotoIfNull or JitOpcode.GotoIfNonNull: use(R(i.B)); break;
            case JitOpcode.New: def(R(i.A)); break;
            case JitOpcode.GetFieldInt: use(R(i.B)); def(I(i.A)); break;
            case JitOpcode.GetFieldFloat: use(R(i.B)); def(F(i.A)); break;
            case JitOpcode.GetFieldRef: use(R(i.B)); def(R(i.A)); break;
            case JitOpcode.SetFieldInt: use(R(i.B)); use(I(i.C)); break;
            case JitOpcode.SetFieldFloat: use(R(i.B)); use(F(i.C)); break;
            case JitOpcode.SetFieldRef: use(R(i.B)); use(R(i.C)); break;
            case JitOpcode.GetStaticInt: def(I(i.A)); break;
            case JitOpcode.GetStaticFloat: def(F(i.A)); break;
            case JitOpcode.GetStaticRef: def(R(i.A)); break;
            case JitOpcode.SetStaticInt: use(I(i.C)); break;
            case JitOpcode.SetStaticFloat: use(F(i.C)); break;
            case JitOpcode.SetStaticRef: use(R(i.C)); break;
            case JitOpcode.NewArray: use(I(i.B)); def(R(i.A)); break;
            case JitOpcode.ArrayLen: use(R(i.B)); def(I(i.A)); break;
            case JitOpcode.GetArrayItemInt: use(R(i.B)); use(I(i.C)); def(I(i.A)); break;
            case JitOpcode.GetArrayItemFloat: use(R(i.B)); use(I(i.C)); def(F(i.A)); break;
            case JitOpcode.GetArrayItemRef: use(R(i.B)); use(I(i.C)); def(R(i.A)); break;
            case JitOpcode.SetArrayItemInt: use(R(i.B)); use(I(i.C)); use(I(i.D)); break;
            case JitOpcode.SetArrayItemFloat: use(R(i.B)); use(I(i.C)); use(F(i.D)); break;
            case JitOpcode.SetArrayItemRef: use(R(i.B)); use(I(i.C)); use(R(i.D)); break;
            case JitOpcode.ResidualCall or JitOpcode.ResidualCallVirtual or JitOpcode.InlineCall or JitOpcode.DispatchCall:
            {
                Args();
                var k = ((CallDescr)i.Descr!).ResultKind;
                if (k != ValueKind.Void) def(new Reg(k, i.A));
                break;
            }
            case JitOpcode.IntReturn: use(I(i.B)); break;
            case JitOpcode.FloatReturn: use(F(i.B)); break;
            case JitOpcode.RefReturn: use(R(i.B)); break;
            case JitOpcode.VoidReturn: break;
            case JitOpcode.Throw: use(R(i.B)); break;
            case JitOpcode.FinallyEnd: use(R(i.B)); use(I(i.C)); break;
            case JitOpcode.JitMergePoint: Args(); break;
            case JitOpcode.CanEnterJit:
            {
                Args();
                def(I(i.A));
                var k = ((PortalDescr)i.Descr!).ResultKind;
                if (k != ValueKind.Void) def(new Reg(k, i.B));
                break;
            }
            case JitOpcode.PromoteInt: use(I(i.B)); def(I(i.A)); break;
            case JitOpcode.PromoteFloat: use(F(i.B)); def(F(i.A)); break;
            case JitOpcode.PromoteRef: use(R(i.B)); def(R(i.A)); break;
            case JitOpcode.IsConstant: Args(); def(I(i.A)); break;
            case JitOpcode.WeAreJitted: def(I(i.A)); break;
            case JitOpcode.RecordExactClass: use(R(i.B)); break;
            case JitOpcode.RecordKnownResult: Args(); break;
            default: throw new InvalidOperationException($"Liveness: unknown op {i.Op}.");
        }
    }
}
