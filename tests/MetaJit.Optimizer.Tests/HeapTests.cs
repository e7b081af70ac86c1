using NUnit.Framework;

namespace MetaJit.Optimizer.Tests;

public class HeapTests
{
    private static TestCaseData C(string name, string input, string expected) => PassCase.Make(name, "heap", input, expected);

    public static IEnumerable<TestCaseData> Cases()
    {
        yield return C("Quasi_immutable_markers_are_dropped_and_a_repeated_guard_not_invalidated_goes",
            "[p0]\nquasiimmut_field(ConstPtr(someNode), descr=version)\nguard_not_invalidated() [p0]\ni1 = getfield_gc_i(p0, descr=value)\n"
            + "quasiimmut_field(ConstPtr(someNode), descr=version)\nguard_not_invalidated() [p0, i1]\nfinish(i1)",
            "[p0]\nguard_not_invalidated() [p0]\ni1 = getfield_gc_i(p0, descr=value)\nfinish(i1)");
        yield return C("A_call_that_may_invalidate_keeps_the_next_guard_not_invalidated",
            "[p0]\nquasiimmut_field(ConstPtr(someNode), descr=version)\nguard_not_invalidated() [p0]\ncall_n(p0, descr=writeNothing)\n"
            + "quasiimmut_field(ConstPtr(someNode), descr=version)\nguard_not_invalidated() [p0]\nfinish(p0)",
            "[p0]\nguard_not_invalidated() [p0]\ncall_n(p0, descr=writeNothing)\nguard_not_invalidated() [p0]\nfinish(p0)");
        yield return C("A_call_that_cannot_invalidate_lets_the_next_guard_not_invalidated_go",
            "[p0, i0]\nguard_not_invalidated() [p0]\ni1 = call_i(i0, descr=double)\nguard_not_invalidated() [p0, i1]\nfinish(i1)",
            "[p0, i0]\nguard_not_invalidated() [p0]\ni1 = call_i(i0, descr=double)\nfinish(i1)");
        yield return C("Each_loop_iteration_checks_guard_not_invalidated_once",
            "[p0, i0]\nguard_not_invalidated() [p0]\nlabel(p0, i0, descr=body)\nguard_not_invalidated() [p0]\ni1 = getfield_gc_i(p0, descr=value)\n"
            + "guard_not_invalidated() [p0, i1]\njump(p0, i1, descr=body)",
            "[p0, i0]\nguard_not_invalidated() [p0]\nlabel(p0, i0, descr=body)\nguard_not_invalidated() [p0]\ni1 = getfield_gc_i(p0, descr=value)\njump(p0, i1, descr=body)");
        // Fields of constant objects (an interpreter's global cells, say): the constant is the object, however many
        // ConstPtrs the trace has for it; two different constant objects are never the same object.
        yield return C("A_field_of_a_constant_object_read_twice_is_read_once",
            "[]\ni1 = getfield_gc_i(ConstPtr(someNode), descr=value)\ni2 = getfield_gc_i(ConstPtr(someNode), descr=value)\ni3 = int_add(i1, i2)\nfinish(i3)",
            "[]\ni1 = getfield_gc_i(ConstPtr(someNode), descr=value)\ni3 = int_add(i1, i1)\nfinish(i3)");
        yield return C("A_write_to_another_constant_object_keeps_a_constant_objects_field",
            "[i0]\ni1 = getfield_gc_i(ConstPtr(someNode), descr=value)\nsetfield_gc(ConstPtr(otherNode), i0, descr=value)\ni2 = getfield_gc_i(ConstPtr(someNode), descr=value)\ni3 = getfield_gc_i(ConstPtr(otherNode), descr=value)\ni4 = int_add(i2, i3)\nfinish(i4)",
            "[i0]\ni1 = getfield_gc_i(ConstPtr(someNode), descr=value)\ni4 = int_add(i1, i0)\nsetfield_gc(ConstPtr(otherNode), i0, descr=value)\nfinish(i4)");
        yield return C("A_write_to_a_new_object_keeps_a_constant_objects_field",
            "[i0]\ni1 = getfield_gc_i(ConstPtr(someNode), descr=value)\np2 = new_with_vtable(descr=Node)\nsetfield_gc(p2, i0, descr=value)\ni3 = getfield_gc_i(ConstPtr(someNode), descr=value)\ncall_n(p2, descr=store)\nfinish(i3)",
            "[i0]\ni1 = getfield_gc_i(ConstPtr(someNode), descr=value)\np2 = new_with_vtable(descr=Node)\nsetfield_gc(p2, i0, descr=value)\ncall_n(p2, descr=store)\nfinish(i1)");
        yield return C("A_write_to_an_object_that_may_be_the_constant_one_forgets_its_field",
            "[p0, i0]\ni1 = getfield_gc_i(ConstPtr(someNode), descr=value)\nsetfield_gc(p0, i0, descr=value)\ni2 = getfield_gc_i(ConstPtr(someNode), descr=value)\ni3 = int_add(i1, i2)\nfinish(i3)",
            "[p0, i0]\ni1 = getfield_gc_i(ConstPtr(someNode), descr=value)\nsetfield_gc(p0, i0, descr=value)\ni2 = getfield_gc_i(ConstPtr(someNode), descr=value)\ni3 = int_add(i1, i2)\nfinish(i3)");
        yield return C("A_write_to_a_constant_object_forgets_the_field_of_objects_that_may_be_it",
            "[p0, i0]\ni1 = getfield_gc_i(p0, descr=value)\nsetfield_gc(ConstPtr(someNode), i0, descr=value)\ni2 = getfield_gc_i(p0, descr=value)\ni3 = int_add(i1, i2)\nfinish(i3)",
            "[p0, i0]\ni1 = getfield_gc_i(p0, descr=value)\nsetfield_gc(ConstPtr(someNode), i0, descr=value)\ni2 = getfield_gc_i(p0, descr=value)\ni3 = int_add(i1, i2)\nfinish(i3)");
        yield return C("A_second_read_of_the_same_field_is_the_first",
            "[p0]\ni1 = getfield_gc_i(p0, descr=value)\ni2 = getfield_gc_i(p0, descr=value)\ni3 = int_add(i1, i2)\nfinish(i3)",
            "[p0]\ni1 = getfield_gc_i(p0, descr=value)\ni3 = int_add(i1, i1)\nfinish(i3)");
        yield return C("A_read_after_a_write_is_the_written_value",
            "[p0, i0]\nsetfield_gc(p0, i0, descr=value)\ni1 = getfield_gc_i(p0, descr=value)\nfinish(i1)",
            "[p0, i0]\nsetfield_gc(p0, i0, descr=value)\nfinish(i0)");
        yield return C("Reads_of_another_field_are_not_confused",
            "[p0]\ni1 = getfield_gc_i(p0, descr=value)\ni2 = getfield_gc_i(p0, descr=small)\ni3 = int_add(i1, i2)\nfinish(i3)",
            "[p0]\ni1 = getfield_gc_i(p0, descr=value)\ni2 = getfield_gc_i(p0, descr=small)\ni3 = int_add(i1, i2)\nfinish(i3)");
        yield return C("A_write_to_another_object_of_unknown_identity_invalidates_the_field",
            "[p0, p1]\ni1 = getfield_gc_i(p0, descr=value)\nsetfield_gc(p1, 5, descr=value)\ni2 = getfield_gc_i(p0, descr=value)\ni9 = int_add(i1, i2)\nfinish(i9)",
            "[p0, p1]\ni1 = getfield_gc_i(p0, descr=value)\nsetfield_gc(p1, 5, descr=value)\ni2 = getfield_gc_i(p0, descr=value)\ni9 = int_add(i1, i2)\nfinish(i9)");
        yield return C("A_write_to_another_field_keeps_the_cached_read",
            "[p0, p1]\ni1 = getfield_gc_i(p0, descr=value)\nsetfield_gc(p1, 5, descr=small)\ni2 = getfield_gc_i(p0, descr=value)\nfinish(i2)",
            "[p0, p1]\ni1 = getfield_gc_i(p0, descr=value)\nsetfield_gc(p1, 5, descr=small)\nfinish(i1)");
        yield return C("An_opaque_call_invalidates_cached_fields",
            "[p0]\ni1 = getfield_gc_i(p0, descr=value)\ni2 = call_i(i1, descr=opaque)\nguard_no_exception() []\ni3 = getfield_gc_i(p0, descr=value)\nfinish(i3)",
            "[p0]\ni1 = getfield_gc_i(p0, descr=value)\ni2 = call_i(i1, descr=opaque)\nguard_no_exception() []\ni3 = getfield_gc_i(p0, descr=value)\nfinish(i3)");
        yield return C("A_call_that_may_write_the_field_per_its_effect_info_invalidates_it",
            "[p0]\ni1 = getfield_gc_i(p0, descr=value)\ncall_n(p0, 3, descr=writeValue)\ni3 = getfield_gc_i(p0, descr=value)\ni9 = int_add(i1, i3)\nfinish(i9)",
            "[p0]\ni1 = getfield_gc_i(p0, descr=value)\ncall_n(p0, 3, descr=writeValue)\ni3 = getfield_gc_i(p0, descr=value)\ni9 = int_add(i1, i3)\nfinish(i9)");
        yield return C("A_call_that_writes_other_fields_keeps_the_cache",
            "[p0]\ni1 = getfield_gc_i(p0, descr=small)\ncall_n(p0, 3, descr=writeValue)\ni3 = getfield_gc_i(p0, descr=small)\nfinish(i3)",
            "[p0]\ni1 = getfield_gc_i(p0, descr=small)\ncall_n(p0, 3, descr=writeValue)\nfinish(i1)");
        yield return C("A_call_writing_nothing_keeps_the_cache",
            "[p0]\ni1 = getfield_gc_i(p0, descr=value)\ncall_n(p0, descr=writeNothing)\ni3 = getfield_gc_i(p0, descr=value)\nfinish(i3)",
            "[p0]\ni1 = getfield_gc_i(p0, descr=value)\ncall_n(p0, descr=writeNothing)\nfinish(i1)");
        yield return C("Immutable_fields_survive_opaque_calls",
            "[p0]\ni1 = getfield_gc_i(p0, descr=id)\ni2 = call_i(i1, descr=opaque)\nguard_no_exception() []\ni3 = getfield_gc_i(p0, descr=id)\nfinish(i3)",
            "[p0]\ni1 = getfield_gc_i(p0, descr=id)\ni2 = call_i(i1, descr=opaque)\nguard_no_exception() []\nfinish(i1)");
        yield return PassCase.Make("A_read_of_an_immutable_field_of_an_object_that_became_constant_is_folded", "rewrite:heap",
            "[p0]\nguard_value(p0, ConstPtr(someNode)) []\ni1 = getfield_gc_i(p0, descr=id)\nfinish(i1)",
            "[p0]\nguard_value(p0, ConstPtr(someNode)) []\nfinish(7)");
        yield return PassCase.Make("A_read_of_a_mutable_field_of_a_constant_object_is_not_folded", "rewrite:heap",
            "[p0]\nguard_value(p0, ConstPtr(someNode)) []\ni1 = getfield_gc_i(p0, descr=value)\nfinish(i1)",
            "[p0]\nguard_value(p0, ConstPtr(someNode)) []\ni1 = getfield_gc_i(ConstPtr(someNode), descr=value)\nfinish(i1)");
        yield return PassCase.Make("A_read_of_an_immutable_field_of_a_constant_of_another_class_is_not_folded", "rewrite:heap",
            "[]\ni1 = getfield_gc_i(ConstPtr(someString), descr=id)\nfinish(i1)",
            "[]\ni1 = getfield_gc_i(ConstPtr(someString), descr=id)\nfinish(i1)");
        yield return C("A_write_to_one_allocation_keeps_what_is_known_of_another",
            "[p0, i0, i1]\np1 = new_with_vtable(descr=Node)\np2 = new_with_vtable(descr=Node)\nsetfield_gc(p1, i0, descr=value)\n"
            + "setfield_gc(p2, i1, descr=value)\ncall_n(p1, descr=writeNothing)\ncall_n(p2, descr=writeNothing)\ni2 = getfield_gc_i(p1, descr=value)\nfinish(i2)",
            "[p0, i0, i1]\np1 = new_with_vtable(descr=Node)\np2 = new_with_vtable(descr=Node)\nsetfield_gc(p1, i0, descr=value)\n"
            + "setfield_gc(p2, i1, descr=value)\ncall_n(p1, descr=writeNothing)\ncall_n(p2, descr=writeNothing)\nfinish(i0)");
        yield return C("A_write_through_a_value_that_may_be_an_escaped_allocation_invalidates_it",
            "[p0, p5, i0, i1]\np1 = new_with_vtable(descr=Node)\nsetfield_gc(p1, i0, descr=value)\nsetfield_gc(p0, p1, descr=next)\n"
            + "p3 = getfield_gc_r(p5, descr=next)\nsetfield_gc(p3, i1, descr=value)\ni2 = getfield_gc_i(p1, descr=value)\nfinish(i2)",
            "[p0, p5, i0, i1]\np1 = new_with_vtable(descr=Node)\nsetfield_gc(p0, p1, descr=next)\np3 = getfield_gc_r(p5, descr=next)\n"
            + "setfield_gc(p1, i0, descr=value)\nsetfield_gc(p3, i1, descr=value)\ni2 = getfield_gc_i(p1, descr=value)\nfinish(i2)");
        yield return C("Two_writes_to_the_same_field_merge_into_the_last",
            "[p0, i0]\nsetfield_gc(p0, 1, descr=value)\nsetfield_gc(p0, i0, descr=value)\nfinish(i0)",
            "[p0, i0]\nsetfield_gc(p0, i0, descr=value)\nfinish(i0)");
        yield return C("Writing_the_value_just_read_is_removed",
            "[p0]\ni1 = getfield_gc_i(p0, descr=value)\nsetfield_gc(p0, i1, descr=value)\nfinish(i1)",
            "[p0]\ni1 = getfield_gc_i(p0, descr=value)\nfinish(i1)");
        yield return C("A_lazy_write_is_flushed_before_a_guard",
            "[p0, i0]\nsetfield_gc(p0, i0, descr=value)\nguard_true(i0) [p0]\nsetfield_gc(p0, 2, descr=value)\nfinish(i0)",
            "[p0, i0]\nsetfield_gc(p0, i0, descr=value)\nguard_true(i0) [p0]\nsetfield_gc(p0, 2, descr=value)\nfinish(i0)");
        yield return C("A_lazy_write_is_flushed_before_a_call_and_the_call_stays_next_to_its_guard",
            "[p0, i0]\nsetfield_gc(p0, i0, descr=value)\ni2 = call_i(i0, descr=opaque)\nguard_no_exception() []\nfinish(i2)",
            "[p0, i0]\nsetfield_gc(p0, i0, descr=value)\ni2 = call_i(i0, descr=opaque)\nguard_no_exception() []\nfinish(i2)");
        yield return PassCase.Make("An_elidable_call_does_not_see_held_back_writes_into_objects_it_is_not_given", "rewrite:heap",
            "[p0, p1, i0]\nguard_class(p0, ConstClass(Other)) []\nguard_class(p1, ConstClass(Node)) []\nsetfield_gc(p0, i0, descr=ovalue)\n"
            + "i2 = call_i(p1, descr=valueOf)\nsetfield_gc(p0, i2, descr=ovalue)\nfinish(i2)",
            "[p0, p1, i0]\nguard_class(p0, ConstClass(Other)) []\nguard_class(p1, ConstClass(Node)) []\n"
            + "i2 = call_i(p1, descr=valueOf)\nsetfield_gc(p0, i2, descr=ovalue)\nfinish(i2)");
        yield return C("An_elidable_call_sees_the_held_back_writes_into_its_arguments",
            "[p0, i0]\nsetfield_gc(p0, i0, descr=value)\ni2 = call_i(p0, descr=valueOf)\nsetfield_gc(p0, 2, descr=value)\nfinish(i2)",
            "[p0, i0]\nsetfield_gc(p0, i0, descr=value)\ni2 = call_i(p0, descr=valueOf)\nsetfield_gc(p0, 2, descr=value)\nfinish(i2)");
        yield return C("An_elidable_call_sees_held_back_writes_into_objects_that_may_be_its_arguments",
            "[p0, p1, i0]\nsetfield_gc(p0, i0, descr=value)\ni2 = call_i(p1, descr=valueOf)\nsetfield_gc(p0, 2, descr=value)\nfinish(i2)",
            "[p0, p1, i0]\nsetfield_gc(p0, i0, descr=value)\ni2 = call_i(p1, descr=valueOf)\nsetfield_gc(p0, 2, descr=value)\nfinish(i2)");
        yield return C("Aliasing_writes_keep_their_order",
            "[p0, p1]\nsetfield_gc(p0, 1, descr=value)\nsetfield_gc(p1, 2, descr=value)\nsetfield_gc(p0, 3, descr=value)\nfinish(0)",
            "[p0, p1]\nsetfield_gc(p0, 1, descr=value)\nsetfield_gc(p1, 2, descr=value)\nsetfield_gc(p0, 3, descr=value)\nfinish(0)");
        yield return C("A_read_of_a_field_with_a_pending_write_elsewhere_flushes_it_first",
            "[p0, p1]\nsetfield_gc(p0, 1, descr=value)\ni2 = getfield_gc_i(p1, descr=value)\nfinish(i2)",
            "[p0, p1]\nsetfield_gc(p0, 1, descr=value)\ni2 = getfield_gc_i(p1, descr=value)\nfinish(i2)");
        yield return C("An_array_item_read_twice_is_read_once",
            "[p0, i0]\ni1 = getarrayitem_gc_i(p0, i0, descr=longs)\ni2 = getarrayitem_gc_i(p0, i0, descr=longs)\ni3 = int_add(i1, i2)\nfinish(i3)",
            "[p0, i0]\ni1 = getarrayitem_gc_i(p0, i0, descr=longs)\ni3 = int_add(i1, i1)\nfinish(i3)");
        yield return C("An_array_write_at_another_constant_index_keeps_the_item",
            "[p0]\ni1 = getarrayitem_gc_i(p0, 0, descr=longs)\nsetarrayitem_gc(p0, 1, 5, descr=longs)\ni2 = getarrayitem_gc_i(p0, 0, descr=longs)\nfinish(i2)",
            "[p0]\ni1 = getarrayitem_gc_i(p0, 0, descr=longs)\nsetarrayitem_gc(p0, 1, 5, descr=longs)\nfinish(i1)");
        yield return C("An_array_write_at_an_unknown_index_invalidates_items",
            "[p0, i0]\ni1 = getarrayitem_gc_i(p0, 0, descr=longs)\nsetarrayitem_gc(p0, i0, 5, descr=longs)\ni2 = getarrayitem_gc_i(p0, 0, descr=longs)\ni9 = int_add(i1, i2)\nfinish(i9)",
            "[p0, i0]\ni1 = getarrayitem_gc_i(p0, 0, descr=longs)\nsetarrayitem_gc(p0, i0, 5, descr=longs)\ni2 = getarrayitem_gc_i(p0, 0, descr=longs)\ni9 = int_add(i1, i2)\nfinish(i9)");
        yield return C("An_array_length_is_read_once_even_across_calls",
            "[p0]\ni1 = arraylen_gc(p0, descr=longs)\ni2 = call_i(i1, descr=opaque)\nguard_no_exception() []\ni3 = arraylen_gc(p0, descr=longs)\nfinish(i3)",
            "[p0]\ni1 = arraylen_gc(p0, descr=longs)\ni2 = call_i(i1, descr=opaque)\nguard_no_exception() []\nfinish(i1)");
        yield return C("A_lazy_write_stays_held_back_past_a_call_that_reads_no_heap_and_merges",
            "[p0, i0]\nsetfield_gc(p0, i0, descr=value)\ni1 = call_i(i0, descr=double)\nsetfield_gc(p0, i1, descr=value)\nfinish(i1)",
            "[p0, i0]\ni1 = call_i(i0, descr=double)\nsetfield_gc(p0, i1, descr=value)\nfinish(i1)");
        yield return C("A_lazy_write_is_flushed_before_a_call_that_may_write_the_field",
            "[p0, i0]\nsetfield_gc(p0, i0, descr=value)\nsetfield_gc(p0, i0, descr=small)\ncall_n(3, descr=setRemembered)\nfinish(i0)",
            // (i0 may not fit the int field small: what it stores, and what a read would give, is its low half)
            "[p0, i0]\ni1 = int_signext(i0, 4)\nsetfield_gc(p0, i0, descr=value)\ncall_n(3, descr=setRemembered)\nsetfield_gc(p0, i1, descr=small)\nfinish(i0)");
        yield return C("A_pending_write_is_flushed_at_finish",
            "[p0]\nsetfield_gc(p0, 9, descr=value)\nfinish(0)",
            "[p0]\nsetfield_gc(p0, 9, descr=value)\nfinish(0)");
        // An allocation is newer than every value defined before it (inputs, reads made earlier): a store into it
        // cannot reach them. A value read after it may be it (it may have escaped and come back).
        yield return C("A_write_to_a_new_object_keeps_the_field_of_an_input",
            "[p0, i0]\ni1 = getfield_gc_i(p0, descr=value)\np2 = new_with_vtable(descr=Node)\nsetfield_gc(p2, i0, descr=value)\ni3 = getfield_gc_i(p0, descr=value)\ncall_n(p2, descr=store)\nfinish(i3)",
            "[p0, i0]\ni1 = getfield_gc_i(p0, descr=value)\np2 = new_with_vtable(descr=Node)\nsetfield_gc(p2, i0, descr=value)\ncall_n(p2, descr=store)\nfinish(i1)");
        yield return C("A_write_to_a_new_object_keeps_the_field_of_a_value_read_before_it_was_made",
            "[p0]\np1 = getfield_gc_r(p0, descr=next)\ni1 = getfield_gc_i(p1, descr=value)\np2 = new_with_vtable(descr=Node)\nsetfield_gc(p2, 3, descr=value)\ni3 = getfield_gc_i(p1, descr=value)\ncall_n(p2, descr=store)\nfinish(i3)",
            "[p0]\np1 = getfield_gc_r(p0, descr=next)\ni1 = getfield_gc_i(p1, descr=value)\np2 = new_with_vtable(descr=Node)\nsetfield_gc(p2, 3, descr=value)\ncall_n(p2, descr=store)\nfinish(i1)");
        yield return C("A_write_to_a_new_object_forgets_the_field_of_a_value_read_after_it_was_made",
            "[p0, p1]\np2 = new_with_vtable(descr=Node)\nsetfield_gc(p0, p2, descr=next)\np3 = getfield_gc_r(p1, descr=next)\ni4 = getfield_gc_i(p3, descr=value)\nsetfield_gc(p2, 9, descr=value)\ni5 = getfield_gc_i(p3, descr=value)\ni6 = int_add(i4, i5)\nfinish(i6)",
            "[p0, p1]\np2 = new_with_vtable(descr=Node)\nsetfield_gc(p0, p2, descr=next)\np3 = getfield_gc_r(p1, descr=next)\ni4 = getfield_gc_i(p3, descr=value)\nsetfield_gc(p2, 9, descr=value)\ni5 = getfield_gc_i(p3, descr=value)\ni6 = int_add(i4, i5)\nfinish(i6)");
        yield return C("A_store_into_a_new_array_keeps_an_item_of_an_input_array",
            "[p0, i0]\ni1 = getarrayitem_gc_i(p0, i0, descr=longs)\np2 = new_array_clear(3, descr=longs)\nsetarrayitem_gc(p2, i0, 5, descr=longs)\ni3 = getarrayitem_gc_i(p0, i0, descr=longs)\nfinish(i3)",
            "[p0, i0]\ni1 = getarrayitem_gc_i(p0, i0, descr=longs)\np2 = new_array_clear(3, descr=longs)\nsetarrayitem_gc(p2, i0, 5, descr=longs)\nfinish(i1)");
    }

    [TestCaseSource(nameof(Cases))]
    public void Heap(string passes, string input, string expected) => World.AssertOptimizes(passes, input, expected);
}
