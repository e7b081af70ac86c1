using MetaJit.Engine.Optimizer;
using MetaJit.Engine.Resume;
using MetaJit.Engine.Trace;
using NUnit.Framework;

namespace MetaJit.Optimizer.Tests;

public class VirtualizeTests
{
    private static TestCaseData C(string name, string input, string expected) => PassCase.Make(name, "virtualize", input, expected);

    public static IEnumerable<TestCaseData> Cases()
    {
        yield return C("An_object_whose_field_is_only_read_back_is_never_allocated",
            "[i0]\np1 = new_with_vtable(descr=Node)\nsetfield_gc(p1, i0, descr=value)\ni2 = getfield_gc_i(p1, descr=value)\nfinish(i2)",
            "[i0]\nfinish(i0)");
        yield return C("An_unset_field_of_a_virtual_reads_as_zero",
            "[]\np1 = new_with_vtable(descr=Node)\ni2 = getfield_gc_i(p1, descr=value)\np3 = getfield_gc_r(p1, descr=next)\nfinish(i2)",
            "[]\nfinish(0)");
        yield return C("A_virtual_returned_by_finish_is_allocated_there",
            "[i0]\np1 = new_with_vtable(descr=Node)\nsetfield_gc(p1, i0, descr=value)\nfinish(p1)",
            "[i0]\np1 = new_with_vtable(descr=Node)\nsetfield_gc(p1, i0, descr=value)\nfinish(p1)");
        yield return C("A_virtual_passed_to_a_call_is_forced_before_the_call",
            "[i0]\np1 = new_with_vtable(descr=Node)\nsetfield_gc(p1, i0, descr=value)\ni5 = int_add(i0, 1)\ncall_n(p1, descr=store)\nguard_no_exception() [i0]\nfinish(i5)",
            "[i0]\ni5 = int_add(i0, 1)\np1 = new_with_vtable(descr=Node)\nsetfield_gc(p1, i0, descr=value)\ncall_n(p1, descr=store)\nguard_no_exception() [i0]\nfinish(i5)");
        yield return C("A_virtual_stored_into_a_real_object_escapes",
            "[p0, i0]\np1 = new_with_vtable(descr=Node)\nsetfield_gc(p1, i0, descr=value)\nsetfield_gc(p0, p1, descr=next)\nfinish(i0)",
            "[p0, i0]\np1 = new_with_vtable(descr=Node)\nsetfield_gc(p1, i0, descr=value)\nsetfield_gc(p0, p1, descr=next)\nfinish(i0)");
        yield return C("A_virtual_stored_into_a_virtual_stays_virtual",
            "[i0]\np1 = new_with_vtable(descr=Node)\np2 = new_with_vtable(descr=Node)\nsetfield_gc(p2, i0, descr=value)\nsetfield_gc(p1, p2, descr=next)\np3 = getfield_gc_r(p1, descr=next)\ni4 = getfield_gc_i(p3, descr=value)\nfinish(i4)",
            "[i0]\nfinish(i0)");
        yield return C("Forcing_a_virtual_forces_the_virtuals_it_holds",
            "[i0]\np1 = new_with_vtable(descr=Node)\np2 = new_with_vtable(descr=Node)\nsetfield_gc(p2, i0, descr=value)\nsetfield_gc(p1, p2, descr=next)\nfinish(p1)",
            "[i0]\np1 = new_with_vtable(descr=Node)\np2 = new_with_vtable(descr=Node)\nsetfield_gc(p2, i0, descr=value)\nsetfield_gc(p1, p2, descr=next)\nfinish(p1)");
        yield return C("A_virtual_in_fail_args_becomes_a_placeholder_and_its_fields",
            "[i0]\np1 = new_with_vtable(descr=Node)\nsetfield_gc(p1, i0, descr=value)\nguard_true(i0) [p1, i0]\nfinish(i0)",
            "[i0]\nguard_true(i0) [NULL, i0]\nfinish(i0)"); // the field's value is i0, already a fail arg: one slot
        yield return C("A_virtual_twice_in_fail_args_gets_one_slot",
            "[i0]\np1 = new_with_vtable(descr=Node)\nsetfield_gc(p1, 3, descr=value)\np2 = same_as_r(p1)\nguard_true(i0) [p1, p2]\nfinish(i0)",
            "[i0]\nguard_true(i0) [NULL, 3]\nfinish(i0)");
        yield return C("A_virtual_array_of_constant_length_is_not_allocated",
            "[i0]\np1 = new_array_clear(3, descr=longs)\nsetarrayitem_gc(p1, 1, i0, descr=longs)\ni2 = getarrayitem_gc_i(p1, 1, descr=longs)\ni3 = arraylen_gc(p1, descr=longs)\ni4 = int_add(i2, i3)\nfinish(i4)",
            "[i0]\ni4 = int_add(i0, 3)\nfinish(i4)");
        yield return C("An_array_item_at_an_unknown_index_forces_the_array",
            "[i0]\np1 = new_array_clear(2, descr=longs)\nsetarrayitem_gc(p1, 1, 7, descr=longs)\ni2 = getarrayitem_gc_i(p1, i0, descr=longs)\nfinish(i2)",
            "[i0]\np1 = new_array_clear(2, descr=longs)\nsetarrayitem_gc(p1, 1, 7, descr=longs)\ni2 = getarrayitem_gc_i(p1, i0, descr=longs)\nfinish(i2)");
        yield return C("An_array_of_unknown_length_is_allocated",
            "[i0]\np1 = new_array_clear(i0, descr=longs)\nsetarrayitem_gc(p1, 0, 7, descr=longs)\nfinish(p1)",
            "[i0]\np1 = new_array_clear(i0, descr=longs)\nsetarrayitem_gc(p1, 0, 7, descr=longs)\nfinish(p1)");
        yield return C("Ptr_eq_of_a_virtual_and_another_object_is_false",
            "[p0]\np1 = new_with_vtable(descr=Node)\ni2 = ptr_eq(p1, p0)\ni3 = ptr_ne(p1, p1)\ni4 = int_add(i2, i3)\nfinish(i4)",
            "[p0]\ni4 = int_add(0, 0)\nfinish(i4)");
        yield return C("Guard_class_of_a_virtual_is_removed",
            "[]\np1 = new_with_vtable(descr=Node)\nguard_nonnull(p1) []\nguard_class(p1, ConstClass(Node)) []\nfinish(0)",
            "[]\nfinish(0)");
        yield return C("A_virtual_written_twice_keeps_the_last_value",
            "[i0]\np1 = new_with_vtable(descr=Node)\nsetfield_gc(p1, 1, descr=value)\nsetfield_gc(p1, i0, descr=value)\nfinish(p1)",
            "[i0]\np1 = new_with_vtable(descr=Node)\nsetfield_gc(p1, i0, descr=value)\nfinish(p1)");
        yield return C("Fields_of_a_forced_object_are_read_from_memory_afterwards",
            "[i0]\np1 = new_with_vtable(descr=Node)\ncall_n(p1, descr=store)\nguard_no_exception() []\ni2 = getfield_gc_i(p1, descr=value)\nfinish(i2)",
            "[i0]\np1 = new_with_vtable(descr=Node)\ncall_n(p1, descr=store)\nguard_no_exception() []\ni2 = getfield_gc_i(p1, descr=value)\nfinish(i2)");
        yield return C("A_nested_virtual_in_fail_args_is_described_by_two_recipes",
            "[i0]\np1 = new_with_vtable(descr=Node)\np2 = new_with_vtable(descr=Node)\nsetfield_gc(p2, i0, descr=value)\nsetfield_gc(p1, p2, descr=next)\nguard_true(i0) [p1]\nfinish(i0)",
            "[i0]\nguard_true(i0) [NULL, NULL, i0]\nfinish(i0)");
        yield return C("A_virtual_array_in_fail_args_lists_its_items",
            "[i0]\np1 = new_array_clear(2, descr=longs)\nsetarrayitem_gc(p1, 0, i0, descr=longs)\nguard_true(i0) [p1]\nfinish(i0)",
            "[i0]\nguard_true(i0) [NULL, i0, 0]\nfinish(i0)");
        yield return C("A_guard_value_on_a_virtual_forces_it",
            "[]\np1 = new_with_vtable(descr=Node)\nguard_value(p1, ConstPtr(someNode)) []\nfinish(0)",
            "[]\np1 = new_with_vtable(descr=Node)\nguard_value(p1, ConstPtr(someNode)) []\nfinish(0)");
        yield return C("A_cycle_of_virtuals_is_forced_once",
            "[]\np1 = new_with_vtable(descr=Node)\np2 = new_with_vtable(descr=Node)\nsetfield_gc(p1, p2, descr=next)\nsetfield_gc(p2, p1, descr=next)\nfinish(p1)",
            "[]\np1 = new_with_vtable(descr=Node)\np2 = new_with_vtable(descr=Node)\nsetfield_gc(p2, p1, descr=next)\nsetfield_gc(p1, p2, descr=next)\nfinish(p1)");
    }

    [TestCaseSource(nameof(Cases))]
    public void Virtualize(string passes, string input, string expected) => World.AssertOptimizes(passes, input, expected);

    [Test]
    public void The_recipe_of_a_virtual_fail_arg_rebuilds_the_object_with_its_fields()
    {
        var ns = World.Names();
        var trace = TraceParser.Parse("[i0]\np1 = new_with_vtable(descr=Node)\nsetfield_gc(p1, i0, descr=value)\np2 = new_with_vtable(descr=Node)\nsetfield_gc(p2, p1, descr=next)\nguard_false(i0) [p2, p1]\nfinish(i0)", ns);
        var opt = TraceOptimizer.OptimizeLoop(trace, OptimizerOptions.All);
        var result = new TraceInterpreter().Run(opt, 42L);
        Assert.That(result.Kind, Is.EqualTo(TraceExitKind.GuardFailed));
        var data = (ResumeData)result.Guard!.ResumeData!;
        var rebuilt = Materializer.Rebuild(data, result.Values, 2);
        var outer = (Node)rebuilt[0]!;
        Assert.That(outer.Next, Is.SameAs(rebuilt[1]));
        Assert.That(outer.Next!.Value, Is.EqualTo(42));
    }
}
