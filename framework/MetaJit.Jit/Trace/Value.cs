using MetaJit.Engine.Descriptors;

namespace MetaJit.Engine.Trace;

/// <summary>
/// A value of a trace, as RPython's boxes: an input argument, a constant, or the result of a
/// <see cref="ResOperation"/> (the operation object is its own result). Values compare by reference except
/// constants, which compare by content.
/// </summary>
/// <example><code>Value x = new InputArg(ValueKind.Int); var y = new ResOperation(OpNum.IntAdd, x, new ConstInt(1));</code></example>
public abstract class Value
{
    /// <summary>The kind of the value: Int (long), Float (double), Ref (object) or Void (no value).</summary>
    public abstract ValueKind Kind { get; }

    /// <summary>True for <see cref="Const"/> values.</summary>
    public virtual bool IsConstant => false;
}

/// <summary>An input argument of a trace (a loop's or a bridge's entry value).</summary>
/// <example><code>var i0 = new InputArg(ValueKind.Int);</code></example>
public sealed class InputArg : Value
{
    /// <summary>A new input of <paramref name="kind"/> (Int, Float or Ref).</summary>
    public InputArg(ValueKind kind)
    {
        if (kind == ValueKind.Void) throw new ArgumentException("An input argument cannot be void.", nameof(kind));
        Kind = kind;
    }

    /// <inheritdoc/>
    public override ValueKind Kind { get; }

    /// <inheritdoc/>
    public override string ToString() => $"InputArg({Kind})";
}
