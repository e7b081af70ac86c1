using MetaJit.Engine.Descriptors;
using MetaJit.Engine.Trace;
using MetaJit.Engine.Tracing;
using NUnit.Framework;

namespace MetaJit.Jit.Tests.Tracing;

/// <summary>The tracer's heap cache (<see cref="TraceHeapCache"/>): what it remembers, and every reason it forgets.</summary>
[TestFixture]
public class TraceHeapCacheTests
{
    private static readonly FieldDescr Value = Descrs.Field(typeof(Node).GetField(nameof(Node.value))!);
    private static readonly FieldDescr Next = Descrs.Field(typeof(Node).GetField(nameof(Node.next))!);
    private static readonly ArrayDescr Longs = Descrs.Array(typeof(long));

    private readonly InputArg _a = new(ValueKind.Ref), _b = new(ValueKind.Ref), _i = new(ValueKind.Int), _j = new(ValueKind.Int);

    private static ResOperation Op(OpNum num, Value[] args, Descr? descr = null) => new(num, args, descr);

    private static ResOperation Call(EffectInfo effect)
    {
        var call = new CallDescr(typeof(Helpers).GetMethod(nameof(Helpers.Count))!) { Effect = effect };
        return Op(OpNum.CallN, Array.Empty<Value>(), call);
    }

    /// <summary>A field read the cache learns, as the tracer records it.</summary>
    private ResOperation Read(TraceHeapCache cache, Value obj, FieldDescr field, long v)
    {
        var read = Op(OpNum.GetfieldGcI, [obj], field);
        cache.Recorded(read);
        cache.Holds(obj, field, read, v, 0, null);
        return read;
    }

    private static void Write(TraceHeapCache cache, Value obj, FieldDescr field, Value box, long v)
    {
        cache.Recorded(Op(OpNum.SetfieldGc, [obj, box], field));
        cache.Holds(obj, field, box, v, 0, null);
    }

    [Test]
    public void A_field_read_again_gives_the_first_reads_box()
    {
        var cache = new TraceHeapCache();
        var read = Read(cache, _a, Value, 7);
        Assert.That(cache.Field(_a, Value, 7, 0, null), Is.SameAs(read));
        Assert.That(cache.Field(_b, Value, 7, 0, null), Is.Null, "another object box");
        Assert.That(cache.Field(_a, Next, 0, 0, null), Is.Null, "another field");
    }

    [Test]
    public void A_write_gives_the_written_box_and_forgets_the_field_of_every_other_box()
    {
        var cache = new TraceHeapCache();
        Read(cache, _a, Value, 7);
        var readNext = Read(cache, _a, Next, 0);
        Write(cache, _b, Value, _i, 9);
        Assert.That(cache.Field(_b, Value, 9, 0, null), Is.SameAs(_i));
        Assert.That(cache.Field(_a, Value, 7, 0, null), Is.Null, "a and b may be the same object");
        Assert.That(cache.Field(_a, Next, 0, 0, null), Is.SameAs(readNext), "other fields stay");
    }

    [Test]
    public void Array_writes_leave_fields_alone()
    {
        var cache = new TraceHeapCache();
        var read = Read(cache, _a, Value, 7);
        cache.Recorded(Op(OpNum.SetarrayitemGc, [_b, _i, _j], Longs));
        Assert.That(cache.Field(_a, Value, 7, 0, null), Is.SameAs(read));
    }

    [Test]
    public void A_call_that_may_write_anything_forgets_every_field()
    {
        var cache = new TraceHeapCache();
        Read(cache, _a, Value, 7);
        Read(cache, _a, Next, 0);
        cache.Recorded(Call(EffectInfo.Anything));
        Assert.That(cache.Field(_a, Value, 7, 0, null), Is.Null);
        Assert.That(cache.Field(_a, Next, 0, 0, null), Is.Null);
    }

    [Test]
    public void A_call_forgets_only_the_fields_its_effect_says_it_writes()
    {
        var cache = new TraceHeapCache();
        Read(cache, _a, Value, 7);
        var next = Read(cache, _a, Next, 0);
        cache.Recorded(Call(new EffectInfo { WritesAnything = false, WrittenFields = new HashSet<FieldDescr> { Value } }));
        Assert.That(cache.Field(_a, Value, 7, 0, null), Is.Null);
        Assert.That(cache.Field(_a, Next, 0, 0, null), Is.SameAs(next));
        cache.Recorded(Call(EffectInfo.PureCannotRaise));
        Assert.That(cache.Field(_a, Next, 0, 0, null), Is.SameAs(next), "an elidable call writes nothing");
    }

    [Test]
    public void A_call_assembler_forgets_every_field()
    {
        var cache = new TraceHeapCache();
        Read(cache, _a, Value, 7);
        cache.Recorded(Op(OpNum.CallAssemblerN, Array.Empty<Value>()));
        Assert.That(cache.Field(_a, Value, 7, 0, null), Is.Null);
    }

    [Test]
    public void A_hit_whose_object_now_holds_another_value_is_not_used_and_is_counted()
    {
        var cache = new TraceHeapCache();
        Read(cache, _a, Value, 7);
        long before = TraceHeapCache.StaleHits;
        Assert.That(cache.Field(_a, Value, 8, 0, null), Is.Null);
        Assert.That(TraceHeapCache.StaleHits, Is.EqualTo(before + 1));
        Assert.That(cache.Field(_a, Value, 7, 0, null), Is.Null, "the stale entry is gone");
        Interlocked.Add(ref TraceHeapCache.StaleHits, -1); // this test's own, on purpose
    }

    [Test]
    public void A_constant_index_is_in_bounds_when_a_higher_constant_was_checked()
    {
        var cache = new TraceHeapCache();
        cache.CheckedInBounds(new ConstInt(5), _a);
        Assert.That(cache.InBounds(new ConstInt(5), _a), Is.True, "another box of the same constant");
        Assert.That(cache.InBounds(new ConstInt(0), _a), Is.True);
        Assert.That(cache.InBounds(new ConstInt(6), _a), Is.False);
        Assert.That(cache.InBounds(new ConstInt(-1), _a), Is.False);
        Assert.That(cache.InBounds(new ConstInt(3), _b), Is.False, "another array");
        cache.CheckedInBounds(new ConstInt(2), _a);
        Assert.That(cache.InBounds(new ConstInt(5), _a), Is.True, "a lower check does not lower the bound");
    }

    private static readonly ArrayDescr Objs = Descrs.Array(typeof(object));
    private static readonly ArrayDescr Nodes = Descrs.Array(typeof(Node));

    private static void WriteItem(TraceHeapCache cache, Value array, Value index, ArrayDescr descr, Value box, object? v)
    {
        cache.Recorded(Op(OpNum.SetarrayitemGc, [array, index, box], descr));
        cache.HoldsItem(array, index, descr, box, 0, 0, v);
    }

    [Test]
    public void An_item_written_at_a_constant_index_reads_back_as_the_written_box()
    {
        var cache = new TraceHeapCache();
        var node = new Node();
        WriteItem(cache, _a, new ConstInt(3), Objs, _b, node);
        Assert.That(cache.Item(_a, new ConstInt(3), Objs, 0, 0, node), Is.SameAs(_b));
        Assert.That(cache.Item(_a, new ConstInt(4), Objs, 0, 0, node), Is.Null, "another index");
        Assert.That(cache.Item(_a, _i, Objs, 0, 0, node), Is.Null, "a variable index is never cached");
        Assert.That(cache.Item(_a, new ConstInt(3), Nodes, 0, 0, node), Is.SameAs(_b), "a covariant array read through another descr");
    }

    [Test]
    public void Item_writes_forget_what_may_alias()
    {
        var cache = new TraceHeapCache();
        var (x, y) = (new Node(), new Node());
        WriteItem(cache, _a, new ConstInt(3), Objs, _b, x);
        WriteItem(cache, _a, new ConstInt(4), Objs, _b, x);
        WriteItem(cache, _b, new ConstInt(3), Nodes, _a, y);
        Assert.That(cache.Item(_a, new ConstInt(3), Objs, 0, 0, x), Is.Null, "b may be the same array (same kind, same index)");
        Assert.That(cache.Item(_a, new ConstInt(4), Objs, 0, 0, x), Is.SameAs(_b), "another index stays");
        cache.Recorded(Op(OpNum.SetarrayitemGc, [_b, _i, _a], Objs));
        Assert.That(cache.Item(_a, new ConstInt(4), Objs, 0, 0, x), Is.Null, "a write at a variable index may hit any");
        WriteItem(cache, _a, new ConstInt(4), Objs, _b, x);
        cache.Recorded(Op(OpNum.SetarrayitemGc, [_b, new ConstInt(0), _i], Longs));
        Assert.That(cache.Item(_a, new ConstInt(4), Objs, 0, 0, x), Is.SameAs(_b), "an int array is not an object array");
        cache.Recorded(Call(new EffectInfo { WritesAnything = false, WrittenArrays = new HashSet<ArrayDescr> { Nodes } }));
        Assert.That(cache.Item(_a, new ConstInt(4), Objs, 0, 0, x), Is.Null, "a call writing arrays of references");
    }

    [Test]
    public void A_box_proven_to_be_a_constant_is_read_back_as_the_constant()
    {
        var cache = new TraceHeapCache();
        var node = new Node();
        var read = Op(OpNum.GetfieldGcR, [_a], Next);
        cache.Recorded(read);
        cache.Holds(_a, Next, read, 0, 0, node);
        WriteItem(cache, _b, new ConstInt(0), Objs, read, node);
        var constant = new ConstPtr(node);
        cache.Replace(read, constant);
        Assert.That(cache.Field(_a, Next, 0, 0, node), Is.SameAs(constant));
        Assert.That(cache.Item(_b, new ConstInt(0), Objs, 0, 0, node), Is.SameAs(constant));
    }

    [Test]
    public void Lengths_and_checked_indexes_are_remembered_until_cleared()
    {
        var cache = new TraceHeapCache();
        var length = Op(OpNum.ArraylenGc, [_a], Longs);
        cache.Recorded(length);
        cache.CheckedInBounds(_i, _a);
        cache.Recorded(Call(EffectInfo.Anything));
        Assert.That(cache.Length(_a), Is.SameAs(length), "lengths never change");
        Assert.That(cache.InBounds(_i, _a), Is.True);
        Assert.That(cache.InBounds(_j, _a), Is.False);
        Assert.That(cache.InBounds(_i, _b), Is.False);
        Read(cache, _a, Value, 7);
        cache.Clear();
        Assert.That(cache.Length(_a), Is.Null);
        Assert.That(cache.InBounds(_i, _a), Is.False);
        Assert.That(cache.Field(_a, Value, 7, 0, null), Is.Null);
    }
}
