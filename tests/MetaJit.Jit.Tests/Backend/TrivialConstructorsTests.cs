using MetaJit.Engine.Backend;
using MetaJit.Engine.Backend.Cil;
using MetaJit.Engine.Descriptors;
using MetaJit.Engine.Trace;
using NUnit.Framework;

namespace MetaJit.Jit.Tests.Backend;

/// <summary>
/// <c>new_with_vtable</c> in the CIL backend uses <c>newobj</c> of a constructor that changes nothing an allocation
/// would not (only stores its arguments), called with zeros; any other constructor must not run, so those classes
/// are allocated uninitialized.
/// </summary>
[TestFixture]
public class TrivialConstructorsTests
{
    private sealed class Empty { }

    private sealed class StoresArguments
    {
        public StoresArguments(double value, string? name, int count, Kind kind) { Value = value; Name = name; Count = count; Mode = kind; }
        public readonly double Value;
        public readonly string? Name;
        public readonly int Count;
        public readonly Kind Mode;
    }

    public enum Kind { None, Some }

    private class Base
    {
        public Base(long id) { Id = id; }
        public long Id;
    }

    private sealed class DerivedOfTrivial : Base
    {
        public DerivedOfTrivial(long id, object? tag) : base(id) { Tag = tag; }
        public object? Tag;
    }

    private sealed class WithInitializer
    {
        public WithInitializer() { }
        public int Seven = 7;
    }

    private sealed class StoresItself
    {
        public StoresItself() { Self = this; }
        public StoresItself? Self;
    }

    private sealed class Allocates
    {
        public Allocates(int n) { Items = new int[n]; }
        public int[] Items;
    }

    private sealed class CallsOut
    {
        public static int Made;
        public CallsOut() { Made++; }
    }

    private class NonTrivialBase
    {
        public NonTrivialBase() { Log = "made"; }
        public string? Log;
    }

    private sealed class DerivedOfNonTrivial : NonTrivialBase { }

    private sealed class ByRefParameter
    {
        public ByRefParameter(ref int x) { X = x; }
        public int X;
    }

    [TestCase(typeof(Empty))]
    [TestCase(typeof(StoresArguments))]
    [TestCase(typeof(DerivedOfTrivial))]
    public void A_constructor_that_only_stores_its_arguments_is_used(Type type) =>
        Assert.That(TrivialConstructors.Of(type)?.DeclaringType, Is.EqualTo(type));

    [TestCase(typeof(WithInitializer))]
    [TestCase(typeof(StoresItself))]
    [TestCase(typeof(Allocates))]
    [TestCase(typeof(CallsOut))]
    [TestCase(typeof(DerivedOfNonTrivial))]
    [TestCase(typeof(ByRefParameter))]
    [TestCase(typeof(string))]
    public void Any_other_constructor_is_not(Type type) => Assert.That(TrivialConstructors.Of(type), Is.Null);

    /// <summary>Compiled allocations of both kinds: every field zero, and no constructor body ran.</summary>
    [Test]
    public void Compiled_allocations_leave_every_field_zero_and_run_no_constructor_body()
    {
        var names = TestWorld.Names();
        names.Add("Stores", Descrs.Type(typeof(StoresArguments)));
        names.Add("Derived", Descrs.Type(typeof(DerivedOfTrivial)));
        names.Add("Init", Descrs.Type(typeof(WithInitializer)));
        names.Add("CallsOut", Descrs.Type(typeof(CallsOut)));
        var loop = new CilBackend().CompileLoop(TraceParser.Parse("""
            []
            p0 = new_with_vtable(descr=Stores)
            p1 = new_with_vtable(descr=Derived)
            p2 = new_with_vtable(descr=Init)
            p3 = new_with_vtable(descr=CallsOut)
            finish(p0, p1, p2, p3)
            """, names));
        int made = CallsOut.Made;
        var values = CompiledLoopRunner.Run(loop, DeadFrame.For(loop, [])).Values;
        var stores = (StoresArguments)values[0]!;
        Assert.That((stores.Value, stores.Name, stores.Count, stores.Mode), Is.EqualTo((0.0, (string?)null, 0, Kind.None)));
        var derived = (DerivedOfTrivial)values[1]!;
        Assert.That((derived.Id, derived.Tag), Is.EqualTo((0L, (object?)null)));
        Assert.That(((WithInitializer)values[2]!).Seven, Is.EqualTo(0), "the initializer did not run");
        Assert.That(values[3], Is.TypeOf<CallsOut>());
        Assert.That(CallsOut.Made, Is.EqualTo(made), "the constructor did not run");
    }
}
