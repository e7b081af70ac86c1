using NUnit.Framework;

namespace MetaJit.Optimizer.Tests;

public class PureTests
{
    private static TestCaseData C(string name, string input, string expected) => PassCase.Make(name, "pure", input, expected);

    public static IEnumerable<TestCaseData> Cases()
    {
        yield return C("The_same_pure_op_twice_is_computed_once",
            "[i0, i1]\ni2 = int_add(i0, i1)\ni3 = int_add(i0, i1)\ni4 = int_mul(i2, i3)\nfinish(i4)",
            "[i0, i1]\ni2 = int_add(i0, i1)\ni4 = int_mul(i2, i2)\nfinish(i4)");
        yield return C("Ops_with_different_arguments_are_kept",
            "[i0, i1]\ni2 = int_add(i0, i1)\ni3 = int_add(i1, i0)\ni4 = int_mul(i2, i3)\nfinish(i4)",
            "[i0, i1]\ni2 = int_add(i0, i1)\ni3 = int_add(i1, i0)\ni4 = int_mul(i2, i3)\nfinish(i4)");
        yield return C("Constants_compare_by_content_for_cse",
            "[i0]\ni2 = int_add(i0, 7)\ni3 = int_add(i0, 7)\ni4 = int_sub(i2, i3)\nfinish(i4)",
            "[i0]\ni2 = int_add(i0, 7)\ni4 = int_sub(i2, i2)\nfinish(i4)");
        yield return C("Different_ops_on_the_same_arguments_are_kept",
            "[i0]\ni2 = int_add(i0, 7)\ni3 = int_sub(i0, 7)\ni4 = int_mul(i2, i3)\nfinish(i4)",
            "[i0]\ni2 = int_add(i0, 7)\ni3 = int_sub(i0, 7)\ni4 = int_mul(i2, i3)\nfinish(i4)");
        yield return C("An_elidable_call_twice_is_called_once",
            "[i0]\ni1 = call_pure_i(i0, descr=double)\nguard_no_exception() []\ni2 = call_pure_i(i0, descr=double)\nguard_no_exception() []\ni3 = int_add(i1, i2)\nfinish(i3)",
            "[i0]\ni1 = call_pure_i(i0, descr=double)\nguard_no_exception() []\ni3 = int_add(i1, i1)\nfinish(i3)");
        yield return C("An_elidable_call_on_constants_is_run_at_compile_time",
            "[]\ni1 = call_pure_i(21, descr=double)\nguard_no_exception() []\nfinish(i1)",
            "[]\nfinish(42)");
        yield return C("An_elidable_call_that_raises_on_its_constants_is_kept",
            "[]\ni1 = call_pure_i(13, descr=fail)\nguard_no_exception() []\nfinish(i1)",
            "[]\ni1 = call_pure_i(13, descr=fail)\nguard_no_exception() []\nfinish(i1)");
        yield return C("An_opaque_call_twice_is_called_twice",
            "[i0]\ni1 = call_i(i0, descr=opaque)\nguard_no_exception() []\ni2 = call_i(i0, descr=opaque)\nguard_no_exception() []\ni3 = int_add(i1, i2)\nfinish(i3)",
            "[i0]\ni1 = call_i(i0, descr=opaque)\nguard_no_exception() []\ni2 = call_i(i0, descr=opaque)\nguard_no_exception() []\ni3 = int_add(i1, i2)\nfinish(i3)");
        yield return C("Heap_reads_are_not_pure",
            "[p0]\ni1 = getfield_gc_i(p0, descr=value)\ni2 = getfield_gc_i(p0, descr=value)\ni3 = int_add(i1, i2)\nfinish(i3)",
            "[p0]\ni1 = getfield_gc_i(p0, descr=value)\ni2 = getfield_gc_i(p0, descr=value)\ni3 = int_add(i1, i2)\nfinish(i3)");
        yield return C("Float_ops_are_shared_too",
            "[f0]\nf1 = float_mul(f0, f0)\nf2 = float_mul(f0, f0)\nf3 = float_add(f1, f2)\nfinish(f3)",
            "[f0]\nf1 = float_mul(f0, f0)\nf3 = float_add(f1, f1)\nfinish(f3)");
        yield return C("Comparisons_are_shared",
            "[i0]\ni1 = int_lt(i0, 5)\nguard_true(i1) []\ni2 = int_lt(i0, 5)\nguard_true(i2) []\nfinish(i0)",
            "[i0]\ni1 = int_lt(i0, 5)\nguard_true(i1) []\nguard_true(i1) []\nfinish(i0)");
        yield return C("Overflow_checked_ops_are_not_shared",
            "[i0]\ni1 = int_add_ovf(i0, 1)\nguard_no_overflow() []\ni2 = int_add_ovf(i0, 1)\nguard_no_overflow() []\nfinish(i2)",
            "[i0]\ni1 = int_add_ovf(i0, 1)\nguard_no_overflow() []\ni2 = int_add_ovf(i0, 1)\nguard_no_overflow() []\nfinish(i2)");
        yield return C("Strlen_of_the_same_string_is_shared",
            "[p0]\ni1 = strlen(p0)\ni2 = strlen(p0)\ni3 = int_add(i1, i2)\nfinish(i3)",
            "[p0]\ni1 = strlen(p0)\ni3 = int_add(i1, i1)\nfinish(i3)");
        yield return C("Shared_results_feed_later_sharing",
            "[i0]\ni1 = int_add(i0, 1)\ni2 = int_add(i0, 1)\ni3 = int_mul(i1, 3)\ni4 = int_mul(i2, 3)\ni5 = int_sub(i3, i4)\nfinish(i5)",
            "[i0]\ni1 = int_add(i0, 1)\ni3 = int_mul(i1, 3)\ni5 = int_sub(i3, i3)\nfinish(i5)");
        yield return C("Ptr_eq_is_shared",
            "[p0, p1]\ni1 = ptr_eq(p0, p1)\ni2 = ptr_eq(p0, p1)\ni3 = int_add(i1, i2)\nfinish(i3)",
            "[p0, p1]\ni1 = ptr_eq(p0, p1)\ni3 = int_add(i1, i1)\nfinish(i3)");
        yield return C("Elidable_calls_with_different_arguments_are_kept",
            "[i0, i1]\ni2 = call_pure_i(i0, descr=double)\nguard_no_exception() []\ni3 = call_pure_i(i1, descr=double)\nguard_no_exception() []\ni4 = int_add(i2, i3)\nfinish(i4)",
            "[i0, i1]\ni2 = call_pure_i(i0, descr=double)\nguard_no_exception() []\ni3 = call_pure_i(i1, descr=double)\nguard_no_exception() []\ni4 = int_add(i2, i3)\nfinish(i4)");
        yield return C("Cast_int_to_float_is_shared",
            "[i0]\nf1 = cast_int_to_float(i0)\nf2 = cast_int_to_float(i0)\nf3 = float_add(f1, f2)\nfinish(f3)",
            "[i0]\nf1 = cast_int_to_float(i0)\nf3 = float_add(f1, f1)\nfinish(f3)");
        yield return C("Unused_pure_ops_are_removed",
            "[i0]\ni1 = int_add(i0, 1)\nfinish(i0)",
            "[i0]\nfinish(i0)");
        yield return C("Sign_extensions_are_shared",
            "[i0]\ni1 = int_signext(i0, 4)\ni2 = int_signext(i0, 4)\ni3 = int_add(i1, i2)\nfinish(i3)",
            "[i0]\ni1 = int_signext(i0, 4)\ni3 = int_add(i1, i1)\nfinish(i3)");
        yield return C("Values_shared_across_a_call_stay_shared",
            "[i0]\ni1 = int_add(i0, 1)\ni9 = call_i(i0, descr=opaque)\nguard_no_exception() []\ni2 = int_add(i0, 1)\ni3 = int_add(i2, i9)\nfinish(i3)",
            "[i0]\ni1 = int_add(i0, 1)\ni9 = call_i(i0, descr=opaque)\nguard_no_exception() []\ni3 = int_add(i1, i9)\nfinish(i3)");
    }

    [TestCaseSource(nameof(Cases))]
    public void Pure(string passes, string input, string expected) => World.AssertOptimizes(passes, input, expected);
}
