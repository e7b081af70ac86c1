namespace MetaJit.Lox.Runtime;

/// <summary>
/// A Lox number: an immutable box around a double. A sealed class rather than a boxed <c>double</c> because
/// the JIT then sees an ordinary allocation (<c>new_with_vtable</c> + one immutable field) that allocation
/// removal deletes inside a trace, a type test is one <c>guard_class</c> on a sealed class, and the toolchain
/// needs no box/unbox support.
/// </summary>
[Immutable]
public sealed class LoxNumber
{
    /// <summary>Boxes <paramref name="value"/>.</summary>
    public LoxNumber(double value) => Value = value;

    /// <summary>The number.</summary>
    public readonly double Value;

    /// <inheritdoc/>
    public override string ToString() => NumberFormat.Format(Value);
}
