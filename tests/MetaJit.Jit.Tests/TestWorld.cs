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

/// <summary>
/// A call_assembler target for backend tests: the "compiled code" of a portal that returns twice its int
/// argument and raises <see cref="TestException"/> for a negative one (a Lox runtime error deep in a recursion, say).
/// </summary>
public sealed class TwiceAssembler : MetaJit.Engine.Descriptors.CallAssemblerDescr
{
    public override string Name => "twice";
    public override ValueKind[] ArgKinds => [ValueKind.Int];
    public override int VableArgIndex => -1;
    public override VirtualizableInfo? Vable => null;
    public override MetaJit.Engine.Backend.DeadFrame TakeFrame() => new(1, 1, 1);
    public override long InvokeInt(MetaJit.Engine.Backend.DeadFrame args) =>
        args.Ints[0] >= 0 ? 2 * args.Ints[0] : throw new TestException("negative: " + args.Ints[0]);
    public override double InvokeFloat(MetaJit.Engine.Backend.DeadFrame args) => throw new NotSupportedException();
    public override object? InvokeRef(MetaJit.Engine.Backend.DeadFrame args) => throw new NotSupportedException();
    public override void InvokeVoid(MetaJit.Engine.Backend.DeadFrame args) => throw new NotSupportedException();
}

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
        ns.Add("twice", new TwiceAssembler()); // one per namespace: its Raised is per test
        return ns;
    }

    public static readonly Node SharedNode = new() { value = 7 };
}
