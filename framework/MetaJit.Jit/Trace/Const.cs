using System.Runtime.CompilerServices;
using MetaJit.Engine.Descriptors;

namespace MetaJit.Engine.Trace;

/// <summary>A constant value of a trace. Constants are compared by content (pointers by identity).</summary>
public abstract class Const : Value
{
    /// <inheritdoc/>
    public override bool IsConstant => true;

    /// <summary>The constant as a boxed long, double or object (null for NULL).</summary>
    public abstract object? Boxed { get; }

    /// <summary>The constant of <paramref name="kind"/> holding <paramref name="boxed"/> (a long, double or object).</summary>
    /// <example><code>Const.Of(ValueKind.Int, 42L)</code></example>
    public static Const Of(ValueKind kind, object? boxed) => kind switch
    {
        ValueKind.Int => new ConstInt((long)boxed!),
        ValueKind.Float => new ConstFloat((double)boxed!),
        ValueKind.Ref => new ConstPtr(boxed),
        _ => throw new ArgumentException("Void has no constants.", nameof(kind)),
    };
}

/// <summary>A 64-bit integer constant.</summary>
/// <example><code>new ConstInt(1)</code></example>
public sealed class ConstInt(long value) : Const
{
    /// <summary>The value.</summary>
    public long IntValue { get; } = value;

    /// <inheritdoc/>
    public override ValueKind Kind => ValueKind.Int;

    /// <inheritdoc/>
    public override object? Boxed => IntValue;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is ConstInt c && c.IntValue == IntValue;

    /// <inheritdoc/>
    public override int GetHashCode() => IntValue.GetHashCode();

    /// <inheritdoc/>
    public override string ToString() => IntValue.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>A double constant; equal when bit-identical (so NaN equals NaN and 0.0 differs from -0.0).</summary>
/// <example><code>new ConstFloat(1.5)</code></example>
public sealed class ConstFloat(double value) : Const
{
    /// <summary>The value.</summary>
    public double FloatValue { get; } = value;

    /// <inheritdoc/>
    public override ValueKind Kind => ValueKind.Float;

    /// <inheritdoc/>
    public override object? Boxed => FloatValue;

    /// <inheritdoc/>
    public override bool Equals(object? obj) =>
        obj is ConstFloat c && BitConverter.DoubleToInt64Bits(c.FloatValue) == BitConverter.DoubleToInt64Bits(FloatValue);

    /// <inheritdoc/>
    public override int GetHashCode() => FloatValue.GetHashCode();

    /// <inheritdoc/>
    public override string ToString() => TracePrinter.FormatFloat(FloatValue);
}

/// <summary>
/// A reference constant (an object, a string, a <see cref="System.Type"/> for class guards, or null). Equal when
/// the objects are the same object; strings also by content, since the text form cannot tell copies apart.
/// </summary>
/// <example><code>new ConstPtr(typeof(Node)); new ConstPtr(null)</code></example>
public sealed class ConstPtr(object? value) : Const
{
    /// <summary>The NULL constant.</summary>
    public static readonly ConstPtr Null = new(null);

    /// <summary>The object (null for NULL).</summary>
    public object? Object { get; } = value;

    /// <inheritdoc/>
    public override ValueKind Kind => ValueKind.Ref;

    /// <inheritdoc/>
    public override object? Boxed => Object;

    /// <inheritdoc/>
    public override bool Equals(object? obj) =>
        obj is ConstPtr c && (ReferenceEquals(c.Object, Object) || (c.Object is string s && s.Equals(Object as string, StringComparison.Ordinal)));

    /// <inheritdoc/>
    public override int GetHashCode() => Object is string s ? s.GetHashCode() : Object == null ? 0 : RuntimeHelpers.GetHashCode(Object);

    /// <inheritdoc/>
    public override string ToString() => Object == null ? "NULL" : $"ConstPtr({Object})";
}
