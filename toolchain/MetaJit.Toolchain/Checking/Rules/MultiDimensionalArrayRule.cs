namespace MetaJit.Toolchain.Checking.Rules;

/// <summary>MJ013: multi-dimensional arrays (<c>int[,]</c>) are accessed through runtime helper methods, not IL array ops.</summary>
internal sealed class MultiDimensionalArrayRule : IRcsRule
{
    public string Code => RuleCodes.MultiDimensionalArray;

    public void Check(MethodContext method)
    {
        foreach (var p in method.Method.Parameters)
            ReportIfFound(method, null, TypeFacts.FindMultiDimensionalArray(p.ParameterType));
        ReportIfFound(method, null, TypeFacts.FindMultiDimensionalArray(method.Method.ReturnType));
        foreach (var ins in method.Instructions)
        {
            foreach (var t in method.TypesMentionedBy(ins))
            {
                if (TypeFacts.FindMultiDimensionalArray(t) is { } found)
                {
                    ReportIfFound(method, ins, found);
                    break;
                }
            }
        }
    }

    private void ReportIfFound(MethodContext method, Mono.Cecil.Cil.Instruction? ins, Mono.Cecil.ArrayType? array)
    {
        if (array == null) return;
        method.Report(Code, ins, $"multi-dimensional array {TypeFacts.Display(array)}",
            "use a 1-D array with a computed index (row * width + column), or an array of arrays");
    }
}
