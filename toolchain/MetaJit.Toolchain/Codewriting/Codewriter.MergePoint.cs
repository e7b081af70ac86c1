using MetaJit.Engine.Descriptors;
using MetaJit.Engine.JitCodes;

namespace MetaJit.Toolchain.Codewriting;

internal sealed partial class Codewriter
{
    /// <summary>At a merge point only the greens and reds may be live: anything else would be lost when the
    /// JIT restarts the loop from the merge point's values. Records the portal's JitCode and merge-point pc.</summary>
    private void CheckMergePoints()
    {
        for (int pc = 0; pc < _code.Code.Length; pc++)
        {
            var insn = _code.Code[pc];
            if (insn.Op != JitOpcode.JitMergePoint) continue;
            var portal = (PortalDescr)insn.Descr!;
            portal.JitCode = _code;
            portal.MergePointPc = pc;
            var passed = insn.Args!.Select(Reg.Decode).ToHashSet();
            var live = _code.Liveness![pc];
            int ilOffset = _pcOf.Where(kv => kv.Value <= pc).Select(kv => kv.Key.Offset).DefaultIfEmpty(-1).Max();
            foreach (var reg in live.Ints.Select(Reg.I).Concat(live.Floats.Select(Reg.F)).Concat(live.Refs.Select(Reg.R)))
            {
                if (passed.Contains(reg) || !_names.TryGetValue((reg.Kind, reg.Index), out var name)) continue;
                // A local scoped inside the loop body is assigned before use in each iteration (C#'s definite
                // assignment); liveness only sees it "live" along paths the compiler proved impossible.
                if (_scopes.TryGetValue((reg.Kind, reg.Index), out var scope) && (ilOffset < scope.Start || ilOffset >= scope.End)) continue;
                int line = pc < _code.Lines.Length ? _code.Lines[pc] : 0;
                throw new Loading.CodewriterException(
                    $"local '{name}' is live at the merge point but is neither green nor red; pass it to the JitDriver (declare it as a red) or assign it before use inside the loop.",
                    _method, -1, _source.File, line);
            }
        }
    }
}
