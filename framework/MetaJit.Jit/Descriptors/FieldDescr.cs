using System.Reflection;

namespace MetaJit.Engine.Descriptors;

/// <summary>
/// A field, instance or static, with its kind and the JIT attributes that matter to the optimizer.
/// Reads and writes go through small compiled accessors, so the blackhole and the tracer touch fields at
/// delegate-call cost, with the same widening and narrowing that IL <c>ldfld</c>/<c>stfld</c> do.
/// </summary>
public sealed class FieldDescr : Descr
{
    private Func<object?, long>? _getInt;
    private Func<object?, double>? _getFloat;
    private Func<object?, object?>? _getRef;
    private Action<object?, long>? _setInt;
    private Action<object?, double>? _setFloat;
    private Action<object?, object?>? _setRef;
    private ArrayDescr? _items;

    internal FieldDescr(FieldInfo field)
    {
        Field = field;
        Kind = ValueKinds.Of(field.FieldType);
        IsImmutable = field.IsInitOnly || field.IsLiteral
            || field.IsDefined(typeof(ImmutableAttribute), false)
            || (field.DeclaringType?.IsDefined(typeof(ImmutableAttribute), false) ?? false);
        IsQuasiImmutable = field.IsDefined(typeof(QuasiImmutableAttribute), false);
        HasImmutableElements = field.IsDefined(typeof(ImmutableElementsAttribute), false);
        Name = $"{field.DeclaringType?.Name}.{field.Name}";
    }

    /// <summary>The field.</summary>
    public FieldInfo Field { get; }

    /// <summary>Register kind of the field's value.</summary>
    public ValueKind Kind { get; }

    /// <summary>True for static fields.</summary>
    public bool IsStatic => Field.IsStatic;

    /// <summary>Never written after construction (<c>readonly</c>, <c>const</c> or <c>[Immutable]</c>).</summary>
    public bool IsImmutable { get; }

    /// <summary>Marked <c>[QuasiImmutable]</c>.</summary>
    public bool IsQuasiImmutable { get; }

    /// <summary>An array field marked <c>[ImmutableElements]</c>.</summary>
    public bool HasImmutableElements { get; }

    /// <inheritdoc/>
    public override string Name { get; }

    /// <summary>For an array field, the descriptor of its arrays' items (cached: resume writes a virtualizable's
    /// array items through it at every guard failure).</summary>
    public ArrayDescr Items => _items ??= Descrs.Array(Field.FieldType.GetElementType()
        ?? throw new InvalidOperationException($"{Name} is not an array field."));

    /// <summary>Reads an integral field of <paramref name="obj"/> (ignored for statics) as a 64-bit value.</summary>
    public long GetInt(object? obj) => (_getInt ??= Accessors.Getter<long>(Field))(obj);
    /// <summary>Reads a float or double field.</summary>
    public double GetFloat(object? obj) => (_getFloat ??= Accessors.Getter<double>(Field))(obj);
    /// <summary>Reads a reference field.</summary>
    public object? GetRef(object? obj) => (_getRef ??= Accessors.Getter<object?>(Field))(obj);
    /// <summary>Writes an integral field, narrowing as <c>stfld</c> does.</summary>
    public void SetInt(object? obj, long value) => (_setInt ??= Accessors.Setter<long>(Field))(obj, value);
    /// <summary>Writes a float or double field.</summary>
    public void SetFloat(object? obj, double value) => (_setFloat ??= Accessors.Setter<double>(Field))(obj, value);
    /// <summary>Writes a reference field.</summary>
    public void SetRef(object? obj, object? value) => (_setRef ??= Accessors.Setter<object?>(Field))(obj, value);
}
