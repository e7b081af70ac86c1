using MetaJit.Engine.Descriptors;
using MetaJit.Engine.JitCodes;

namespace MetaJit.Engine.Execution;

/// <summary>
/// The argument arrays a run of the blackhole (or tracer) passes to residual calls through
/// <see cref="CallDescr.Invoke"/>. Reused call after call: an invoker reads every argument before the call
/// and writes the result after it, so a nested run that reuses nothing of ours is safe.
/// </summary>
internal sealed class CallScratch
{
    private long[] _ints = new long[8];
    private double[] _floats = new double[8];
    private object?[] _refs = new object?[8];

    /// <summary>Calls <paramref name="target"/> with the registers named by <paramref name="insn"/>'s args and
    /// stores the result into its destination register.</summary>
    public void Invoke(JitFrame frame, JitInsn insn, CallDescr target, bool virtualCall)
    {
        var args = insn.Args ?? Array.Empty<int>();
        if (args.Length >= _ints.Length)
        {
            _ints = new long[args.Length + 1];
            _floats = new double[args.Length + 1];
            _refs = new object?[args.Length + 1];
        }
        int ni = 0, nf = 0, nr = 0;
        foreach (var a in args)
        {
            var reg = Reg.Decode(a);
            switch (reg.Kind)
            {
                case ValueKind.Int: _ints[ni++] = frame.I[reg.Index]; break;
                case ValueKind.Float: _floats[nf++] = frame.F[reg.Index]; break;
                default: _refs[nr++] = frame.R[reg.Index]; break;
            }
        }
        try
        {
            if (virtualCall) target.InvokeVirtual(_ints, _floats, _refs);
            else target.Invoke(_ints, _floats, _refs);
            switch (target.ResultKind)
            {
                case ValueKind.Int: frame.I[insn.A] = _ints[0]; break;
                case ValueKind.Float: frame.F[insn.A] = _floats[0]; break;
                case ValueKind.Ref: frame.R[insn.A] = _refs[0]; break;
            }
        }
        finally
        {
            // The scratch outlives the run (the thread keeps a spare): keep neither arguments nor result alive.
            Array.Clear(_refs, 0, Math.Max(nr, 1));
        }
    }
}
