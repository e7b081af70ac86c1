using MetaJit.Engine.JitCodes;
using MetaJit.Engine.Resume;
using MetaJit.Engine.Descriptors;
using MetaJit.Engine.Optimizer;
using MetaJit.Engine.Trace;
using NUnit.Framework;

namespace MetaJit.Optimizer.Tests;

public sealed class Node
{
    public long Value;
    public Node? Next;
    public int Small;
    public double F;
    public float Single;
    public readonly long Id;
    [MetaJit.QuasiImmutable] public long Version;

    public Node() { }
    public Node(long id) => Id = id;
}

public sealed class Other
{
    public long Value;
}

/// <summary>Functions the traces call, with the effect info a codewriter would give them.</summary>
public static class Fns
{
    public static long Calls;

    public static long Opaque(long x) { Calls++; return x + 1; }
    public static object OpaqueRef(long x) { Calls++; return new Node(x) { Value = 1 }; }
    public static long Double(long x) => x * 2;
    public static void WriteValue(Node n, long v) { Calls++; n.Value = v; }
    public static void WriteNothing(Node n) { Calls++; }
    public static long Fail(long x) => x == 13 ? throw new InvalidOperationException("13") : x;
    public static void Store(Node n) { Calls++; Last = n; }
    public static Node? Last;

    /// <summary>An array a call writes without being given it (effect: writes longs only, reads nothing).</summary>
    public static readonly long[] Scratch = new long[4];
    public static void ClearScratch() { Calls++; Array.Clear(Scratch); }

    /// <summary>Reads the array it is given and nothing else (effect: reads no heap it is not given).</summary>
    public static long FirstItem(long[] a) { Calls++; return a[0]; }

    /// <summary>Reads its argument's field: elidable (the result depends on what the argument holds).</summary>
    public static long ValueOf(Node n) { Calls++; return n.Value; }

    /// <summary>Writes Node.Value of a node it is not given (effect: writes value only, reads no heap).</summary>
    public static void SetRemembered(long v) { Calls++; if (Remembered != null) Remembered.Value = v; }
    public static Node? Remembered;

    /// <summary>Raises for 13; reads no heap (like a string helper).</summary>
    public static long Check(long x) => x == 13 ? throw new InvalidOperationException("13") : x;

    /// <summary>Reads and writes items of any long[] (effect: writes longs, may read the heap).</summary>
    public static void WriteItem(long[] a, long i, long v) { Calls++; a[i] = v; }
}

/// <summary>The descriptors and constants the trace texts of the tests name.</summary>
public static class World
{
    /// <summary>The JitCode resume frames of test traces name (no registers of its own are read).</summary>
    public static readonly JitCode ResumeCode = new(typeof(World).GetMethod(nameof(GiveResumeData))!, "t");

    /// <summary>Gives each guard resume data as the tracer would: one frame, no registers (pc = guard number).</summary>
    public static TreeLoop GiveResumeData(TreeLoop trace)
    {
        int pc = 0;
        foreach (var g in trace.Guards) g.ResumeData = new ResumeData([new ResumeFrame(ResumeCode, pc++, [], [])], [], false);
        return trace;
    }

    /// <summary>Gives each guard resume data whose one frame maps register k to fail arg k (pc = guard number).</summary>
    public static TreeLoop GiveFailArgResumeData(TreeLoop trace)
    {
        int pc = 0;
        foreach (var g in trace.Guards)
        {
            var slots = Enumerable.Range(0, g.FailArgs!.Length).ToArray();
            g.ResumeData = new ResumeData([new ResumeFrame(null!, pc++, slots, slots)], [], false);
        }
        return trace;
    }

    public static readonly FieldDescr Value = Descrs.Field(typeof(Node).GetField(nameof(Node.Value))!);
    public static readonly FieldDescr Next = Descrs.Field(typeof(Node).GetField(nameof(Node.Next))!);
    public static readonly FieldDescr Small = Descrs.Field(typeof(Node).GetField(nameof(Node.Small))!);
    public static readonly FieldDescr F = Descrs.Field(typeof(Node).GetField(nameof(Node.F))!);
    public static readonly FieldDescr Single = Descrs.Field(typeof(Node).GetField(nameof(Node.Single))!);
    public static readonly FieldDescr Id = Descrs.Field(typeof(Node).GetField(nameof(Node.Id))!);
    public static readonly FieldDescr Version = Descrs.Field(typeof(Node).GetField(nameof(Node.Version))!);
    public static readonly FieldDescr OtherValue = Descrs.Field(typeof(Other).GetField(nameof(Other.Value))!);
    public static readonly ArrayDescr LongArray = Descrs.Array(typeof(long));
    public static readonly ArrayDescr NodeArray = Descrs.Array(typeof(Node));
    public static readonly ArrayDescr ObjectArray = Descrs.Array(typeof(object));
    public static readonly ArrayDescr StringArray = Descrs.Array(typeof(string));
    public static readonly ArrayDescr IntArray = Descrs.Array(typeof(int));
    public static readonly ArrayDescr UintArray = Descrs.Array(typeof(uint));
    public static readonly CallDescr Opaque = Descrs.Call(typeof(Fns).GetMethod(nameof(Fns.Opaque))!);
    public static readonly CallDescr OpaqueRef = Descrs.Call(typeof(Fns).GetMethod(nameof(Fns.OpaqueRef))!);
    public static readonly CallDescr Double = Descrs.Call(typeof(Fns).GetMethod(nameof(Fns.Double))!);
    public static readonly CallDescr WriteValue = Descrs.Call(typeof(Fns).GetMethod(nameof(Fns.WriteValue))!);
    public static readonly CallDescr WriteNothing = Descrs.Call(typeof(Fns).GetMethod(nameof(Fns.WriteNothing))!);
    public static readonly CallDescr Fail = Descrs.Call(typeof(Fns).GetMethod(nameof(Fns.Fail))!);
    public static readonly CallDescr Store = Descrs.Call(typeof(Fns).GetMethod(nameof(Fns.Store))!);
    public static readonly CallDescr Concat = Descrs.Call(typeof(string).GetMethod(nameof(string.Concat), [typeof(string), typeof(string)])!);
    public static readonly CallDescr ClearScratch = Descrs.Call(typeof(Fns).GetMethod(nameof(Fns.ClearScratch))!);
    public static readonly CallDescr FirstItem = Descrs.Call(typeof(Fns).GetMethod(nameof(Fns.FirstItem))!);
    public static readonly CallDescr SetRemembered = Descrs.Call(typeof(Fns).GetMethod(nameof(Fns.SetRemembered))!);
    public static readonly CallDescr Check = Descrs.Call(typeof(Fns).GetMethod(nameof(Fns.Check))!);
    public static readonly CallDescr WriteItem = Descrs.Call(typeof(Fns).GetMethod(nameof(Fns.WriteItem))!);
    public static readonly CallDescr StrLength = Descrs.Call(typeof(string).GetProperty(nameof(string.Length))!.GetMethod!);
    public static readonly CallDescr StrChar = Descrs.Call(typeof(string).GetMethod("get_Chars", [typeof(int)])!);
    public static readonly CallDescr Slice = Descrs.Call(typeof(MetaJit.Rlib.RString).GetMethod(nameof(MetaJit.Rlib.RString.Slice))!);
    public static readonly CallDescr ValueOf = Descrs.Call(typeof(Fns).GetMethod(nameof(Fns.ValueOf))!);
    public static readonly CallDescr StrEquals = Descrs.Call(typeof(string).GetMethod(nameof(string.Equals), [typeof(string), typeof(string)])!);
    public static readonly Node SomeNode = new(7) { Value = 5 };
    public static readonly Node OtherNode = new(8) { Value = 6 };

    /// <summary>A constant node the randomized traces read and write (reset before each run; p0 and p1 are it when
    /// they alias).</summary>
    public static readonly Node FuzzNode = new(9);

    static World()
    {
        Double.Effect = EffectInfo.PureCannotRaise;
        WriteValue.Effect = new EffectInfo { CanRaise = false, WritesAnything = false, WrittenFields = new HashSet<FieldDescr> { Value } };
        WriteNothing.Effect = new EffectInfo { CanRaise = false, WritesAnything = false };
        Concat.Effect = new EffectInfo { CanRaise = false, WritesAnything = false };
        ClearScratch.Effect = new EffectInfo { CanRaise = false, WritesAnything = false, WrittenArrays = new HashSet<ArrayDescr> { LongArray }, ReadsHeap = false };
        FirstItem.Effect = new EffectInfo { WritesAnything = false, ReadsHeap = false };
        SetRemembered.Effect = new EffectInfo { CanRaise = false, WritesAnything = false, WrittenFields = new HashSet<FieldDescr> { Value }, ReadsHeap = false };
        Check.Effect = new EffectInfo { WritesAnything = false, ReadsHeap = false, CanInvalidate = false };
        WriteItem.Effect = new EffectInfo { WritesAnything = false, WrittenArrays = new HashSet<ArrayDescr> { LongArray } };
        StrLength.Effect = EffectInfo.PureCannotRaise;
        StrChar.Effect = new EffectInfo { IsElidable = true, WritesAnything = false, CanInvalidate = false, ReadsHeap = false };
        ValueOf.Effect = new EffectInfo { IsElidable = true, CanRaise = false, WritesAnything = false, CanInvalidate = false }; // reads the heap
    }

    public static TraceNamespace Names() => new TraceNamespace()
        .Add("value", Value).Add("next", Next).Add("small", Small).Add("f", F).Add("single", Single).Add("id", Id).Add("version", Version).Add("ovalue", OtherValue)
        .Add("longs", LongArray).Add("nodes", NodeArray).Add("objects", ObjectArray).Add("strings", StringArray).Add("ints", IntArray).Add("uints", UintArray)
        .Add("Node", typeof(Node)).Add("Other", typeof(Other))
        .Add("opaque", Opaque).Add("opaqueRef", OpaqueRef).Add("double", Double).Add("writeValue", WriteValue).Add("writeNothing", WriteNothing)
        .Add("fail", Fail).Add("store", Store).Add("concat", Concat).Add("clearScratch", ClearScratch).Add("firstItem", FirstItem).Add("writeItem", WriteItem).Add("check", Check).Add("setRemembered", SetRemembered).Add("scratch", Fns.Scratch).Add("strEquals", StrEquals).Add("valueOf", ValueOf).Add("slice", Slice).Add("length", StrLength).Add("charAt", StrChar).Add("someNode", SomeNode).Add("otherNode", OtherNode).Add("fuzzNode", FuzzNode).Add("someString", "some string");

    /// <summary>Optimizes <paramref name="input"/> with <paramref name="passes"/> and asserts the result is <paramref name="expected"/>.</summary>
    public static TreeLoop AssertOptimizes(string passes, string input, string expected)
    {
        var ns = Names();
        var trace = TraceParser.Parse(input, ns);
        var actual = TraceOptimizer.OptimizeLoop(trace, OptimizerOptions.Parse(passes));
        var want = TraceParser.Parse(expected, ns);
        var diff = TraceEquivalence.Difference(want, actual);
        Assert.That(diff, Is.Null, () => $"{diff}\n--- actual:\n{new TracePrinter(ns).Print(actual)}--- expected:\n{new TracePrinter(ns).Print(want)}");
        return actual;
    }
}
