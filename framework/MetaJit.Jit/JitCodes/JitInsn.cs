using MetaJit.Engine.Descriptors;

namespace MetaJit.Engine.JitCodes;

/// <summary>
/// One JitCode instruction. A single shape for every opcode keeps the executor a flat switch and makes
/// dumping and persisting uniform; <see cref="JitOpcode"/> documents which operands each opcode uses.
/// </summary>
public sealed class JitInsn
{
    /// <summary>The operation.</summary>
    public JitOpcode Op;
    /// <summary>Destination register (bank given by the op).</summary>
    public int A;
    /// <summary>First source register.</summary>
    public int B;
    /// <summary>Second source register.</summary>
    public int C;
    /// <summary>Third source register.</summary>
    public int D;
    /// <summary>Integer width (32 or 64) of integer ops.</summary>
    public byte W = 64;
    /// <summary>Integer immediate.</summary>
    public long Imm;
    /// <summary>Float immediate.</summary>
    public double FImm;
    /// <summary>Reference constant (RefConst) or other constant operand.</summary>
    public object? Const;
    /// <summary>Descriptor operand.</summary>
    public Descr? Descr;
    /// <summary>Jump target (pc), or the fall-through of a switch.</summary>
    public int Target = -1;
    /// <summary>Switch or finally continuation targets.</summary>
    public int[]? Targets;
    /// <summary>Argument registers, each <see cref="Reg.Encode"/>d.</summary>
    public int[]? Args;

    /// <summary>The listing name of the op, e.g. <c>int_add</c>.</summary>
    public string OpName => JitOpNames.Of(Op);

    /// <inheritdoc/>
    public override string ToString() => JitCodeFormatter.Format(this);
}
