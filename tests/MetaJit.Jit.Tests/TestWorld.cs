using MetaJit.Engine.Descriptors;
using MetaJit.Engine.Trace;

namespace MetaJit.Jit.Tests;

/// <summary>A heap object for traces to work on.</summary>
public class Node
{
    public int value;
    public long big;
    public double f;
    public byte small;
    public Node? next;
    public object? payload;
    public static long counter;

    public Node() { }
    public Node(int value) { this.value = value; }
}

public sealed class SubNode : Node { }

public sealed class TestException(string message) : Exception(message);

/// <summary>Static methods for residual calls.</summary>
public static class Helpers
{
    public static long Add(long a, long b) => a + b;
    public static int AddInts(int a, int b) => a + b;
    public static double Scale(double x, long k) => x * k;
    public static long CheckPositive(long x) => x >= 0 ? x : throw new TestException("negative: " + x);
    public static void ThrowIf(long x) { if (x != 0) throw new InvalidOperationException("asked to throw"); }
    public static string Concat(string a, string b) => a + b;
    public static Node Wrap(long v) => new() { big = v };
    public static long ForceGc(long x) { GC.Collect(); GC.WaitForPendingFinalizers(); return x; }
    public static long Calls;
    public static void Count() => Calls++;
    public static long Hash(object? o) => o == null ? 0 : o.GetHashCode() & 0xffff;
}

/// <summary>The namespace of names the test traces use.</summary>
public static class TestWorld
{
    public static TraceNamespace Names()
    {
        var ns = new TraceNamespace();
        foreach (var f in new[] { "value", "big", "f", "small", "next", "payload" })
            ns.Add(f, Descrs.Field(typeof(Node).GetField(f)!));
        ns.Add("counter", Descrs.Field(typeof(Node).GetField("counter")!));
        ns.Add("Node", Descrs.Type(typeof(Node)));
        ns.Add("SubNode", Descrs.Type(typeof(SubNode)));
        ns.Add("TestException", Descrs.Type(typeof(TestException)));
        ns.Add("InvalidOperation", Descrs.Type(typeof(InvalidOperationException)));
        ns.Add("longs", Descrs.Array(typeof(long)));
        ns.Add("ints", Descrs.Array(typeof(int)));
        ns.Add("doubles", Descrs.Array(typeof(double)));
        ns.Add("bytes", Descrs.Array(typeof(byte)));
        ns.Add("objs", Descrs.Array(typeof(object)));
        ns.Add("nodes", Descrs.Array(typeof(Node)));
        foreach (var m in typeof(Helpers).GetMethods().Where(m => m.IsStatic && m.DeclaringType == typeof(Helpers)))
            ns.Add(m.Name, Descrs.Call(m));
        ns.Add("newNode", Descrs.Call(typeof(Node).GetConstructor([typeof(int)])!));
        ns.Add("sharedNode", SharedNode);
        return ns;
    }

    public static readonly Node SharedNode = new() { value = 7 };
}
