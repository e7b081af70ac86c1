using NUnit.Framework;

namespace MetaJit.Optimizer.Tests;

public class RewriteTests
{
    private static TestCaseData C(string name, string input, string expected) => PassCase.Make(name, "rewrite", input, expected);

    public static IEnumerable<TestCaseData> Cases()
    {
        yield return C("Constant_arithmetic_is_folded", "[]\ni0 = int_add(2, 3)\ni1 = int_mul(i0, 4)\nfinish(i1)", "[]\nfinish(20)");
        yield return C("Adding_zero_is_the_value", "[i0]\ni1 = int_add(i0, 0)\ni2 = int_add(0, i1)\nfinish(i2)", "[i0]\nfinish(i0)");
        yield return C("Constant_steps_up_and_down_combine_into_one_add", "[i0]\ni1 = int_add(i0, 2)\ni2 = int_sub(i1, 1)\ni3 = int_add(i2, 3)\nfinish(i3)",
            "[i0]\ni1 = int_add(i0, 4)\nfinish(i1)");
        yield return C("A_step_up_then_down_by_the_same_constant_is_the_value", "[i0]\ni1 = int_add(i0, 1)\ni2 = int_sub(i1, 1)\nfinish(i2)",
            "[i0]\nfinish(i0)");
        yield return C("Steps_are_not_combined_across_a_label", "[i0]\nlabel(i0, descr=loop)\ni1 = int_add(i0, 1)\nlabel(i1, descr=inner)\ni2 = int_add(i1, 1)\nfinish(i2)",
            "[i0]\nlabel(i0, descr=loop)\ni1 = int_add(i0, 1)\nlabel(i1, descr=inner)\ni2 = int_add(i1, 1)\nfinish(i2)");
        yield return C("Multiplying_by_one_is_the_value", "[i0]\ni1 = int_mul(i0, 1)\nfinish(i1)", "[i0]\nfinish(i0)");
        yield return C("Multiplying_by_zero_is_zero", "[i0]\ni1 = int_mul(i0, 0)\nfinish(i1)", "[i0]\nfinish(0)");
        yield return C("And_with_minus_one_is_the_value", "[i0]\ni1 = int_and(i0, -1)\nfinish(i1)", "[i0]\nfinish(i0)");
        yield return C("A_value_minus_itself_is_zero", "[i0]\ni1 = int_sub(i0, i0)\nfinish(i1)", "[i0]\nfinish(0)");
        yield return C("A_value_xor_itself_is_zero", "[i0]\ni1 = int_xor(i0, i0)\nfinish(i1)", "[i0]\nfinish(0)");
        yield return C("Shifting_by_zero_is_the_value", "[i0]\ni1 = int_lshift(i0, 0)\nfinish(i1)", "[i0]\nfinish(i0)");
        yield return C("Comparing_a_value_with_itself_folds", "[i0]\ni1 = int_le(i0, i0)\ni2 = int_lt(i0, i0)\ni3 = int_add(i1, i2)\nfinish(i3)", "[i0]\nfinish(1)");
        yield return C("Division_by_constant_zero_is_not_folded", "[]\ni0 = int_floordiv(1, 0)\nfinish(i0)", "[]\ni0 = int_floordiv(1, 0)\nfinish(i0)");
        yield return C("Guard_true_of_a_constant_one_is_removed", "[i0]\ni1 = int_lt(1, 2)\nguard_true(i1) [i0]\nfinish(i0)", "[i0]\nfinish(i0)");
        yield return C("A_repeated_guard_true_is_removed", "[i0]\ni1 = int_lt(i0, 10)\nguard_true(i1) [i0]\nguard_true(i1) [i0]\nfinish(i1)",
            "[i0]\ni1 = int_lt(i0, 10)\nguard_true(i1) [i0]\nfinish(1)");
        yield return C("Guard_value_makes_the_value_a_constant", "[i0]\nguard_value(i0, 5) [i0]\ni1 = int_add(i0, 1)\nfinish(i1)",
            "[i0]\nguard_value(i0, 5) [i0]\nfinish(6)");
        yield return C("A_repeated_guard_value_is_removed", "[i0]\nguard_value(i0, 5) [i0]\nguard_value(i0, 5) [i0]\nfinish(i0)",
            "[i0]\nguard_value(i0, 5) [i0]\nfinish(5)");
        yield return C("Guard_nonnull_then_guard_class_becomes_guard_nonnull_class",
            "[p0]\nguard_nonnull(p0) [p0]\nguard_class(p0, ConstClass(Node)) [p0]\ni1 = getfield_gc_i(p0, descr=value)\nfinish(i1)",
            "[p0]\nguard_nonnull_class(p0, ConstClass(Node)) [p0]\ni1 = getfield_gc_i(p0, descr=value)\nfinish(i1)");
        yield return C("A_second_guard_class_of_the_same_class_is_removed",
            "[p0]\nguard_class(p0, ConstClass(Node)) [p0]\nguard_class(p0, ConstClass(Node)) [p0]\nguard_nonnull(p0) [p0]\nfinish(p0)",
            "[p0]\nguard_class(p0, ConstClass(Node)) [p0]\nfinish(p0)");
        yield return C("Guard_class_of_another_class_is_kept",
            "[p0]\nguard_class(p0, ConstClass(Node)) [p0]\nguard_class(p0, ConstClass(Other)) [p0]\nfinish(p0)",
            "[p0]\nguard_class(p0, ConstClass(Node)) [p0]\nguard_class(p0, ConstClass(Other)) [p0]\nfinish(p0)");
        yield return C("Guard_value_after_guard_class_replaces_it",
            "[p0]\nguard_class(p0, ConstClass(Node)) [p0]\nguard_value(p0, ConstPtr(someNode)) [p0]\nfinish(p0)",
            "[p0]\nguard_value(p0, ConstPtr(someNode)) [p0]\nfinish(ConstPtr(someNode))");
        yield return C("Guard_nonnull_of_a_new_object_is_removed",
            "[]\np0 = new_with_vtable(descr=Node)\nguard_nonnull(p0) []\nguard_class(p0, ConstClass(Node)) []\nfinish(p0)",
            "[]\np0 = new_with_vtable(descr=Node)\nfinish(p0)");
        yield return C("Guard_isnull_makes_the_value_null", "[p0]\nguard_isnull(p0) [p0]\ni1 = ptr_eq(p0, NULL)\nfinish(i1)",
            "[p0]\nguard_isnull(p0) [p0]\nfinish(1)");
        yield return C("Ptr_eq_of_a_nonnull_value_and_null_is_false", "[p0]\nguard_nonnull(p0) [p0]\ni1 = ptr_eq(p0, NULL)\nfinish(i1)",
            "[p0]\nguard_nonnull(p0) [p0]\nfinish(0)");
        yield return C("A_guard_not_implied_is_kept", "[i0, i1]\ni2 = int_lt(i0, 10)\nguard_true(i2) [i0]\ni3 = int_lt(i1, 10)\nguard_true(i3) [i0]\nfinish(i0)",
            "[i0, i1]\ni2 = int_lt(i0, 10)\nguard_true(i2) [i0]\ni3 = int_lt(i1, 10)\nguard_true(i3) [i0]\nfinish(i0)");
        yield return C("Strlen_of_a_constant_string_folds", "[]\ni0 = strlen('abc')\ni1 = strgetitem('abc', 1)\ni2 = int_add(i0, i1)\nfinish(i2)", "[]\nfinish(101)");
        yield return C("Overflow_checked_add_of_constants_loses_its_guard", "[]\ni0 = int_add_ovf(2, 3)\nguard_no_overflow() []\nfinish(i0)", "[]\nfinish(5)");
        yield return C("Overflowing_constant_add_is_kept", "[]\ni0 = int_add_ovf(9223372036854775807, 1)\nguard_no_overflow() []\nfinish(i0)",
            "[]\ni0 = int_add_ovf(9223372036854775807, 1)\nguard_no_overflow() []\nfinish(i0)");
    }

    [TestCaseSource(nameof(Cases))]
    public void Rewrite(string passes, string input, string expected) => World.AssertOptimizes(passes, input, expected);
}
