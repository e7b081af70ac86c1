using NUnit.Framework;

namespace MetaJit.Optimizer.Tests;

/// <summary>
/// The heap pass keeps <c>setarrayitem_gc</c> lazy per (array, index), like setfields: merged when the same item
/// is written again, read back without a load, emitted only when something may observe it (an access that may
/// touch the same item, a call that may read or write it, a label, jump or finish). Trace in, trace out.
/// </summary>
public class LazyItemsTests
{
    private static TestCaseData C(string name, string input, string expected, string passes = "heap") => PassCase.Make(name, passes, input, expected);

    public static IEnumerable<TestCaseData> Cases()
    {
        yield return C("Two_stores_to_one_constant_index_merge_into_the_last",
            "[p0, i0]\nsetarrayitem_gc(p0, 1, 5, descr=longs)\nsetarrayitem_gc(p0, 1, i0, descr=longs)\nfinish(i0)",
            "[p0, i0]\nsetarrayitem_gc(p0, 1, i0, descr=longs)\nfinish(i0)");
        yield return C("A_store_is_held_back_past_other_work_and_read_back_without_a_load",
            "[p0, i0]\nsetarrayitem_gc(p0, 2, i0, descr=longs)\ni1 = int_add(i0, 1)\ni2 = getarrayitem_gc_i(p0, 2, descr=longs)\ni3 = int_add(i1, i2)\nfinish(i3)",
            "[p0, i0]\ni1 = int_add(i0, 1)\ni3 = int_add(i1, i0)\nsetarrayitem_gc(p0, 2, i0, descr=longs)\nfinish(i3)");
        yield return C("Stores_to_one_index_value_merge_and_read_back",
            "[p0, i0, i1]\nsetarrayitem_gc(p0, i1, 5, descr=longs)\nsetarrayitem_gc(p0, i1, i0, descr=longs)\ni2 = getarrayitem_gc_i(p0, i1, descr=longs)\nfinish(i2)",
            "[p0, i0, i1]\nsetarrayitem_gc(p0, i1, i0, descr=longs)\nfinish(i0)");
        yield return C("A_read_of_another_constant_index_does_not_emit_the_store",
            "[p0, i0]\nsetarrayitem_gc(p0, 0, i0, descr=longs)\ni2 = getarrayitem_gc_i(p0, 1, descr=longs)\nsetarrayitem_gc(p0, 0, i2, descr=longs)\nfinish(i2)",
            "[p0, i0]\ni2 = getarrayitem_gc_i(p0, 1, descr=longs)\nsetarrayitem_gc(p0, 0, i2, descr=longs)\nfinish(i2)");
        yield return C("A_read_through_another_array_of_the_descr_at_an_unknown_index_emits_the_store_first",
            "[p0, p1, i0, i1]\nsetarrayitem_gc(p0, 0, i0, descr=longs)\ni2 = getarrayitem_gc_i(p1, i1, descr=longs)\nsetarrayitem_gc(p0, 0, i2, descr=longs)\nfinish(i2)",
            "[p0, p1, i0, i1]\nsetarrayitem_gc(p0, 0, i0, descr=longs)\ni2 = getarrayitem_gc_i(p1, i1, descr=longs)\nsetarrayitem_gc(p0, 0, i2, descr=longs)\nfinish(i2)");
        yield return C("A_read_of_another_constant_index_of_another_array_keeps_the_store",
            "[p0, p1, i0]\nsetarrayitem_gc(p0, 0, i0, descr=longs)\ni2 = getarrayitem_gc_i(p1, 1, descr=longs)\nsetarrayitem_gc(p0, 0, i2, descr=longs)\nfinish(i2)",
            "[p0, p1, i0]\ni2 = getarrayitem_gc_i(p1, 1, descr=longs)\nsetarrayitem_gc(p0, 0, i2, descr=longs)\nfinish(i2)");
        yield return C("A_store_at_an_unknown_index_then_a_constant_index_read_keeps_both_stores_and_the_load",
            "[p0, i0, i1]\nsetarrayitem_gc(p0, 0, i0, descr=longs)\nsetarrayitem_gc(p0, i1, 7, descr=longs)\ni2 = getarrayitem_gc_i(p0, 0, descr=longs)\nfinish(i2)",
            "[p0, i0, i1]\nsetarrayitem_gc(p0, 0, i0, descr=longs)\nsetarrayitem_gc(p0, i1, 7, descr=longs)\ni2 = getarrayitem_gc_i(p0, 0, descr=longs)\nfinish(i2)");
        yield return C("An_index_whose_known_range_excludes_the_read_keeps_the_store_held_back",
            "[p0, i0, i1]\ni2 = int_and(i1, 3)\nsetarrayitem_gc(p0, i2, i0, descr=longs)\ni3 = getarrayitem_gc_i(p0, 5, descr=longs)\nfinish(i3)",
            "[p0, i0, i1]\ni2 = int_and(i1, 3)\ni3 = getarrayitem_gc_i(p0, 5, descr=longs)\nsetarrayitem_gc(p0, i2, i0, descr=longs)\nfinish(i3)",
            "intbounds:heap");
        yield return C("An_index_plus_a_constant_is_another_item_so_the_store_stays_held_back",
            "[p0, i0, i1]\nsetarrayitem_gc(p0, i1, i0, descr=longs)\ni2 = int_add(i1, 1)\ni3 = getarrayitem_gc_i(p0, i2, descr=longs)\ni4 = int_sub(i2, 1)\nsetarrayitem_gc(p0, i4, i3, descr=longs)\nfinish(i3)",
            "[p0, i0, i1]\ni2 = int_add(i1, 1)\ni3 = getarrayitem_gc_i(p0, i2, descr=longs)\ni4 = int_sub(i2, 1)\nsetarrayitem_gc(p0, i4, i3, descr=longs)\nfinish(i3)");
        yield return C("An_index_plus_a_constant_may_be_any_other_value",
            "[p0, i0, i1, i5]\nsetarrayitem_gc(p0, i1, i0, descr=longs)\ni2 = int_add(i5, 1)\ni3 = getarrayitem_gc_i(p0, i2, descr=longs)\nfinish(i3)",
            "[p0, i0, i1, i5]\ni2 = int_add(i5, 1)\nsetarrayitem_gc(p0, i1, i0, descr=longs)\ni3 = getarrayitem_gc_i(p0, i2, descr=longs)\nfinish(i3)");
        yield return C("A_read_through_another_array_at_the_same_index_computed_another_way_emits_the_store_first",
            "[p0, p1, i0, i1]\nsetarrayitem_gc(p0, i1, i0, descr=longs)\ni2 = int_add(i1, 2)\ni3 = int_sub(i2, 2)\ni4 = getarrayitem_gc_i(p1, i3, descr=longs)\nfinish(i4)",
            "[p0, p1, i0, i1]\ni2 = int_add(i1, 2)\ni3 = int_sub(i2, 2)\nsetarrayitem_gc(p0, i1, i0, descr=longs)\ni4 = getarrayitem_gc_i(p1, i3, descr=longs)\nfinish(i4)");
        yield return C("A_call_that_may_write_arrays_of_the_descr_gets_the_store_first",
            "[p0, i0]\nsetarrayitem_gc(p0, 0, i0, descr=longs)\ncall_n(descr=clearScratch)\nsetarrayitem_gc(p0, 1, i0, descr=longs)\nfinish(i0)",
            "[p0, i0]\nsetarrayitem_gc(p0, 0, i0, descr=longs)\ncall_n(descr=clearScratch)\nsetarrayitem_gc(p0, 1, i0, descr=longs)\nfinish(i0)");
        yield return C("A_call_given_the_array_gets_the_store_first",
            "[p0, i0]\nsetarrayitem_gc(p0, 0, i0, descr=longs)\ni1 = call_i(p0, descr=firstItem)\nguard_no_exception() []\nfinish(i1)",
            "[p0, i0]\nsetarrayitem_gc(p0, 0, i0, descr=longs)\ni1 = call_i(p0, descr=firstItem)\nguard_no_exception() []\nfinish(i1)");
        yield return C("A_call_that_reads_the_heap_gets_every_store_first",
            "[p0, i0]\nsetarrayitem_gc(p0, 0, i0, descr=longs)\ni1 = call_i(i0, descr=opaque)\nguard_no_exception() []\nfinish(i1)",
            "[p0, i0]\nsetarrayitem_gc(p0, 0, i0, descr=longs)\ni1 = call_i(i0, descr=opaque)\nguard_no_exception() []\nfinish(i1)");
        yield return C("A_pure_call_that_reads_no_heap_lets_the_store_through_and_it_merges",
            "[p0, i0]\nsetarrayitem_gc(p0, 0, i0, descr=longs)\ni1 = call_i(i0, descr=double)\nsetarrayitem_gc(p0, 0, i1, descr=longs)\nfinish(i1)",
            "[p0, i0]\ni1 = call_i(i0, descr=double)\nsetarrayitem_gc(p0, 0, i1, descr=longs)\nfinish(i1)");
        yield return C("A_call_given_another_array_of_another_class_lets_the_store_through",
            "[p0, p1, i0]\nguard_class(p0, ConstClass(Node)) []\nsetarrayitem_gc(p1, 0, i0, descr=longs)\ni1 = call_i(p0, descr=firstItem)\nguard_no_exception() []\nsetarrayitem_gc(p1, 0, i1, descr=longs)\nfinish(i1)",
            "[p0, p1, i0]\nguard_class(p0, ConstClass(Node)) []\ni1 = call_i(p0, descr=firstItem)\nguard_no_exception() [p1, i0]\nsetarrayitem_gc(p1, 0, i1, descr=longs)\nfinish(i1)",
            "rewrite:heap");
        yield return C("A_store_through_object_array_and_a_read_through_node_array_may_alias",
            "[p0, p1]\nsetarrayitem_gc(p0, 0, p1, descr=objects)\np2 = getarrayitem_gc_r(p0, 0, descr=nodes)\nfinish(p2)",
            "[p0, p1]\nsetarrayitem_gc(p0, 0, p1, descr=objects)\np2 = getarrayitem_gc_r(p0, 0, descr=nodes)\nfinish(p2)");
        yield return C("A_store_through_object_array_of_a_value_of_another_class_cannot_reach_a_node_array",
            "[p0, p1, p2]\np3 = getarrayitem_gc_r(p1, 0, descr=nodes)\nsetarrayitem_gc(p0, 0, ConstPtr(someString), descr=objects)\np4 = getarrayitem_gc_r(p1, 0, descr=nodes)\nfinish(p4)",
            "[p0, p1, p2]\np3 = getarrayitem_gc_r(p1, 0, descr=nodes)\nsetarrayitem_gc(p0, 0, ConstPtr(someString), descr=objects)\nfinish(p3)");
        yield return C("A_store_through_object_array_of_a_node_may_reach_a_node_array",
            "[p0, p1, p2]\np3 = getarrayitem_gc_r(p1, 0, descr=nodes)\nsetarrayitem_gc(p0, 0, ConstPtr(someNode), descr=objects)\np4 = getarrayitem_gc_r(p1, 0, descr=nodes)\nfinish(p4)",
            "[p0, p1, p2]\nsetarrayitem_gc(p0, 0, ConstPtr(someNode), descr=objects)\np4 = getarrayitem_gc_r(p1, 0, descr=nodes)\nfinish(p4)");
        yield return C("A_store_through_int_array_invalidates_what_a_uint_array_read_cached",
            "[p0, i0]\ni1 = getarrayitem_gc_i(p0, 0, descr=uints)\nsetarrayitem_gc(p0, 0, i0, descr=ints)\ni2 = getarrayitem_gc_i(p0, 0, descr=uints)\ni3 = int_add(i1, i2)\nfinish(i3)",
            "[p0, i0]\ni1 = getarrayitem_gc_i(p0, 0, descr=uints)\ni4 = int_signext(i0, 4)\nsetarrayitem_gc(p0, 0, i4, descr=ints)\ni2 = getarrayitem_gc_i(p0, 0, descr=uints)\ni3 = int_add(i1, i2)\nfinish(i3)");
        yield return C("String_and_node_arrays_never_alias",
            "[p0, p1, p2]\nsetarrayitem_gc(p0, 0, p2, descr=strings)\np3 = getarrayitem_gc_r(p1, 0, descr=nodes)\nsetarrayitem_gc(p0, 0, p3, descr=strings)\nfinish(p3)",
            "[p0, p1, p2]\np3 = getarrayitem_gc_r(p1, 0, descr=nodes)\nsetarrayitem_gc(p0, 0, p3, descr=strings)\nfinish(p3)");
        yield return C("Stores_are_emitted_before_a_label_and_before_a_jump",
            "[p0, i0]\nsetarrayitem_gc(p0, 0, i0, descr=longs)\nlabel(p0, i0, descr=body)\nsetarrayitem_gc(p0, 1, i0, descr=longs)\njump(p0, i0, descr=body)",
            "[p0, i0]\nsetarrayitem_gc(p0, 0, i0, descr=longs)\nlabel(p0, i0, descr=body)\nsetarrayitem_gc(p0, 1, i0, descr=longs)\njump(p0, i0, descr=body)");
    }

    [TestCaseSource(nameof(Cases))]
    public void Heap(string passes, string input, string expected) => World.AssertOptimizes(passes, input, expected);
}
