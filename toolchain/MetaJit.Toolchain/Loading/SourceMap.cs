using Mono.Cecil;
using Mono.Cecil.Cil;

namespace MetaJit.Toolchain.Loading;

/// <summary>
/// file:line for every IL instruction of one method, from the portable PDB's sequence points: an instruction
/// takes the line of the last visible sequence point at or before it. Also the PDB names of locals.
/// </summary>
public sealed class SourceMap
{
    private readonly Dictionary<int, int> _lineAtOffset = new();
    private readonly MethodDefinition _method;

    /// <summary>Builds the map of <paramref name="method"/> (empty when it has no debug information).</summary>
    public SourceMap(MethodDefinition method)
    {
        _method = method;
        if (!method.HasBody || !method.DebugInformation.HasSequencePoints) return;
        var points = method.DebugInformation.SequencePoints;
        File = points.FirstOrDefault(p => !p.IsHidden)?.Document.Url;
        int k = 0, line = 0;
        foreach (var insn in method.Body.Instructions)
        {
            while (k < points.Count && points[k].Offset <= insn.Offset)
            {
                if (!points[k].IsHidden) line = points[k].StartLine;
                k++;
            }
            _lineAtOffset[insn.Offset] = line;
        }
    }

    /// <summary>The method's source file, or null without a PDB.</summary>
    public string? File { get; }

    /// <summary>The source line of the instruction at <paramref name="ilOffset"/>, or 0.</summary>
    public int Line(int ilOffset) => _lineAtOffset.GetValueOrDefault(ilOffset);

    /// <summary>The source name of local <paramref name="variable"/>, or <c>V_n</c>.</summary>
    public string LocalName(VariableDefinition variable) =>
        _method.DebugInformation.TryGetName(variable, out var name) ? name : "V_" + variable.Index;

    /// <summary>The IL range [Start, End) of the PDB scope declaring <paramref name="variable"/>, or null when
    /// unknown. C# guarantees a local is assigned before it is read within its scope.</summary>
    public (int Start, int End)? Scope(VariableDefinition variable)
    {
        var root = _method.DebugInformation.Scope;
        return root == null ? null : Find(root);

        (int, int)? Find(ScopeDebugInformation scope)
        {
            if (scope.HasScopes)
                foreach (var inner in scope.Scopes)
                    if (Find(inner) is { } found) return found;
            if (scope.HasVariables && scope.Variables.Any(v => v.Index == variable.Index))
                return (scope.Start.Offset, scope.End.IsEndOfMethod ? int.MaxValue : scope.End.Offset);
            return null;
        }
    }
}
