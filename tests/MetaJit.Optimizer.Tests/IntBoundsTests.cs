using MetaJit.Engine.Optimizer;
using MetaJit.Engine.Trace;
using NUnit.Framework;

namespace MetaJit.Optimizer.Tests;

public class IntBoundsTests
{
    // intbounds decides comparisons; rewrite then drops the guards on the constants they became.
    private static TestCaseData C(string name, string input, string expected) => PassCase.Make(name, "intbounds:rewrite", input, expected);

    public static IEnumerable<TestCaseData> Cases()
    {
        yield return C("A_bounds_check_of_a_higher_constant_index_makes_lower_ones_unneeded",
            "[p0]\ni1 = arraylen_gc(p0, descr=longs)\ni2 = uint_lt(2, i1)\nguard_true(i2) [p0]\ni3 = uint_lt(1, i1)\nguard_true(i3) [p0]\nfinish(i1)",
            "[p0]\ni1 = arraylen_gc(p0, descr=longs)\ni2 = uint_lt(2, i1)\nguard_true(i2) [p0]\nfinish(i1)");
        yield return C("A_bounds_check_of_a_lower_constant_index_leaves_higher_ones",
            "[p0]\ni1 = arraylen_gc(p0, descr=longs)\ni2 = uint_lt(2, i1)\nguard_true(i2) [p0]\ni3 = uint_lt(3, i1)\nguard_true(i3) [p0]\nfinish(i1)",
            "[p0]\ni1 = arraylen_gc(p0, descr=longs)\ni2 = uint_lt(2, i1)\nguard_true(i2) [p0]\ni3 = uint_lt(3, i1)\nguard_true(i3) [p0]\nfinish(i1)");
        yield return C("A_guard_implied_by_an_earlier_stronger_guard_is_removed",
            "[i0]\ni1 = int_lt(i0, 10)\nguard_true(i1) [i0]\ni2 = int_lt(i0, 20)\nguard_true(i2) [i0]\nfinish(i0)",
            "[i0]\ni1 = int_lt(i0, 10)\nguard_true(i1) [i0]\nfinish(i0)");
        yield return C("A_weaker_earlier_guard_does_not_imply_a_stronger_one",
            "[i0]\ni1 = int_lt(i0, 20)\nguard_true(i1) [i0]\ni2 = int_lt(i0, 10)\nguard_true(i2) [i0]\nfinish(i0)",
            "[i0]\ni1 = int_lt(i0, 20)\nguard_true(i1) [i0]\ni2 = int_lt(i0, 10)\nguard_true(i2) [i0]\nfinish(i0)");
        yield return C("Guard_false_teaches_the_opposite_bound",
            "[i0]\ni1 = int_lt(i0, 0)\nguard_false(i1) [i0]\ni2 = int_ge(i0, 0)\nguard_true(i2) [i0]\nfinish(i0)",
            "[i0]\ni1 = int_lt(i0, 0)\nguard_false(i1) [i0]\nfinish(i0)");
        yield return C("An_add_overflow_check_goes_when_both_sides_are_small",
            "[i0]\ni1 = int_lt(i0, 100)\nguard_true(i1) [i0]\ni2 = int_gt(i0, -100)\nguard_true(i2) [i0]\ni3 = int_add_ovf(i0, 1)\nguard_no_overflow() [i0]\nfinish(i3)",
            "[i0]\ni1 = int_lt(i0, 100)\nguard_true(i1) [i0]\ni2 = int_gt(i0, -100)\nguard_true(i2) [i0]\ni3 = int_add(i0, 1)\nfinish(i3)");
        yield return C("An_overflow_not_excluded_keeps_its_check",
            "[i0]\ni1 = int_lt(i0, 100)\nguard_true(i1) [i0]\ni3 = int_sub_ovf(i0, 1)\nguard_no_overflow() [i0]\nfinish(i3)",
            "[i0]\ni1 = int_lt(i0, 100)\nguard_true(i1) [i0]\ni3 = int_sub_ovf(i0, 1)\nguard_no_overflow() [i0]\nfinish(i3)");
        yield return C("A_mul_overflow_check_goes_for_small_factors",
            "[i0]\ni1 = int_and(i0, 255)\ni2 = int_mul_ovf(i1, 1000)\nguard_no_overflow() [i0]\nfinish(i2)",
            "[i0]\ni1 = int_and(i0, 255)\ni2 = int_mul(i1, 1000)\nfinish(i2)");
        yield return C("Signext_of_a_32_bit_field_is_removed",
            "[p0]\ni1 = getfield_gc_i(p0, descr=small)\ni2 = int_signext(i1, 4)\nfinish(i2)",
            "[p0]\ni1 = getfield_gc_i(p0, descr=small)\nfinish(i1)");
        yield return C("Signext_of_a_value_that_may_not_fit_is_kept",
            "[p0]\ni1 = getfield_gc_i(p0, descr=value)\ni2 = int_signext(i1, 4)\nfinish(i2)",
            "[p0]\ni1 = getfield_gc_i(p0, descr=value)\ni2 = int_signext(i1, 4)\nfinish(i2)");
        yield return C("Signext_after_adding_two_small_values_is_removed",
            "[p0]\ni1 = getfield_gc_i(p0, descr=small)\ni2 = int_and(i1, 65535)\ni3 = int_add(i2, 1)\ni4 = int_signext(i3, 4)\nfinish(i4)",
            "[p0]\ni1 = getfield_gc_i(p0, descr=small)\ni2 = int_and(i1, 65535)\ni3 = int_add(i2, 1)\nfinish(i3)");
        yield return C("Signext_of_a_sum_that_may_wrap_32_bits_is_kept",
            "[p0]\ni1 = getfield_gc_i(p0, descr=small)\ni3 = int_add(i1, 1)\ni4 = int_signext(i3, 4)\nfinish(i4)",
            "[p0]\ni1 = getfield_gc_i(p0, descr=small)\ni3 = int_add(i1, 1)\ni4 = int_signext(i3, 4)\nfinish(i4)");
        yield return C("An_array_length_is_not_negative",
            "[p0]\ni1 = arraylen_gc(p0, descr=longs)\ni2 = int_ge(i1, 0)\nguard_true(i2) [p0]\nfinish(i1)",
            "[p0]\ni1 = arraylen_gc(p0, descr=longs)\nfinish(i1)");
        yield return C("A_bounds_check_makes_the_index_non_negative",
            "[p0, i0]\ni1 = arraylen_gc(p0, descr=longs)\ni2 = uint_lt(i0, i1)\nguard_true(i2) [p0]\ni3 = int_lt(i0, 0)\nguard_false(i3) [p0]\nfinish(i0)",
            "[p0, i0]\ni1 = arraylen_gc(p0, descr=longs)\ni2 = uint_lt(i0, i1)\nguard_true(i2) [p0]\nfinish(i0)");
        yield return C("A_bounds_check_against_a_variable_length_makes_the_signed_check_redundant",
            "[p0, i0]\ni1 = arraylen_gc(p0, descr=longs)\ni2 = uint_lt(i0, i1)\nguard_true(i2) [p0]\ni4 = int_lt(i0, i1)\nguard_true(i4) [p0]\nfinish(i0)",
            "[p0, i0]\ni1 = arraylen_gc(p0, descr=longs)\ni2 = uint_lt(i0, i1)\nguard_true(i2) [p0]\nfinish(i0)");
        // The Brainfuck pattern: `if (pos >= tape.Length) grow` then the access's bounds check on a moved index.
        yield return C("A_signed_check_of_a_non_negative_index_against_a_length_makes_the_bounds_check_redundant",
            "[p0, i0]\ni1 = arraylen_gc(p0, descr=longs)\ni2 = uint_lt(i0, i1)\nguard_true(i2) [p0]\ni3 = int_add(i0, 1)\ni4 = int_lt(i3, i1)\nguard_true(i4) [p0]\ni5 = uint_lt(i3, i1)\nguard_true(i5) [p0]\nfinish(i3)",
            "[p0, i0]\ni1 = arraylen_gc(p0, descr=longs)\ni2 = uint_lt(i0, i1)\nguard_true(i2) [p0]\ni3 = int_add(i0, 1)\ni4 = int_lt(i3, i1)\nguard_true(i4) [p0]\nfinish(i3)");
        yield return C("A_signed_check_does_not_make_the_bounds_check_redundant_for_an_index_that_may_be_negative",
            "[p0, i0]\ni1 = arraylen_gc(p0, descr=longs)\ni4 = int_lt(i0, i1)\nguard_true(i4) [p0]\ni5 = uint_lt(i0, i1)\nguard_true(i5) [p0]\nfinish(i0)",
            "[p0, i0]\ni1 = arraylen_gc(p0, descr=longs)\ni4 = int_lt(i0, i1)\nguard_true(i4) [p0]\ni5 = uint_lt(i0, i1)\nguard_true(i5) [p0]\nfinish(i0)");
        yield return C("A_known_less_than_decides_the_reversed_and_negated_comparisons",
            "[i0, i1]\ni2 = int_lt(i0, i1)\nguard_true(i2) [i0]\ni3 = int_ge(i0, i1)\nguard_false(i3) [i0]\ni4 = int_gt(i1, i0)\nguard_true(i4) [i0]\ni5 = int_eq(i0, i1)\nguard_false(i5) [i0]\ni6 = int_le(i1, i0)\nguard_false(i6) [i0]\nfinish(i0)",
            "[i0, i1]\ni2 = int_lt(i0, i1)\nguard_true(i2) [i0]\nfinish(i0)");
        yield return C("A_known_less_or_equal_does_not_decide_less_than",
            "[i0, i1]\ni2 = int_le(i0, i1)\nguard_true(i2) [i0]\ni3 = int_lt(i0, i1)\nguard_true(i3) [i0]\ni4 = int_gt(i0, i1)\nguard_false(i4) [i0]\nfinish(i0)",
            "[i0, i1]\ni2 = int_le(i0, i1)\nguard_true(i2) [i0]\ni3 = int_lt(i0, i1)\nguard_true(i3) [i0]\nfinish(i0)");
        yield return C("A_guard_false_on_less_than_teaches_the_reverse_relation",
            "[i0, i1]\ni2 = int_lt(i0, i1)\nguard_false(i2) [i0]\ni3 = int_le(i1, i0)\nguard_true(i3) [i0]\ni4 = int_lt(i1, i0)\nguard_true(i4) [i0]\nfinish(i0)",
            "[i0, i1]\ni2 = int_lt(i0, i1)\nguard_false(i2) [i0]\ni4 = int_lt(i1, i0)\nguard_true(i4) [i0]\nfinish(i0)");
        yield return C("A_relation_between_other_values_decides_nothing",
            "[i0, i1, i7]\ni2 = int_lt(i0, i1)\nguard_true(i2) [i0]\ni3 = int_lt(i0, i7)\nguard_true(i3) [i0]\nfinish(i0)",
            "[i0, i1, i7]\ni2 = int_lt(i0, i1)\nguard_true(i2) [i0]\ni3 = int_lt(i0, i7)\nguard_true(i3) [i0]\nfinish(i0)");
        yield return C("Int_and_with_a_mask_bounds_the_result",
            "[i0]\ni1 = int_and(i0, 15)\ni2 = int_lt(i1, 16)\nguard_true(i2) [i0]\nfinish(i1)",
            "[i0]\ni1 = int_and(i0, 15)\nfinish(i1)");
        yield return C("Unsigned_comparison_of_non_negative_values_is_decided",
            "[i0]\ni1 = int_and(i0, 7)\ni2 = uint_lt(i1, 8)\nguard_true(i2) [i0]\nfinish(i1)",
            "[i0]\ni1 = int_and(i0, 7)\nfinish(i1)");
        yield return C("Int_mod_by_a_positive_constant_of_a_non_negative_value_is_bounded",
            "[i0]\ni1 = int_and(i0, 1023)\ni2 = int_mod(i1, 10)\ni3 = int_le(i2, 9)\nguard_true(i3) [i0]\nfinish(i2)",
            "[i0]\ni1 = int_and(i0, 1023)\ni2 = int_mod(i1, 10)\nfinish(i2)");
        yield return C("A_value_bounded_to_one_point_becomes_a_constant",
            "[i0]\ni1 = int_le(i0, 3)\nguard_true(i1) [i0]\ni2 = int_ge(i0, 3)\nguard_true(i2) [i0]\ni3 = int_add(i0, 1)\nfinish(i3)",
            "[i0]\ni1 = int_le(i0, 3)\nguard_true(i1) [i0]\ni2 = int_ge(i0, 3)\nguard_true(i2) [i0]\nfinish(4)");
        yield return C("Equality_with_a_value_outside_the_range_is_false",
            "[i0]\ni1 = int_and(i0, 15)\ni2 = int_eq(i1, 100)\nguard_false(i2) [i0]\nfinish(i1)",
            "[i0]\ni1 = int_and(i0, 15)\nfinish(i1)");
        yield return C("Is_true_of_a_positive_value_is_true",
            "[i0]\ni1 = int_gt(i0, 0)\nguard_true(i1) [i0]\ni2 = int_is_true(i0)\nguard_true(i2) [i0]\nfinish(i0)",
            "[i0]\ni1 = int_gt(i0, 0)\nguard_true(i1) [i0]\nfinish(i0)");
        yield return C("Comparing_two_unrelated_inputs_is_kept",
            "[i0, i1]\ni2 = int_lt(i0, i1)\nguard_true(i2) [i0]\nfinish(i0)",
            "[i0, i1]\ni2 = int_lt(i0, i1)\nguard_true(i2) [i0]\nfinish(i0)");
        yield return C("Ordering_learned_between_two_variables_decides_the_reverse_comparison",
            "[i0, i1]\ni2 = int_lt(i0, i1)\nguard_true(i2) [i0]\ni3 = int_lt(i1, 5)\nguard_true(i3) [i0]\ni4 = int_lt(i0, 4)\nguard_true(i4) [i0]\nfinish(i0)",
            "[i0, i1]\ni2 = int_lt(i0, i1)\nguard_true(i2) [i0]\ni3 = int_lt(i1, 5)\nguard_true(i3) [i0]\ni4 = int_lt(i0, 4)\nguard_true(i4) [i0]\nfinish(i0)");
        yield return C("Strgetitem_is_a_char",
            "[p0, i0]\ni1 = strgetitem(p0, i0)\ni2 = int_lt(i1, 65536)\nguard_true(i2) [p0]\nfinish(i1)",
            "[p0, i0]\ni1 = strgetitem(p0, i0)\nfinish(i1)");
    }

    [Test]
    public void An_ovf_op_that_always_overflows_keeps_its_wrapped_value_for_its_guard()
    {
        var ns = World.Names();
        var opt = TraceOptimizer.Optimize(TraceParser.Parse(
            "[i0]\ni1 = int_and(i0, 1)\ni2 = int_add(i1, 9223372036854775806)\ni3 = int_add_ovf(i2, 2)\nguard_no_overflow() [i0, i3]\nfinish(i3)", ns),
            OptimizerOptions.All);
        var r = new TraceInterpreter().Run(opt, 1L);
        Assert.That(r.Kind, Is.EqualTo(TraceExitKind.GuardFailed), new TracePrinter().Print(opt));
        Assert.That(r.Values[1], Is.EqualTo(long.MinValue + 1), new TracePrinter().Print(opt));
    }

    [TestCaseSource(nameof(Cases))]
    public void IntBounds(string passes, string input, string expected) => World.AssertOptimizes(passes, input, expected);
}
