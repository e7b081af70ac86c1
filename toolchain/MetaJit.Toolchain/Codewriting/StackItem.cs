using System.Reflection;
using MetaJit.Engine.Descriptors;

namespace MetaJit.Toolchain.Codewriting;

/// <summary>The IL evaluation-stack type of a value, which decides integer widths and float rounding.</summary>
internal enum StackType : byte { I32, I64, F32, F64, Ref }

/// <summary>What a stack slot holds during translation.</summary>
internal enum ItemForm : byte
{
    /// <summary>A value in register <see cref="StackItem.Reg"/>.</summary>
    Value,
    /// <summary>The address of a local or argument (<c>ldloca</c>/<c>ldarga</c>): its register.</summary>
    LocalAddr,
    /// <summary>The address of an array item (<c>ldelema</c>): array and index in private registers.</summary>
    ElemAddr,
    /// <summary>The address of a field (<c>ldflda</c>): the object in a private register.</summary>
    FieldAddr,
    /// <summary>A JitDriver read from its static field (only a hint call may consume it).</summary>
    Driver,
    /// <summary>A <c>ldtoken</c> of a type (only <c>Type.GetTypeFromHandle</c> may consume it).</summary>
    TypeToken,
}

/// <summary>
/// One slot of the IL stack as the codewriter tracks it. Values live either in the canonical temp register of
/// their depth or, right after <c>ldloc</c>/<c>ldarg</c>, in the variable's own register (no copy is made until
/// the variable is written or the value crosses a jump).
/// </summary>
internal sealed class StackItem
{
    public ItemForm Form;
    public ValueKind Kind;
    public StackType Type;
    public int Reg;
    public int Reg2;
    public Type? ClrType;
    /// <summary>The value is a variable's register (ldloc/ldarg), not a temp.</summary>
    public bool IsVariable;
    /// <summary>The value is the constant null (for <c>ldnull; cgt.un</c> null tests).</summary>
    public bool IsNull;
    /// <summary>The value is a constant Type (<c>typeof(X)</c>).</summary>
    public Type? ConstType;
    /// <summary>A <c>ldftn</c> or delegate of this method.</summary>
    public MethodBase? Function;
    public Descr? Descr;
    public FieldInfo? DriverField;
    public Type? Token;

    public StackItem Clone() => (StackItem)MemberwiseClone();

    /// <summary>The state kept at a jump target: everything that holds on every path into it.</summary>
    public StackItem ForJoin() => new()
    {
        Form = Form, Kind = Kind, Type = Type, Reg = Reg, Reg2 = Reg2, ClrType = ClrType, Descr = Descr,
        DriverField = DriverField, Token = Token, IsVariable = IsVariable,
    };

    public bool SameSlot(StackItem o) => Form == o.Form && Kind == o.Kind && Reg == o.Reg && Reg2 == o.Reg2
        && ReferenceEquals(Descr, o.Descr) && DriverField == o.DriverField && Token == o.Token && IsVariable == o.IsVariable;

    public static StackType TypeOf(Type t)
    {
        if (t.IsEnum) t = Enum.GetUnderlyingType(t);
        if (t == typeof(float)) return StackType.F32;
        if (t == typeof(double)) return StackType.F64;
        if (t == typeof(long) || t == typeof(ulong) || t == typeof(nint) || t == typeof(nuint)) return StackType.I64;
        if (t.IsPrimitive) return StackType.I32;
        return StackType.Ref;
    }
}
