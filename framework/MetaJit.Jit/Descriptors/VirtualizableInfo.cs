using System.Reflection;
using MetaJit.Engine.JitCodes;

namespace MetaJit.Engine.Descriptors;

/// <summary>
/// The virtualizable of a portal (RPython's VirtualizableInfo), read from the <c>[Virtualizable]</c> attribute
/// on the static type of one of its reds: the scalar fields (<c>"Sp"</c>) and the array fields
/// (<c>"Slots[*]"</c>, readonly, length fixed per object) whose values compiled code keeps in registers.
/// A trace's view of one vable object is flat: the scalar fields in declared order, then each array's items;
/// <see cref="Lengths"/> of the object fixes how many items (a trace is specialised on them).
/// </summary>
public sealed class VirtualizableInfo
{
    private VirtualizableInfo(Type type, int redIndex, FieldDescr[] fields, FieldDescr[] arrayFields, bool deadAfterReturn,
        FieldDescr? privateWhileNull)
    {
        Type = type;
        DeadAfterReturn = deadAfterReturn;
        PrivateWhileNull = privateWhileNull;
        RedIndex = redIndex;
        Fields = fields;
        ArrayFields = arrayFields;
        ArrayDescrs = arrayFields.Select(f => Descrs.Array(f.Field.FieldType.GetElementType()!)).ToArray();
    }

    /// <summary>The class carrying the attribute.</summary>
    public Type Type { get; }

    /// <summary>The frame is not read once its portal invocation returns (<see cref="VirtualizableAttribute.DeadAfterReturn"/>):
    /// a trace that ends at the portal's return does not write the fields back.</summary>
    public bool DeadAfterReturn { get; }

    /// <summary>The reference field that is null while no callee or residual call can reach the virtualized
    /// fields (<see cref="VirtualizableAttribute.PrivateWhileNull"/>), or null: any call may.</summary>
    public FieldDescr? PrivateWhileNull { get; }

    /// <summary>Which red (0-based, among the reds) is the virtualizable.</summary>
    public int RedIndex { get; }

    /// <summary>The scalar fields, as declared.</summary>
    public FieldDescr[] Fields { get; }

    /// <summary>The array fields whose items are virtualized, as declared.</summary>
    public FieldDescr[] ArrayFields { get; }

    /// <summary>The array type of each of <see cref="ArrayFields"/>.</summary>
    public ArrayDescr[] ArrayDescrs { get; }

    /// <summary>Index of <paramref name="field"/> in <see cref="Fields"/>, or -1.</summary>
    public int FieldIndex(FieldDescr field) => Array.IndexOf(Fields, field);

    /// <summary>Index of <paramref name="field"/> in <see cref="ArrayFields"/>, or -1.</summary>
    public int ArrayFieldIndex(FieldDescr field) => Array.IndexOf(ArrayFields, field);

    /// <summary>The lengths of <paramref name="vable"/>'s virtualized arrays.</summary>
    public int[] Lengths(object vable)
    {
        var lengths = new int[ArrayFields.Length];
        for (int k = 0; k < lengths.Length; k++) lengths[k] = ((Array)ArrayFields[k].GetRef(vable)!).Length;
        return lengths;
    }

    /// <summary>True when <paramref name="vable"/>'s arrays have exactly <paramref name="lengths"/>.</summary>
    public bool HasLengths(object vable, int[] lengths)
    {
        for (int k = 0; k < lengths.Length; k++)
            if (ArrayFields[k].GetRef(vable) is not Array a || a.Length != lengths[k]) return false;
        return true;
    }

    /// <summary>The objects <paramref name="vable"/>'s reference fields and items hold (those of its virtualized
    /// fields and arrays).</summary>
    public IEnumerable<object?> RefSlotValues(object vable)
    {
        foreach (var f in Fields)
            if (f.Kind == ValueKind.Ref) yield return f.GetRef(vable);
        foreach (var a in ArrayFields)
            if (a.GetRef(vable) is object?[] items) // only arrays of references hold objects
                foreach (var item in items) yield return item;
    }

    /// <summary>The kind of each flat slot for arrays of <paramref name="lengths"/> (fields, then items).</summary>
    public ValueKind[] SlotKinds(int[] lengths)
    {
        var kinds = new List<ValueKind>();
        foreach (var f in Fields) kinds.Add(f.Kind);
        for (int k = 0; k < lengths.Length; k++) kinds.AddRange(Enumerable.Repeat(ArrayDescrs[k].Kind, lengths[k]));
        return kinds.ToArray();
    }

    /// <summary>
    /// The virtualizable of <paramref name="portal"/>, or null when no red's type has the attribute. A bad
    /// declaration (two virtualizable reds, a missing or static field, an array field that is not a readonly
    /// one-dimensional array) throws with what to fix.
    /// </summary>
    public static VirtualizableInfo? For(PortalDescr portal)
    {
        VirtualizableInfo? found = null;
        int greens = portal.GreenNames.Length;
        for (int r = 0; r < portal.RedNames.Length; r++)
        {
            var type = portal.ValueTypes[greens + r];
            var attr = type.GetCustomAttribute<VirtualizableAttribute>(inherit: false);
            if (attr == null) continue;
            if (found != null)
                throw Bad(type, $"the reds '{portal.RedNames[found.RedIndex]}' and '{portal.RedNames[r]}' of {portal.Name} are both virtualizable; at most one red may be");
            found = From(type, attr, r);
        }
        return found;
    }

    private static VirtualizableInfo From(Type type, VirtualizableAttribute attr, int redIndex)
    {
        var problem = VirtualizableRules.Problem(type.Name, type.IsValueType, attr.Fields, attr.PrivateWhileNull, name =>
            FieldOf(type, name) is { } f ? new VirtualizableFieldFacts(f.IsInitOnly, f.FieldType.IsSZArray, !f.FieldType.IsValueType) : null);
        if (problem != null) throw Bad(type, problem);
        var fields = new List<FieldDescr>();
        var arrays = new List<FieldDescr>();
        foreach (var spec in attr.Fields)
        {
            bool isArray = spec.EndsWith("[*]", StringComparison.Ordinal);
            var descr = Descrs.Field(FieldOf(type, isArray ? spec[..^3] : spec)!);
            (isArray ? arrays : fields).Add(descr);
        }
        var privacy = attr.PrivateWhileNull == null ? null : Descrs.Field(FieldOf(type, attr.PrivateWhileNull)!);
        return new VirtualizableInfo(type, redIndex, fields.ToArray(), arrays.ToArray(), attr.DeadAfterReturn, privacy);
    }

    private static FieldInfo? FieldOf(Type type, string name) =>
        type.GetField(name, BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic);

    private static InvalidOperationException Bad(Type type, string what) =>
        new($"[Virtualizable] on {type.FullName}: {what}.");
}
