using MetaJit.Engine.Backend;
using MetaJit.Engine.Backend.Cil;
using MetaJit.Engine.Optimizer;
using MetaJit.Engine.Trace;
using NUnit.Framework;

namespace MetaJit.Optimizer.Tests;

/// <summary>
/// A store into an integer field or item narrower than a register keeps only what the type holds, and the passes that
/// remember stored values remember that (StoreNarrowing.cs): <c>small</c> is an <c>int</c> field, <c>ints</c> and
/// <c>uints</c> are <c>int[]</c> and <c>uint[]</c> (which reads back sign-extended).
/// </summary>
public class StoreNarrowingTests
{
    private static TestCaseData C(string name, string passes, string input, string expected) => PassCase.Make(name, passes, input, expected);

    public static IEnumerable<TestCaseData> Cases()
    {
        yield return C("A_read_after_a_store_into_an_int_field_gives_the_low_half_of_the_value",
            "heap",
            "[p0, i0]\nsetfield_gc(p0, i0, descr=small)\ni1 = getfield_gc_i(p0, descr=small)\nfinish(i1)",
            "[p0, i0]\ni1 = int_signext(i0, 4)\nsetfield_gc(p0, i1, descr=small)\nfinish(i1)");
        yield return C("A_constant_is_narrowed_where_it_is_stored",
            "heap",
            "[p0]\nsetfield_gc(p0, 9223372036854775800, descr=small)\ni1 = getfield_gc_i(p0, descr=small)\nfinish(i1)",
            "[p0]\nsetfield_gc(p0, -8, descr=small)\nfinish(-8)");
        yield return C("A_value_known_to_fit_is_stored_as_it_is",
            "intbounds:heap",
            "[p0, i0]\ni1 = int_signext(i0, 4)\nsetfield_gc(p0, i1, descr=small)\ni2 = getfield_gc_i(p0, descr=small)\nfinish(i2)",
            "[p0, i0]\ni1 = int_signext(i0, 4)\nsetfield_gc(p0, i1, descr=small)\nfinish(i1)");
        yield return C("A_value_that_fits_needs_no_op_with_intbounds_even_when_it_is_not_a_signext",
            "intbounds:heap",
            "[p0, i0]\ni1 = int_and(i0, 1023)\nsetfield_gc(p0, i1, descr=small)\ni2 = getfield_gc_i(p0, descr=small)\nfinish(i2)",
            "[p0, i0]\ni1 = int_and(i0, 1023)\nsetfield_gc(p0, i1, descr=small)\nfinish(i1)");
        yield return C("A_field_of_a_virtual_reads_back_narrowed",
            "virtualize",
            "[i0]\np1 = new_with_vtable(descr=Node)\nsetfield_gc(p1, i0, descr=small)\ni2 = getfield_gc_i(p1, descr=small)\nfinish(i2)",
            "[i0]\ni2 = int_signext(i0, 4)\nfinish(i2)");
        yield return C("An_item_of_a_uint_array_reads_back_sign_extended",
            "heap",
            "[p0, i0]\nsetarrayitem_gc(p0, 0, i0, descr=uints)\ni1 = getarrayitem_gc_i(p0, 0, descr=uints)\nfinish(i1)",
            "[p0, i0]\ni1 = int_signext(i0, 4)\nsetarrayitem_gc(p0, 0, i1, descr=uints)\nfinish(i1)");
        yield return C("A_value_read_from_a_float_field_is_stored_into_another_as_it_is",
            "heap",
            "[p0, p1]\nf2 = getfield_gc_f(p0, descr=single)\nsetfield_gc(p1, f2, descr=single)\nfinish(f2)",
            "[p0, p1]\nf2 = getfield_gc_f(p0, descr=single)\nsetfield_gc(p1, f2, descr=single)\nfinish(f2)");
        yield return C("A_long_field_keeps_the_whole_value",
            "heap",
            "[p0, i0]\nsetfield_gc(p0, i0, descr=value)\ni1 = getfield_gc_i(p0, descr=value)\nfinish(i1)",
            "[p0, i0]\nsetfield_gc(p0, i0, descr=value)\nfinish(i0)");
    }

    [TestCaseSource(nameof(Cases))]
    public void Narrowing(string passes, string input, string expected) => World.AssertOptimizes(passes, input, expected);

    /// <summary>What the optimized trace computes is what the plain trace computes on the trace interpreter (which
    /// stores through .NET, narrowing), for a value that does not fit.</summary>
    [Test]
    public void The_optimized_trace_reads_what_the_field_really_holds()
    {
        const string text = "[p0, i0]\nsetfield_gc(p0, i0, descr=small)\ni1 = getfield_gc_i(p0, descr=small)\np2 = new_with_vtable(descr=Node)\n"
            + "setfield_gc(p2, i0, descr=small)\ni3 = getfield_gc_i(p2, descr=small)\ni4 = int_add(i1, i3)\nfinish(i4)";
        var trace = TraceParser.Parse(text, World.Names());
        long big = 9223372036854775800;
        var plain = new TraceInterpreter().Run(trace, [new Node(), big]);
        var optimized = new TraceInterpreter().Run(TraceOptimizer.OptimizeLoop(trace, OptimizerOptions.All), [new Node(), big]);
        Assert.That(plain.Values, Is.EqualTo(new object[] { -16L }));
        Assert.That(optimized.Values, Is.EqualTo(plain.Values));
    }

    /// <summary>A <c>float</c> field holds the double rounded to single precision: the heap cache and a virtual give
    /// that back (through an elidable call, folded for a constant).</summary>
    [Test]
    public void A_float_field_reads_back_in_single_precision()
    {
        const string text = "[p0, f0]\nsetfield_gc(p0, f0, descr=single)\nf1 = getfield_gc_f(p0, descr=single)\np2 = new_with_vtable(descr=Node)\n"
            + "setfield_gc(p2, 0.1, descr=single)\nf3 = getfield_gc_f(p2, descr=single)\nf4 = float_add(f1, f3)\nfinish(f4)";
        var trace = TraceParser.Parse(text, World.Names());
        var plain = new TraceInterpreter().Run(trace, [new Node(), 0.3]);
        var opt = TraceOptimizer.OptimizeLoop(trace, OptimizerOptions.All);
        var optimized = new TraceInterpreter().Run(opt, [new Node(), 0.3]);
        Assert.That(plain.Values, Is.EqualTo(new object[] { (double)0.3f + (double)0.1f }));
        Assert.That(optimized.Values, Is.EqualTo(plain.Values));
        Assert.That(opt.Operations.Count(o => o.Num == OpNum.GetfieldGcF), Is.EqualTo(0), "both reads come from what was stored");
        var compiled = new CilBackend().CompileLoop(opt);
        var outcome = CompiledLoopRunner.Run(compiled, DeadFrame.For(compiled, new Node(), 0.3));
        Assert.That(outcome.Values, Is.EqualTo(plain.Values), "compiled");
    }
}
