using System.Globalization;
using System.Text;
using MetaJit.Engine.Descriptors;

namespace MetaJit.Engine.JitCodes;

/// <summary>The readable listing of JitCodes, used by <c>metajit dump</c>, logs and test failure messages.</summary>
public static class JitCodeFormatter
{
    /// <summary>One instruction, e.g. <c>int_add/32 %i2 &lt;- %i0, %i1</c>.</summary>
    public static string Format(JitInsn insn)
    {
        var b = new StringBuilder(insn.OpName);
        if (insn.W == 32 && IsIntWidthOp(insn.Op)) b.Append("/32");
        var (dst, srcs) = Operands(insn);
        b.Append(' ');
        if (dst != null) b.Append(dst).Append(" <- ");
        b.Append(string.Join(", ", srcs));
        return b.ToString().TrimEnd();
    }

    /// <summary>The whole JitCode with pcs, source lines and handlers.</summary>
    public static string Format(JitCode code)
    {
        var b = new StringBuilder();
        b.Append("jitcode ").Append(code.Name)
         .Append(" (").Append(string.Join(", ", code.ParamRegs.Select(r => Reg.Decode(r).ToString()))).Append(')');
        if (code.ResultKind != ValueKind.Void) b.Append(" -> ").Append(code.ResultKind.Letter());
        b.Append($"  [i:{code.NumInts} f:{code.NumFloats} r:{code.NumRefs}]");
        if (code.SourceFile != null) b.Append("  ").Append(code.SourceFile);
        b.AppendLine();
        int lastLine = -1;
        for (int pc = 0; pc < code.Code.Length; pc++)
        {
            int line = pc < code.Lines.Length ? code.Lines[pc] : 0;
            string lineText = line > 0 && line != lastLine ? $"L{line}" : "";
            lastLine = line;
            b.Append($"{lineText,7} {pc,5}  ").AppendLine(Format(code.Code[pc]));
        }
        foreach (var h in code.Handlers)
            b.AppendLine($"  handler [{h.Start}, {h.End}) -> {h.HandlerPc} catch {(h.CatchType?.Name ?? "*")} into %r{h.ExceptionReg}");
        return b.ToString();
    }

    private static bool IsIntWidthOp(JitOpcode op) => op is >= JitOpcode.IntAdd and <= JitOpcode.UintMulOvf
        or >= JitOpcode.IntLt and <= JitOpcode.UintGe or JitOpcode.CastUintToFloat;

    private static (string? Dst, List<string> Srcs) Operands(JitInsn i)
    {
        var s = new List<string>();
        string I(int r) => "%i" + r;
        string F(int r) => "%f" + r;
        string R(int r) => "%r" + r;
        string T(int pc) => "->" + pc;
        string Args() => "(" + string.Join(", ", (i.Args ?? Array.Empty<int>()).Select(a => Reg.Decode(a).ToString())) + ")";
        switch (i.Op)
        {
            case JitOpcode.IntConst: return (I(i.A), new() { i.Imm.ToString(CultureInfo.InvariantCulture) });
            case JitOpcode.FloatConst: return (F(i.A), new() { i.FImm.ToString("R", CultureInfo.InvariantCulture) });
            case JitOpcode.RefConst: return (R(i.A), new() { i.Const switch { null => "null", string str => "\"" + str.Replace("\"", "\\\"") + "\"", Type t => "typeof(" + t.Name + ")", var o => o.ToString() ?? "?" } });
            case JitOpcode.IntCopy: return (I(i.A), new() { I(i.B) });
            case JitOpcode.FloatCopy: return (F(i.A), new() { F(i.B) });
            case JitOpcode.RefCopy: return (R(i.A), new() { R(i.B) });
            case >= JitOpcode.IntAdd and <= JitOpcode.UintRshift:
            case >= JitOpcode.IntAddOvf and <= JitOpcode.UintMulOvf:
            case >= JitOpcode.IntLt and <= JitOpcode.UintGe:
                return (I(i.A), new() { I(i.B), I(i.C) });
            case JitOpcode.IntNeg or JitOpcode.IntInvert: return (I(i.A), new() { I(i.B) });
            case JitOpcode.IntSignExt or JitOpcode.IntZeroExt: return (I(i.A), new() { I(i.B), i.Imm.ToString() });
            case JitOpcode.IntConvOvf: return (I(i.A), new() { I(i.B), i.Const?.ToString() ?? "?", i.Imm == 1 ? "unsigned" : "signed" });
            case >= JitOpcode.FloatAdd and <= JitOpcode.FloatMod: return (F(i.A), new() { F(i.B), F(i.C) });
            case JitOpcode.FloatNeg or JitOpcode.FloatRound32: return (F(i.A), new() { F(i.B) });
            case >= JitOpcode.FloatLt and <= JitOpcode.FloatGe: return (I(i.A), new() { F(i.B), F(i.C) });
            case JitOpcode.CastIntToFloat or JitOpcode.CastUintToFloat: return (F(i.A), new() { I(i.B) });
            case JitOpcode.CastFloatToInt or JitOpcode.CastFloatToIntOvf: return (I(i.A), new() { F(i.B), ((TypeCode)i.Imm).ToString() });
            case JitOpcode.PtrEq or JitOpcode.PtrNe: return (I(i.A), new() { R(i.B), R(i.C) });
            case JitOpcode.RefIsNull or JitOpcode.RefNonNull: return (I(i.A), new() { R(i.B) });
            case JitOpcode.IsInst or JitOpcode.CastClass: return (R(i.A), new() { R(i.B), D(i) });
            case JitOpcode.BoxInt: return (R(i.A), new() { I(i.B), D(i) });
            case JitOpcode.BoxFloat: return (R(i.A), new() { F(i.B), D(i) });
            case JitOpcode.UnboxInt: return (I(i.A), new() { R(i.B), D(i) });
            case JitOpcode.UnboxFloat: return (F(i.A), new() { R(i.B), D(i) });
            case JitOpcode.Goto: return (null, new() { T(i.Target) });
            case JitOpcode.GotoIfTrue or JitOpcode.GotoIfFalse: return (null, new() { I(i.B), T(i.Target) });
            case JitOpcode.GotoIfNull or JitOpcode.GotoIfNonNull: return (null, new() { R(i.B), T(i.Target) });
            case JitOpcode.Switch: return (null, new() { I(i.B), "[" + string.Join(", ", i.Targets!.Select(T)) + "]", "default " + T(i.Target) });
            case JitOpcode.New: return (R(i.A), new() { D(i) });
            case JitOpcode.GetFieldInt: return (I(i.A), new() { R(i.B), D(i) });
            case JitOpcode.GetFieldFloat: return (F(i.A), new() { R(i.B), D(i) });
            case JitOpcode.GetFieldRef: return (R(i.A), new() { R(i.B), D(i) });
            case JitOpcode.SetFieldInt: return (null, new() { R(i.B), D(i), I(i.C) });
            case JitOpcode.SetFieldFloat: return (null, new() { R(i.B), D(i), F(i.C) });
            case JitOpcode.SetFieldRef: return (null, new() { R(i.B), D(i), R(i.C) });
            case JitOpcode.GetStaticInt: return (I(i.A), new() { D(i) });
            case JitOpcode.GetStaticFloat: return (F(i.A), new() { D(i) });
            case JitOpcode.GetStaticRef: return (R(i.A), new() { D(i) });
            case JitOpcode.SetStaticInt: return (null, new() { D(i), I(i.C) });
            case JitOpcode.SetStaticFloat: return (null, new() { D(i), F(i.C) });
            case JitOpcode.SetStaticRef: return (null, new() { D(i), R(i.C) });
            case JitOpcode.NewArray: return (R(i.A), new() { D(i), I(i.B) });
            case JitOpcode.ArrayLen: return (I(i.A), new() { R(i.B) });
            case JitOpcode.GetArrayItemInt: return (I(i.A), new() { R(i.B), I(i.C), D(i) });
            case JitOpcode.GetArrayItemFloat: return (F(i.A), new() { R(i.B), I(i.C), D(i) });
            case JitOpcode.GetArrayItemRef: return (R(i.A), new() { R(i.B), I(i.C), D(i) });
            case JitOpcode.SetArrayItemInt: return (null, new() { R(i.B), I(i.C), I(i.D), D(i) });
            case JitOpcode.SetArrayItemFloat: return (null, new() { R(i.B), I(i.C), F(i.D), D(i) });
            case JitOpcode.SetArrayItemRef: return (null, new() { R(i.B), I(i.C), R(i.D), D(i) });
            case JitOpcode.ResidualCall or JitOpcode.ResidualCallVirtual or JitOpcode.InlineCall or JitOpcode.DispatchCall:
            {
                var cd = (CallDescr)i.Descr!;
                string? dst = cd.ResultKind == ValueKind.Void ? null : "%" + cd.ResultKind.Letter() + i.A;
                return (dst, new() { cd.Name + Args() });
            }
            case JitOpcode.IntReturn: return (null, new() { I(i.B) });
            case JitOpcode.FloatReturn: return (null, new() { F(i.B) });
            case JitOpcode.RefReturn: return (null, new() { R(i.B) });
            case JitOpcode.Throw: return (null, new() { R(i.B) });
            case JitOpcode.FinallyEnd: return (null, new() { R(i.B), I(i.C), "[" + string.Join(", ", (i.Targets ?? Array.Empty<int>()).Select(T)) + "]" });
            case JitOpcode.JitMergePoint: return (null, new() { D(i) + Args() });
            case JitOpcode.CanEnterJit: return (I(i.A), new() { D(i) + Args(), "result %" + (((PortalDescr)i.Descr!).ResultKind).Letter() + i.B });
            case JitOpcode.PromoteInt: return (I(i.A), new() { I(i.B) });
            case JitOpcode.PromoteFloat: return (F(i.A), new() { F(i.B) });
            case JitOpcode.PromoteRef: return (R(i.A), new() { R(i.B) });
            case JitOpcode.IsConstant: return (I(i.A), new() { Args() });
            case JitOpcode.WeAreJitted: return (I(i.A), s);
            case JitOpcode.RecordExactClass: return (null, new() { R(i.B), D(i) });
            case JitOpcode.RecordKnownResult: return (null, new() { D(i) + Args() });
            default: return (null, s);
        }
    }

    private static string D(JitInsn i) => "<" + (i.Descr?.Name ?? "?") + ">";
}
