using System.Collections.Concurrent;
using System.Reflection;
using System.Reflection.Emit;
using MetaJit.Engine.Descriptors;
using MetaJit.Engine.Trace;

namespace MetaJit.Engine.Backend.Cil;

/// <summary>
/// A class whose whole state is one immutable field (an interpreter's boxed number, say), which a tree's frameless
/// finish may return unboxed: the field's value in the context's result slot of its kind and the box's
/// <see cref="Id"/> in <see cref="CilTraceContext.ResultBox"/>, instead of a new object (CilEmitter.UnboxedResults.cs).
/// A caller that expects the class reads the value; any other reader gets a box made here (<see cref="Box"/>).
/// </summary>
internal sealed class ResultBox
{
    private static readonly ConcurrentDictionary<Type, ResultBox?> ByType = new();
    // Copied on write, so that a reader (boxing for a caller that does not expect the class) takes no lock.
    private static volatile ResultBox[] _byId = [null!]; // id 0: no box
    private static readonly Lock Registering = new();

    /// <summary>What compiled code holds in place of a result that came back unboxed, until it needs the object
    /// (then it makes one from the value: CilEmitter.UnboxedResults.cs). It never leaves compiled code.</summary>
    public static readonly object Unboxed = new();

    private ResultBox(int id, TypeDescr type, FieldDescr field)
    {
        Id = id;
        Type = type;
        Field = field;
    }

    /// <summary>The box's number in <see cref="CilTraceContext.ResultBox"/> (never 0).</summary>
    public int Id { get; }

    /// <summary>The class.</summary>
    public TypeDescr Type { get; }

    /// <summary>Its one field.</summary>
    public FieldDescr Field { get; }

    /// <summary>The box of <paramref name="type"/>: a class (not abstract, not an array or string) with exactly one
    /// instance field, declared there or in a base class, and that field immutable (a caller reads it once, where
    /// the result arrives, and keeps the value); null for any other type.</summary>
    public static ResultBox? Of(Type type) => ByType.GetOrAdd(type, Register);

    /// <summary>The box numbered <paramref name="id"/>.</summary>
    public static ResultBox WithId(int id) => _byId[id];

    private static ResultBox? Register(Type type)
    {
        if (!type.IsClass || type.IsAbstract || type.IsArray || type == typeof(string) || type.ContainsGenericParameters) return null;
        var fields = new List<FieldInfo>();
        for (var t = type; t != null && t != typeof(object); t = t.BaseType)
            fields.AddRange(t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly));
        if (fields.Count != 1) return null;
        var field = Descrs.Field(fields[0]);
        if (!field.IsImmutable || field.Kind == ValueKind.Void) return null;
        lock (Registering)
        {
            var box = new ResultBox(_byId.Length, Descrs.Type(type), field);
            _byId = [.. _byId, box];
            return box;
        }
    }

    /// <summary>The object a finish returned unboxed into <paramref name="context"/>, made now; the context forgets
    /// a reference value.</summary>
    public object Box(CilTraceContext context) => (_box ??= CompileBox())(context);

    private Func<CilTraceContext, object>? _box;

    // Compiled rather than reflection's allocation and setter: a caller that does not expect the class boxes every
    // result it gets this way (a result passed straight on as an argument, say).
    private Func<CilTraceContext, object> CompileBox()
    {
        var method = new DynamicMethod($"box {Type.Name}", typeof(object), [typeof(CilTraceContext)], typeof(ResultBox).Module, skipVisibility: true);
        var il = method.GetILGenerator();
        var resultField = typeof(CilTraceContext).GetField(Field.Kind switch
        {
            ValueKind.Int => nameof(CilTraceContext.ResultInt),
            ValueKind.Float => nameof(CilTraceContext.ResultFloat),
            _ => nameof(CilTraceContext.ResultRef),
        })!;
        TrivialConstructors.EmitNew(il, Type.Type);
        il.Emit(OpCodes.Dup);
        il.Emit(OpCodes.Ldarg_0); il.Emit(OpCodes.Ldfld, resultField);
        Accessors.EmitFromRegister(il, Field.Field.FieldType);
        il.Emit(OpCodes.Stfld, Field.Field);
        if (Field.Kind == ValueKind.Ref) { il.Emit(OpCodes.Ldarg_0); il.Emit(OpCodes.Ldnull); il.Emit(OpCodes.Stfld, resultField); }
        il.Emit(OpCodes.Ret);
        return method.CreateDelegate<Func<CilTraceContext, object>>();
    }

    /// <summary>Copies the value a finish returned unboxed from <paramref name="from"/> into <paramref name="into"/>
    /// (the caller's context, where its code reads it); <paramref name="from"/> forgets a reference.</summary>
    public static void Move(CilTraceContext from, CilTraceContext into)
    {
        into.ResultInt = from.ResultInt;
        into.ResultFloat = from.ResultFloat;
        if (from == into) return;
        into.ResultRef = from.ResultRef;
        from.ResultRef = null;
    }
}
