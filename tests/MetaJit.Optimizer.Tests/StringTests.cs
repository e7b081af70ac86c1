using NUnit.Framework;

namespace MetaJit.Optimizer.Tests;

public class StringTests
{
    private static TestCaseData C(string name, string input, string expected) => PassCase.Make(name, "rewrite:string", input, expected);

    public static IEnumerable<TestCaseData> Cases()
    {
        // Slices (RString.Slice: the caller guarantees the bounds).
        const string sliced = "[p0, i0, i1]\nguard_nonnull(p0) []\np1 = call_r(p0, i0, i1, descr=slice)\nguard_no_exception() []\n";
        yield return C("A_slice_only_measured_is_never_built",
            sliced + "i2 = strlen(p1)\nfinish(i2)",
            "[p0, i0, i1]\nguard_nonnull(p0) []\nfinish(i1)");
        yield return C("A_character_of_a_slice_is_read_from_the_string",
            sliced + "i2 = strgetitem(p1, 2)\nfinish(i2)",
            "[p0, i0, i1]\nguard_nonnull(p0) []\ni3 = int_add(i0, 2)\ni2 = strgetitem(p0, i3)\nfinish(i2)");
        yield return C("A_slice_of_a_slice_is_a_slice_of_the_string",
            sliced + "p2 = call_r(p1, 1, 2, descr=slice)\nguard_no_exception() []\ni3 = strgetitem(p2, 0)\ni4 = strlen(p2)\ni5 = int_add(i3, i4)\nfinish(i5)",
            "[p0, i0, i1]\nguard_nonnull(p0) []\ni6 = int_add(i0, 1)\ni3 = strgetitem(p0, i6)\ni5 = int_add(i3, 2)\nfinish(i5)");
        yield return C("Forcing_a_slice_of_a_slice_builds_one_slice_of_the_string",
            sliced + "p2 = call_r(p1, 1, 2, descr=slice)\nguard_no_exception() []\nfinish(p2)",
            "[p0, i0, i1]\nguard_nonnull(p0) []\ni6 = int_add(i0, 1)\np2 = call_r(p0, i6, 2, descr=slice)\nfinish(p2)");
        yield return C("A_slice_of_constants_folds",
            "[]\np0 = call_r('hello', 1, 3, descr=slice)\nguard_no_exception() []\nfinish(p0)", "[]\nfinish('ell')");
        yield return C("A_constant_slice_out_of_bounds_is_left_to_throw",
            "[]\np0 = call_r('hello', 4, 3, descr=slice)\nguard_no_exception() []\nfinish(p0)",
            "[]\np0 = call_r('hello', 4, 3, descr=slice)\nguard_no_exception() []\nfinish(p0)");
        yield return C("A_slice_of_a_string_whose_length_was_read_stays_virtual",
            "[p0, i0]\ni1 = strlen(p0)\np1 = call_r(p0, i0, 2, descr=slice)\nguard_no_exception() []\ni2 = strlen(p1)\ni3 = int_add(i1, i2)\nfinish(i3)",
            "[p0, i0]\ni1 = strlen(p0)\ni3 = int_add(i1, 2)\nfinish(i3)");
        yield return C("The_length_property_of_a_slice_is_its_length",
            sliced + "i2 = call_pure_i(p1, descr=length)\nfinish(i2)",
            "[p0, i0, i1]\nguard_nonnull(p0) []\nfinish(i1)");
        yield return C("The_length_property_of_a_concatenation_is_the_sum",
            "[p0]\nguard_nonnull(p0) []\np1 = call_r(p0, 'xyz', descr=concat)\nguard_no_exception() []\ni2 = call_pure_i(p1, descr=length)\nfinish(i2)",
            "[p0]\nguard_nonnull(p0) []\ni1 = strlen(p0)\ni2 = int_add(i1, 3)\nfinish(i2)");
        yield return C("A_string_whose_length_property_was_read_is_not_null",
            "[p0, i0]\ni1 = call_pure_i(p0, descr=length)\np1 = call_r(p0, i0, 3, descr=slice)\nguard_no_exception() []\ni2 = call_pure_i(p1, descr=length)\nfinish(i2)",
            "[p0, i0]\ni1 = call_pure_i(p0, descr=length)\nfinish(3)");
        yield return C("A_character_inside_a_slice_of_constant_length_is_read_from_the_string",
            "[p0, i0]\nguard_nonnull(p0) []\np1 = call_r(p0, i0, 3, descr=slice)\nguard_no_exception() []\ni2 = call_pure_i(p1, 2, descr=charAt)\nguard_no_exception() []\nfinish(i2)",
            "[p0, i0]\nguard_nonnull(p0) []\ni3 = int_add(i0, 2)\ni2 = call_pure_i(p0, i3, descr=charAt)\nguard_no_exception() []\nfinish(i2)");
        yield return C("A_character_past_a_slice_builds_the_slice",
            "[p0, i0]\nguard_nonnull(p0) []\np1 = call_r(p0, i0, 3, descr=slice)\nguard_no_exception() []\ni2 = call_pure_i(p1, 3, descr=charAt)\nguard_no_exception() []\nfinish(i2)",
            "[p0, i0]\nguard_nonnull(p0) []\np1 = call_r(p0, i0, 3, descr=slice)\ni2 = call_pure_i(p1, 3, descr=charAt)\nguard_no_exception() []\nfinish(i2)");
        yield return C("A_character_in_the_constant_prefix_of_a_concatenation_folds_through_the_indexer",
            "[p0]\nguard_nonnull(p0) []\np1 = call_r('abc', p0, descr=concat)\nguard_no_exception() []\ni2 = call_pure_i(p1, 1, descr=charAt)\nguard_no_exception() []\nfinish(i2)",
            "[p0]\nguard_nonnull(p0) []\nfinish(98)");
        yield return C("A_slice_a_guard_needs_stays_virtual_and_measured",
            sliced + "i2 = call_pure_i(p1, descr=length)\ni3 = int_gt(i2, 1)\nguard_true(i3) [p1]\ni4 = call_pure_i(p1, descr=length)\nfinish(i4)",
            "[p0, i0, i1]\nguard_nonnull(p0) []\ni3 = int_gt(i1, 1)\nguard_true(i3) [NULL, p0, i0, i1]\nfinish(i1)");
        yield return C("The_length_of_a_built_slice_is_still_known",
            sliced + "i2 = call_pure_i(p1, descr=length)\ni3 = call_i(p1, 'y', descr=strEquals)\nguard_no_exception() []\ni4 = call_pure_i(p1, descr=length)\ni5 = int_add(i3, i4)\nfinish(i5)",
            "[p0, i0, i1]\nguard_nonnull(p0) []\np1 = call_r(p0, i0, i1, descr=slice)\ni3 = call_i(p1, 'y', descr=strEquals)\nguard_no_exception() []\ni5 = int_add(i3, i1)\nfinish(i5)");
        yield return C("A_slice_of_a_maybe_null_string_is_built",
            "[p0, i0, i1]\np1 = call_r(p0, i0, i1, descr=slice)\nguard_no_exception() []\ni2 = strlen(p1)\nfinish(i2)",
            "[p0, i0, i1]\np1 = call_r(p0, i0, i1, descr=slice)\nguard_no_exception() []\ni2 = strlen(p1)\nfinish(i2)");
        yield return C("A_slice_returned_is_built_where_it_is_used",
            sliced + "finish(p1)",
            "[p0, i0, i1]\nguard_nonnull(p0) []\np1 = call_r(p0, i0, i1, descr=slice)\nfinish(p1)");
        yield return C("A_slice_a_guard_needs_is_not_built_for_it",
            sliced + "i2 = strlen(p1)\ni3 = int_gt(i2, 0)\nguard_true(i3) [p1]\nfinish(i2)",
            "[p0, i0, i1]\nguard_nonnull(p0) []\ni3 = int_gt(i1, 0)\nguard_true(i3) [NULL, p0, i0, i1]\nfinish(i1)");
        yield return C("A_slice_concatenated_and_measured_is_never_built",
            sliced + "p2 = call_r(p1, 'xy', descr=concat)\nguard_no_exception() []\ni3 = strlen(p2)\nfinish(i3)",
            "[p0, i0, i1]\nguard_nonnull(p0) []\ni3 = int_add(i1, 2)\nfinish(i3)");
        yield return C("A_concatenation_of_a_slice_that_is_used_builds_both",
            sliced + "p2 = call_r('>', p1, descr=concat)\nguard_no_exception() []\nfinish(p2)",
            "[p0, i0, i1]\nguard_nonnull(p0) []\np1 = call_r(p0, i0, i1, descr=slice)\np2 = call_r('>', p1, descr=concat)\nfinish(p2)");

        yield return C("Concatenating_two_constant_strings_folds",
            "[]\np0 = call_r('ab', 'cd', descr=concat)\nguard_no_exception() []\nfinish(p0)", "[]\nfinish('abcd')");
        yield return C("The_length_of_a_concatenation_of_constants_folds",
            "[]\np0 = call_r('ab', 'cde', descr=concat)\nguard_no_exception() []\ni1 = strlen(p0)\nfinish(i1)", "[]\nfinish(5)");
        yield return C("The_length_of_a_constant_string_folds", "[]\ni1 = strlen('hello')\nfinish(i1)", "[]\nfinish(5)");
        yield return C("A_concatenation_only_measured_is_never_built",
            "[p0]\nguard_nonnull(p0) []\np1 = call_r(p0, 'xyz', descr=concat)\nguard_no_exception() []\ni2 = strlen(p1)\nfinish(i2)",
            "[p0]\nguard_nonnull(p0) []\ni1 = strlen(p0)\ni2 = int_add(i1, 3)\nfinish(i2)");
        yield return C("A_concatenation_of_an_unknown_maybe_null_string_is_built",
            "[p0]\np1 = call_r(p0, 'xyz', descr=concat)\nguard_no_exception() []\ni2 = strlen(p1)\nfinish(i2)",
            "[p0]\np1 = call_r(p0, 'xyz', descr=concat)\nguard_no_exception() []\ni2 = strlen(p1)\nfinish(i2)");
        yield return C("A_concatenation_returned_is_built_where_it_is_used",
            "[p0]\nguard_nonnull(p0) []\np1 = call_r(p0, 'xyz', descr=concat)\nguard_no_exception() []\nfinish(p1)",
            "[p0]\nguard_nonnull(p0) []\np1 = call_r(p0, 'xyz', descr=concat)\nfinish(p1)");
        yield return C("A_concatenation_a_guard_needs_is_not_built_for_it",
            "[p0, i0]\nguard_nonnull(p0) []\np1 = call_r(p0, 'x', descr=concat)\nguard_no_exception() []\nguard_true(i0) [p1]\nfinish(i0)",
            "[p0, i0]\nguard_nonnull(p0) []\nguard_true(i0) [NULL, p0, 'x']\nfinish(1)");
        yield return C("A_concatenation_used_after_a_guard_is_built_there",
            "[p0, i0]\nguard_nonnull(p0) []\np1 = call_r(p0, 'x', descr=concat)\nguard_no_exception() []\nguard_true(i0) [p1]\nfinish(p1)",
            "[p0, i0]\nguard_nonnull(p0) []\nguard_true(i0) [NULL, p0, 'x']\np1 = call_r(p0, 'x', descr=concat)\nfinish(p1)");
        yield return C("A_nested_concatenation_a_guard_needs_has_a_recipe_per_level",
            "[p0, i0]\nguard_nonnull(p0) []\np1 = call_r(p0, 'ab', descr=concat)\nguard_no_exception() []\np2 = call_r(p1, 'c', descr=concat)\nguard_no_exception() []\nguard_true(i0) [p2]\ni3 = strlen(p2)\nfinish(i3)",
            "[p0, i0]\nguard_nonnull(p0) []\nguard_true(i0) [NULL, NULL, 'c', p0, 'ab']\ni1 = strlen(p0)\ni2 = int_add(i1, 2)\ni3 = int_add(i2, 1)\nfinish(i3)");
        yield return C("A_character_in_the_constant_prefix_of_a_concatenation_folds",
            "[p0]\nguard_nonnull(p0) []\np1 = call_r('abc', p0, descr=concat)\nguard_no_exception() []\ni2 = strgetitem(p1, 1)\nfinish(i2)",
            "[p0]\nguard_nonnull(p0) []\nfinish(98)");
        yield return C("A_character_past_the_constant_prefix_builds_the_string",
            "[p0]\nguard_nonnull(p0) []\np1 = call_r('abc', p0, descr=concat)\nguard_no_exception() []\ni2 = strgetitem(p1, 5)\nfinish(i2)",
            "[p0]\nguard_nonnull(p0) []\np1 = call_r('abc', p0, descr=concat)\ni2 = strgetitem(p1, 5)\nfinish(i2)");
        yield return C("Nested_concatenations_are_measured_without_building",
            "[p0]\nguard_nonnull(p0) []\np1 = call_r(p0, 'ab', descr=concat)\nguard_no_exception() []\np2 = call_r(p1, 'c', descr=concat)\nguard_no_exception() []\ni3 = strlen(p2)\nfinish(i3)",
            "[p0]\nguard_nonnull(p0) []\ni1 = strlen(p0)\ni2 = int_add(i1, 2)\ni3 = int_add(i2, 1)\nfinish(i3)");
        yield return C("Forcing_a_nested_concatenation_builds_the_inner_one_first",
            "[p0]\nguard_nonnull(p0) []\np1 = call_r(p0, 'ab', descr=concat)\nguard_no_exception() []\np2 = call_r(p1, 'c', descr=concat)\nguard_no_exception() []\nfinish(p2)",
            "[p0]\nguard_nonnull(p0) []\np1 = call_r(p0, 'ab', descr=concat)\np2 = call_r(p1, 'c', descr=concat)\nfinish(p2)");
        yield return C("Equality_of_constant_strings_folds",
            "[]\ni0 = call_i('a', 'a', descr=strEquals)\nguard_no_exception() []\nfinish(i0)", "[]\nfinish(1)");
        yield return C("Inequality_of_constant_strings_folds",
            "[]\ni0 = call_i('a', 'b', descr=strEquals)\nguard_no_exception() []\nfinish(i0)", "[]\nfinish(0)");
        yield return C("Equality_of_unknown_strings_is_kept",
            "[p0]\ni0 = call_i(p0, 'b', descr=strEquals)\nguard_no_exception() []\nfinish(i0)",
            "[p0]\ni0 = call_i(p0, 'b', descr=strEquals)\nguard_no_exception() []\nfinish(i0)");
        yield return C("A_constant_strgetitem_folds", "[]\ni0 = strgetitem('abc', 2)\nfinish(i0)", "[]\nfinish(99)");
        yield return C("An_out_of_range_constant_strgetitem_is_kept",
            "[]\ni0 = strgetitem('abc', 7)\nfinish(i0)", "[]\ni0 = strgetitem('abc', 7)\nfinish(i0)");
        yield return C("A_concatenation_passed_to_a_call_is_built",
            "[p0]\nguard_nonnull(p0) []\np1 = call_r(p0, 'x', descr=concat)\nguard_no_exception() []\ni2 = call_i(p1, 'y', descr=strEquals)\nguard_no_exception() []\nfinish(i2)",
            "[p0]\nguard_nonnull(p0) []\np1 = call_r(p0, 'x', descr=concat)\ni2 = call_i(p1, 'y', descr=strEquals)\nguard_no_exception() []\nfinish(i2)");
        yield return C("Strlen_of_an_unknown_string_is_kept", "[p0]\ni0 = strlen(p0)\nfinish(i0)", "[p0]\ni0 = strlen(p0)\nfinish(i0)");
        yield return C("Concatenating_with_an_empty_constant_is_measured_as_the_other_part",
            "[p0]\nguard_nonnull(p0) []\np1 = call_r('', p0, descr=concat)\nguard_no_exception() []\ni2 = strlen(p1)\nfinish(i2)",
            "[p0]\nguard_nonnull(p0) []\ni1 = strlen(p0)\ni2 = int_add(0, i1)\nfinish(i2)");
        yield return PassCase.Make("Lengths_the_pure_pass_finds_equal_are_used_as_found",
            "rewrite:string:pure",
            "[p0]\nguard_nonnull(p0) []\np1 = call_r(p0, 'ab', descr=concat)\nguard_no_exception() []\np2 = call_r(p1, p1, descr=concat)\nguard_no_exception() []\ni3 = strlen(p2)\nfinish(i3)",
            "[p0]\nguard_nonnull(p0) []\ni1 = strlen(p0)\ni2 = int_add(i1, 2)\ni3 = int_add(i2, i2)\nfinish(i3)");
        yield return C("Other_calls_returning_strings_are_left_alone",
            "[i0]\ni1 = call_i(i0, descr=opaque)\nguard_no_exception() []\nfinish(i1)",
            "[i0]\ni1 = call_i(i0, descr=opaque)\nguard_no_exception() []\nfinish(i1)");
    }

    [TestCaseSource(nameof(Cases))]
    public void Strings(string passes, string input, string expected) => World.AssertOptimizes(passes, input, expected);

    /// <summary>What a failing guard rebuilds from the fail args of a virtual string: the string the unoptimized
    /// trace would have held (strings made from strings made from strings included). The optimized trace runs on
    /// the trace interpreter until its guard fails.</summary>
    [TestCase("[p0, i0, i1]\nguard_nonnull(p0) []\np1 = call_r(p0, i0, i1, descr=slice)\nguard_no_exception() []\nguard_false(i1) [p1, i0]\nfinish(i0)",
        "abcdef", 1L, 3L, "bcd|1")]
    [TestCase("[p0, i0, i1]\nguard_nonnull(p0) []\np1 = call_r(p0, 'ab', descr=concat)\nguard_no_exception() []\np2 = call_r(p1, 'c', descr=concat)\nguard_no_exception() []\nguard_false(i1) [p2, p1, p2]\nfinish(i0)",
        "q", 0L, 1L, "qabc|qab|qabc")]
    [TestCase("[p0, i0, i1]\nguard_nonnull(p0) []\np1 = call_r(p0, i0, i1, descr=slice)\nguard_no_exception() []\np2 = call_r('<', p1, descr=concat)\nguard_no_exception() []\ni3 = strlen(p2)\nguard_false(i1) [p2, i3]\nfinish(i0)",
        "hello", 2L, 2L, "<ll|3")]
    public void A_guard_rebuilds_the_virtual_string_it_needs(string input, string text, long start, long length, string expected)
    {
        var optimized = MetaJit.Engine.Optimizer.TraceOptimizer.OptimizeLoop(World.GiveFailArgResumeData(MetaJit.Engine.Trace.TraceParser.Parse(input, World.Names())),
            MetaJit.Engine.Optimizer.OptimizerOptions.Parse("rewrite:string"));
        var guard = optimized.Guards.Single(g => g.Num == MetaJit.Engine.Trace.OpNum.GuardFalse);
        var data = (MetaJit.Engine.Resume.ResumeData)guard.ResumeData!;
        Assert.That(data.Virtuals, Is.Not.Null.And.Not.Empty, "the string should stay virtual at the guard");
        var run = new MetaJit.Engine.Trace.TraceInterpreter().Run(optimized, [text, start, length]);
        Assert.That(run.GuardIndex, Is.EqualTo(guard.GuardIndex));
        var original = expected.Split('|').Length;
        var rebuilt = Materializer.Rebuild(data, run.Values, original);
        Assert.That(string.Join("|", rebuilt.Select(v => v?.ToString())), Is.EqualTo(expected));
    }
}
