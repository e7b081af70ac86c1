using MetaJit.Engine.Descriptors;

namespace MetaJit.Engine.JitCodes;

/// <summary>A register reference packed in an int: index * 4 + kind (used in <see cref="JitInsn.Args"/>).</summary>
public readonly record struct Reg(ValueKind Kind, int Index)
{
    /// <summary>Packs the register.</summary>
    public int Encode() => (Index << 2) | (int)Kind;

    /// <summary>Unpacks a register.</summary>
    public static Reg Decode(int encoded) => new((ValueKind)(encoded & 3), encoded >> 2);

    /// <summary>An int register.</summary>
    public static Reg I(int index) => new(ValueKind.Int, index);
    /// <summary>A float register.</summary>
    public static Reg F(int index) => new(ValueKind.Float, index);
    /// <summary>A ref register.</summary>
    public static Reg R(int index) => new(ValueKind.Ref, index);

    /// <inheritdoc/>
    public override string ToString() => $"%{Kind.Letter()}{Index}";
}
