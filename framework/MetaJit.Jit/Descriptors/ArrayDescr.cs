namespace MetaJit.Engine.Descriptors;

/// <summary>
/// A one-dimensional array type (<c>T[]</c>): its element type and kind. Items are read and written with the
/// same widening and narrowing as IL <c>ldelem</c>/<c>stelem</c>; stores into reference arrays keep .NET's
/// covariance check; bad indices raise <see cref="IndexOutOfRangeException"/> as natively.
/// </summary>
public sealed class ArrayDescr : Descr
{
    internal ArrayDescr(Type elementType)
    {
        ElementType = elementType;
        ArrayType = elementType.MakeArrayType();
        Kind = ValueKinds.Of(elementType);
        Name = elementType.Name + "[]";
    }

    /// <summary>The element type.</summary>
    public Type ElementType { get; }

    /// <summary>The array type, <c>ElementType[]</c>.</summary>
    public Type ArrayType { get; }

    /// <summary>Register kind of an item.</summary>
    public ValueKind Kind { get; }

    /// <inheritdoc/>
    public override string Name { get; }

    /// <summary>A new zeroed array; a negative length raises <see cref="OverflowException"/> as <c>newarr</c> does.</summary>
    public Array New(long length)
    {
        if (length < 0 || length > int.MaxValue) throw new OverflowException("Arithmetic operation resulted in an overflow.");
        return Array.CreateInstance(ElementType, (int)length);
    }

    /// <summary>Reads an integral item.</summary>
    public long GetInt(object? array, long index)
    {
        int i = CheckIndex(array, index);
        var et = ElementType.IsEnum ? Enum.GetUnderlyingType(ElementType) : ElementType;
        return Type.GetTypeCode(et) switch
        {
            TypeCode.Boolean => ((bool[])array!)[i] ? 1 : 0,
            TypeCode.Byte => ((byte[])array!)[i],
            TypeCode.SByte => ((sbyte[])(Array)array!)[i],
            TypeCode.Char => ((char[])array!)[i],
            TypeCode.Int16 => ((short[])(Array)array!)[i],
            TypeCode.UInt16 => ((ushort[])(Array)array!)[i],
            TypeCode.Int32 => ((int[])(Array)array!)[i],
            TypeCode.UInt32 => (int)((uint[])(Array)array!)[i], // int32 bits, kept sign-extended
            TypeCode.Int64 => ((long[])(Array)array!)[i],
            TypeCode.UInt64 => (long)((ulong[])(Array)array!)[i],
            _ => throw new NotSupportedException($"Array of {ElementType} is not an integral array."),
        };
    }

    /// <summary>Reads a float or double item.</summary>
    public double GetFloat(object? array, long index)
    {
        int i = CheckIndex(array, index);
        return array is float[] f ? f[i] : ((double[])array!)[i];
    }

    /// <summary>Reads a reference item.</summary>
    public object? GetRef(object? array, long index)
    {
        int i = CheckIndex(array, index);
        return ((object?[])array!)[i];
    }

    /// <summary>Writes an integral item, narrowing as <c>stelem</c> does.</summary>
    public void SetInt(object? array, long index, long value)
    {
        int i = CheckIndex(array, index);
        var et = ElementType.IsEnum ? Enum.GetUnderlyingType(ElementType) : ElementType;
        switch (Type.GetTypeCode(et))
        {
            case TypeCode.Boolean: ((bool[])array!)[i] = value != 0; break;
            case TypeCode.Byte: ((byte[])array!)[i] = (byte)value; break;
            case TypeCode.SByte: ((sbyte[])(Array)array!)[i] = (sbyte)value; break;
            case TypeCode.Char: ((char[])array!)[i] = (char)value; break;
            case TypeCode.Int16: ((short[])(Array)array!)[i] = (short)value; break;
            case TypeCode.UInt16: ((ushort[])(Array)array!)[i] = (ushort)value; break;
            case TypeCode.Int32: ((int[])(Array)array!)[i] = (int)value; break;
            case TypeCode.UInt32: ((uint[])(Array)array!)[i] = (uint)value; break;
            case TypeCode.Int64: ((long[])(Array)array!)[i] = value; break;
            case TypeCode.UInt64: ((ulong[])(Array)array!)[i] = (ulong)value; break;
            default: throw new NotSupportedException($"Array of {ElementType} is not an integral array.");
        }
    }

    /// <summary>Writes a float or double item.</summary>
    public void SetFloat(object? array, long index, double value)
    {
        int i = CheckIndex(array, index);
        if (array is float[] f) f[i] = (float)value;
        else ((double[])array!)[i] = value;
    }

    /// <summary>Writes a reference item (with the covariance check).</summary>
    public void SetRef(object? array, long index, object? value)
    {
        int i = CheckIndex(array, index);
        ((object?[])array!)[i] = value;
    }

    private static int CheckIndex(object? array, long index)
    {
        if (array == null) throw new NullReferenceException();
        if ((ulong)index >= (ulong)((Array)array).Length) throw new IndexOutOfRangeException("Index was outside the bounds of the array.");
        return (int)index;
    }
}
