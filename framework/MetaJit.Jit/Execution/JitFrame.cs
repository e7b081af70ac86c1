using MetaJit.Engine.Descriptors;
using MetaJit.Engine.JitCodes;

namespace MetaJit.Engine.Execution;

/// <summary>
/// One activation of a JitCode: its pc and three register banks, linked to its caller. The blackhole
/// interpreter and the tracer use the same frames, so a trace that aborts hands its real state to the
/// blackhole as it is, and resume rebuilds frames of this shape from a guard's resume data.
/// For a caller, <see cref="Pc"/> is the pc of the call instruction in progress; the callee's result goes to
/// that instruction's destination register.
/// </summary>
public sealed class JitFrame
{
    /// <summary>A frame for <paramref name="code"/> at pc 0 with zeroed registers.</summary>
    public JitFrame(JitCode code, JitFrame? parent = null)
    {
        Code = code;
        Parent = parent;
        I = code.NumInts == 0 ? Array.Empty<long>() : new long[code.NumInts];
        F = code.NumFloats == 0 ? Array.Empty<double>() : new double[code.NumFloats];
        R = code.NumRefs == 0 ? Array.Empty<object?>() : new object?[code.NumRefs];
    }

    /// <summary>The code running in this frame.</summary>
    public readonly JitCode Code;
    /// <summary>The caller's frame, or null for the bottom frame.</summary>
    public readonly JitFrame? Parent;
    /// <summary>The current instruction.</summary>
    public int Pc;
    /// <summary>Int registers.</summary>
    public readonly long[] I;
    /// <summary>Float registers.</summary>
    public readonly double[] F;
    /// <summary>Ref registers.</summary>
    public readonly object?[] R;

    /// <summary>Depth of this frame (0 for the bottom frame).</summary>
    public int Depth => Parent == null ? 0 : Parent.Depth + 1;

    /// <summary>A copy of this frame (code, pc, registers) without its callers: run on its own, it ends where
    /// this activation returns instead of going on in the caller.</summary>
    public JitFrame Detached()
    {
        var copy = new JitFrame(Code) { Pc = Pc };
        Array.Copy(I, copy.I, I.Length);
        Array.Copy(F, copy.F, F.Length);
        Array.Copy(R, copy.R, R.Length);
        return copy;
    }

    /// <summary>Sets parameter <paramref name="index"/> from a boxed .NET value (test harness and engine edges).</summary>
    public void SetParam(int index, object? value)
    {
        var reg = Reg.Decode(Code.ParamRegs[index]);
        Set(reg, value);
    }

    /// <summary>Sets register <paramref name="reg"/> from a boxed .NET value.</summary>
    public void Set(Reg reg, object? value)
    {
        switch (reg.Kind)
        {
            case ValueKind.Int: I[reg.Index] = BoxOps.ToRegister(value!); break;
            case ValueKind.Float: F[reg.Index] = value is float f ? f : (double)value!; break;
            default: R[reg.Index] = value; break;
        }
    }

    /// <summary>The value of register <paramref name="reg"/> as a boxed value of <paramref name="type"/>.</summary>
    public object? Get(Reg reg, Type type) => reg.Kind switch
    {
        ValueKind.Int => BoxOps.Box(I[reg.Index], type),
        ValueKind.Float => BoxOps.BoxFloat(F[reg.Index], type),
        _ => R[reg.Index],
    };

    /// <inheritdoc/>
    public override string ToString() => $"{Code.Name} @ {Pc} ({Code.Location(Pc)})";
}
