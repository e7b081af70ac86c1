using Mono.Cecil;
using Mono.Cecil.Cil;

namespace MetaJit.Toolchain.Checking;

/// <summary>
/// One method being checked: its instructions, where each one is in the source, and the place rules report to.
/// </summary>
internal sealed class MethodContext
{
    private const int HiddenLine = 0xFEEFEE;
    private readonly List<RcsError> _errors;
    private readonly List<SequencePoint> _points;
    private readonly string _fallbackFile;

    public MethodContext(MethodDefinition method, List<RcsError> errors)
    {
        Method = method;
        _errors = errors;
        _fallbackFile = method.Module.FileName ?? method.Module.Name;
        _points = method.DebugInformation.HasSequencePoints
            ? method.DebugInformation.SequencePoints.Where(p => p.StartLine != HiddenLine).OrderBy(p => p.Offset).ToList()
            : new List<SequencePoint>();
        Flow = new StackFlow(method.Body);
    }

    public MethodDefinition Method { get; }

    public MethodBody Body => Method.Body;

    public IList<Instruction> Instructions => Method.Body.Instructions;

    /// <summary>Which instruction produced which call argument.</summary>
    public StackFlow Flow { get; }

    /// <summary>The method as users read it in messages: <c>Type.Method</c>.</summary>
    public string Name => TypeFacts.Display(Method);

    /// <summary>Reports an error at <paramref name="at"/>, or at the method's first line when null.</summary>
    public void Report(string code, Instruction? at, string what, string fix)
    {
        var (file, line) = Locate(at);
        _errors.Add(new RcsError(file, line, code, $"{what} in looked-inside method {Name}: {fix}", Method.FullName));
    }

    /// <summary>Reports an error at a known source position, or at the method's first line when null.</summary>
    public void ReportAt(string code, (string File, int Line)? at, string what, string fix)
    {
        var (file, line) = at ?? Locate(null);
        _errors.Add(new RcsError(file, line, code, $"{what} in looked-inside method {Name}: {fix}", Method.FullName));
    }

    /// <summary>The source position of an instruction: the last visible sequence point at or before it.</summary>
    public (string File, int Line) Locate(Instruction? at)
    {
        if (_points.Count == 0) return FallbackLocation();
        SequencePoint best = _points[0];
        if (at != null)
        {
            foreach (var p in _points)
            {
                if (p.Offset > at.Offset) break;
                best = p;
            }
        }
        return (best.Document.Url, best.StartLine);
    }

    /// <summary>
    /// The first visible sequence point at or after an instruction: for code that starts under a hidden
    /// point, such as an exception filter, whose own line (<c>catch ... when</c>) comes next.
    /// </summary>
    public (string File, int Line)? LocateForward(Instruction at)
    {
        foreach (var p in _points)
            if (p.Offset >= at.Offset) return (p.Document.Url, p.StartLine);
        return null;
    }

    private (string, int) FallbackLocation()
    {
        // No PDB, or a method without lines (auto-property accessors): name the method instead of a line.
        return ($"{_fallbackFile}({Method.DeclaringType.FullName}::{Method.Name})", 0);
    }

    /// <summary>The local variable an ldloc/stloc/ldloca instruction names, short forms included.</summary>
    public VariableDefinition? LocalOf(Instruction ins)
    {
        var vars = Body.Variables;
        return ins.OpCode.Code switch
        {
            Code.Ldloc_0 or Code.Stloc_0 => vars[0],
            Code.Ldloc_1 or Code.Stloc_1 => vars[1],
            Code.Ldloc_2 or Code.Stloc_2 => vars[2],
            Code.Ldloc_3 or Code.Stloc_3 => vars[3],
            _ => ins.Operand as VariableDefinition,
        };
    }

    /// <summary>The parameter an ldarg/starg/ldarga instruction names; null for <c>this</c>.</summary>
    public ParameterDefinition? ParameterOf(Instruction ins)
    {
        int index = ins.OpCode.Code switch
        {
            Code.Ldarg_0 => 0,
            Code.Ldarg_1 => 1,
            Code.Ldarg_2 => 2,
            Code.Ldarg_3 => 3,
            _ => -1,
        };
        if (index < 0) return ins.Operand as ParameterDefinition;
        if (Method.HasThis) index--;
        return index < 0 ? null : Method.Parameters[index];
    }

    /// <summary>The source name of a local, or <c>V_n</c>.</summary>
    public string LocalName(VariableDefinition v) =>
        Method.DebugInformation.TryGetName(v, out string name) ? name : "V_" + v.Index;

    /// <summary>
    /// Every type an instruction mentions: a member's declaring type and signature, a type operand, the type
    /// of a local or parameter it names.
    /// </summary>
    public IEnumerable<TypeReference> TypesMentionedBy(Instruction ins)
    {
        switch (ins.Operand)
        {
            case MethodReference m:
                yield return m.DeclaringType;
                yield return Generics.Substitute(m.ReturnType, m);
                foreach (var p in m.Parameters) yield return Generics.Substitute(p.ParameterType, m);
                if (m is GenericInstanceMethod gm)
                    foreach (var a in gm.GenericArguments) yield return a;
                break;
            case FieldReference f:
                yield return f.DeclaringType;
                yield return Generics.Substitute(f.FieldType, f.DeclaringType as GenericInstanceType, null);
                break;
            case TypeReference t:
                yield return t;
                break;
            case CallSite site:
                yield return site.ReturnType;
                foreach (var p in site.Parameters) yield return p.ParameterType;
                break;
        }
        if (LocalOf(ins) is { } local) yield return local.VariableType;
        if (IsArgumentAccess(ins) && ParameterOf(ins) is { } param) yield return param.ParameterType;
    }

    private static bool IsArgumentAccess(Instruction ins) => ins.OpCode.Code is
        Code.Ldarg or Code.Ldarg_S or Code.Ldarg_0 or Code.Ldarg_1 or Code.Ldarg_2 or Code.Ldarg_3
        or Code.Ldarga or Code.Ldarga_S or Code.Starg or Code.Starg_S;

    /// <summary>The member an instruction calls, loads or stores, if any.</summary>
    public static MemberReference? MemberOf(Instruction ins) => ins.Operand as MemberReference;

    /// <summary>The declaring type of the member an instruction uses (a method or field), if any.</summary>
    public static TypeReference? DeclaringTypeOf(Instruction ins) => ins.Operand switch
    {
        MethodReference m => m.DeclaringType,
        FieldReference f => f.DeclaringType,
        _ => null,
    };
}
