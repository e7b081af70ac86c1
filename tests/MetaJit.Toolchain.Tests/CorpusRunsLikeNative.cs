using RcsCorpus;

namespace MetaJit.Toolchain.Tests;

/// <summary>Every corpus method, run natively and on the blackhole with the same inputs, gives the same
/// result (or throws the same exception type).</summary>
public class CorpusRunsLikeNative
{
    private static IEnumerable<TestCaseData> Cases()
    {
        object?[][] ints = { new object[] { 0 }, new object[] { 1 }, new object[] { -1 }, new object[] { 7 }, new object[] { int.MaxValue }, new object[] { int.MinValue } };
        object?[][] intPairs = { new object[] { 3, 4 }, new object[] { -7, 2 }, new object[] { int.MaxValue, 1 }, new object[] { int.MinValue, -1 }, new object[] { 5, 0 }, new object[] { 100000, 100000 } };
        object?[][] smallInts = { new object[] { 0 }, new object[] { 1 }, new object[] { 3 }, new object[] { 10 } };
        object?[][] positive = { new object[] { 1 }, new object[] { 3 }, new object[] { 10 } };
        object?[][] doubles = { new object[] { 0.0 }, new object[] { 2.5 }, new object[] { -3.75 }, new object[] { double.NaN }, new object[] { 1e20 }, new object[] { double.PositiveInfinity } };
        object?[][] doublePairs = { new object[] { 1.0, 2.0 }, new object[] { 2.0, 1.0 }, new object[] { 1.5, 1.5 }, new object[] { double.NaN, 1.0 }, new object[] { 0.0, -0.0 } };
        var table = new (string, object?[][])[]
        {
            ("Arithmetic.AddWrap", intPairs), ("Arithmetic.SubMulDiv", intPairs), ("Arithmetic.Div", intPairs), ("Arithmetic.Rem", intPairs),
            ("Arithmetic.LongOps", new[] { new object[] { 3L, 4L }, new object[] { long.MinValue, -1L }, new object[] { -123456789012L, 987L } }),
            ("Arithmetic.Shifts", new[] { new object[] { -12345, 3 }, new object[] { 1, 31 }, new object[] { 7, 33 } }),
            ("Arithmetic.CheckedAdd", intPairs), ("Arithmetic.CheckedMul", intPairs),
            ("Arithmetic.CheckedSubLong", new[] { new object[] { 1L, 2L }, new object[] { long.MinValue, 1L } }),
            ("Arithmetic.UnsignedOps", new[] { new object[] { 10u, 3u }, new object[] { uint.MaxValue, 7u }, new object[] { 5u, 0u }, new object[] { 0x80000000u, 0xFFFFFFFEu } }),
            ("Arithmetic.CheckedUnsigned", new[] { new object[] { 10u, 3u }, new object[] { 3u, 10u } }),
            ("Arithmetic.ULongDiv", new[] { new object[] { ulong.MaxValue, 3UL }, new object[] { 5UL, 0UL } }),
            ("Arithmetic.NegNot", ints),
            ("Arithmetic.ByteWrap", new[] { new object[] { (byte)200, (byte)100 }, new object[] { (byte)1, (byte)2 } }),
            ("Arithmetic.SByteOps", new[] { new object[] { (sbyte)100 }, new object[] { (sbyte)-100 } }),
            ("Arithmetic.ShortOps", new[] { new object[] { (short)300, (short)300 }, new object[] { (short)-2, (short)3 } }),
            ("Arithmetic.UShortOps", new[] { new object[] { (ushort)30000 }, new object[] { (ushort)1 } }),
            ("Arithmetic.CheckedToByte", new[] { new object[] { 255 }, new object[] { 256 }, new object[] { -1 } }),
            ("Arithmetic.CheckedUIntToInt", new[] { new object[] { 5u }, new object[] { uint.MaxValue } }),
            ("Arithmetic.CheckedULongToLong", new[] { new object[] { 5UL }, new object[] { ulong.MaxValue } }),
            ("Arithmetic.LongToInt", new[] { new object[] { 0x1_2345_6789L }, new object[] { -1L } }),
            ("Arithmetic.UIntToLong", new[] { new object[] { uint.MaxValue }, new object[] { 3u } }),
            ("Arithmetic.IntToLong", ints), ("Arithmetic.IntToDouble", ints),
            ("Arithmetic.UIntToDouble", new[] { new object[] { uint.MaxValue }, new object[] { 0u } }),
            ("Arithmetic.ULongToDouble", new[] { new object[] { ulong.MaxValue }, new object[] { 12345UL } }),
            ("Arithmetic.DoubleToInt", doubles), ("Arithmetic.DoubleToLong", doubles), ("Arithmetic.DoubleToUInt", doubles),
            ("Arithmetic.CheckedDoubleToInt", doubles),
            ("Arithmetic.FloatMath", new[] { new object[] { 1.1f, 2.2f }, new object[] { 1e30f, 1e30f }, new object[] { 0.1f, 3f } }),
            ("Arithmetic.DoubleMath", doublePairs), ("Arithmetic.IntToFloat", new[] { new object[] { 16777217 }, new object[] { 3 } }),
            ("Arithmetic.DoubleLess", doublePairs), ("Arithmetic.DoubleNotLess", doublePairs), ("Arithmetic.DoubleGreaterEq", doublePairs),
            ("Arithmetic.DoubleBranches", doublePairs),
            ("Arithmetic.UIntCompare", new[] { new object[] { 1u, uint.MaxValue }, new object[] { uint.MaxValue, 1u }, new object[] { 4u, 4u } }),
            ("Arithmetic.ULongCompare", new[] { new object[] { 1UL, ulong.MaxValue }, new object[] { ulong.MaxValue, 1UL } }),
            ("Arithmetic.MathCalls", doubles), ("Arithmetic.CompoundOps", ints),

            ("StringsAndChars.Concat", new[] { new object[] { "a", 1 }, new object[] { "", -5 } }),
            ("StringsAndChars.Length", new[] { new object[] { "abc" }, new object[] { "" }, new object?[] { null } }),
            ("StringsAndChars.CharAt", new[] { new object[] { "abc", 1 }, new object[] { "abc", 3 } }),
            ("StringsAndChars.Equal", new[] { new object[] { "a", "a" }, new object[] { "a", "b" } }),
            ("StringsAndChars.CountDigits", new[] { new object[] { "a1b22c333" } }),
            ("StringsAndChars.ParseInt", new[] { new object[] { "12345" }, new object[] { "0" } }),
            ("StringsAndChars.NextChar", new[] { new object[] { 'a' }, new object[] { '\uffff' } }),
            ("StringsAndChars.IntToString", ints), ("StringsAndChars.LongToString", new[] { new object[] { long.MinValue } }),
            ("StringsAndChars.DoubleToString", doubles), ("StringsAndChars.BoolToString", new[] { new object[] { true }, new object[] { false } }),
            ("StringsAndChars.Compare", intPairs), ("StringsAndChars.Reverse", new[] { new object[] { "hello" } }),
            ("StringsAndChars.CallsInterpolate", ints),
            ("StringsAndChars.IsNull", new[] { new object?[] { null }, new object[] { "x" } }),
            ("StringsAndChars.IsNotNull", new[] { new object?[] { null }, new object[] { "x" } }),
            ("StringsAndChars.SwitchOnString", new[] { new object[] { "one" }, new object[] { "seven" }, new object[] { "zzz" } }),

            ("Arrays.Bools", positive), ("Arrays.Bytes", positive), ("Arrays.SBytes", positive), ("Arrays.Shorts", positive),
            ("Arrays.UShorts", positive), ("Arrays.Chars", new[] { new object[] { "abc" } }), ("Arrays.Ints", positive),
            ("Arrays.UInts", positive), ("Arrays.Longs", positive), ("Arrays.ULongs", positive), ("Arrays.Floats", positive),
            ("Arrays.Doubles", positive), ("Arrays.Strings", positive), ("Arrays.Objects", positive), ("Arrays.Enums", positive),
            ("Arrays.OutOfRange", new[] { new object[] { 2 }, new object[] { 3 }, new object[] { -1 } }),
            ("Arrays.NegativeLength", new[] { new object[] { 2 }, new object[] { -1 } }),
            ("Arrays.Covariance", new[] { Array.Empty<object>() }), ("Arrays.CompoundElement", smallInts), ("Arrays.Jagged", positive),

            ("Objects.Fields", smallInts), ("Objects.Statics", smallInts), ("Objects.Virtuals", new[] { new object[] { 0 }, new object[] { 1 }, new object[] { 2 } }),
            ("Objects.VirtualString", new[] { new object[] { 0 }, new object[] { 1 }, new object[] { 2 } }),
            ("Objects.Interfaces", ints), ("Objects.ObjectToString", smallInts), ("Objects.NullReceiver", smallInts),
            ("Objects.TypeTests", new[] { new object[] { 0 }, new object[] { 1 } }), ("Objects.Casts", new[] { new object[] { 0 }, new object[] { 1 } }),
            ("Objects.AsTest", new[] { new object[] { 0 }, new object[] { 1 } }),

            ("Generics.BoxInt", ints), ("Generics.BoxString", new[] { new object[] { "x" } }), ("Generics.BoxDouble", doubles),
            ("Generics.MaxInt", intPairs), ("Generics.MaxString", new[] { new object[] { "a", "b" }, new object[] { "z", "b" } }),
            ("Generics.ShowAll", new[] { new object[] { 1, "s", 2.5, Color.Blue } }), ("Generics.Pairs", new[] { new object[] { 1, "x" } }),
            ("Generics.Defaults", new[] { Array.Empty<object>() }), ("Generics.ListOfInt", smallInts), ("Generics.IdentityLong", new[] { new object[] { 0x1_0000_0005L } }),

            ("ControlFlow.Switch", new[] { new object[] { 0 }, new object[] { 2 }, new object[] { 3 }, new object[] { 7 }, new object[] { -1 }, new object[] { 100 } }),
            ("ControlFlow.EnumSwitch", new[] { new object[] { Color.Red }, new object[] { Color.Green }, new object[] { Color.Blue } }),
            ("ControlFlow.NestedLoops", smallInts), ("ControlFlow.WhileDo", smallInts), ("ControlFlow.Fib", smallInts),
            ("ControlFlow.IsEven", smallInts), ("ControlFlow.Ternary", intPairs),
            ("ControlFlow.TryCatch", smallInts), ("ControlFlow.CatchSpecific", smallInts), ("ControlFlow.FinallyReturnPath", smallInts),
            ("ControlFlow.NestedFinallyLog", smallInts), ("ControlFlow.BreakOutOfTry", smallInts), ("ControlFlow.AcrossFrames", smallInts),
            ("ControlFlow.Rethrow", smallInts), ("ControlFlow.Uncaught", smallInts), ("ControlFlow.ThrowNull", new[] { Array.Empty<object>() }),
            ("ControlFlow.CatchAll", smallInts), ("ControlFlow.ExceptionInLoop", smallInts),

            ("Boxing.RoundTrip", ints), ("Boxing.RoundTripDouble", doubles), ("Boxing.RoundTripLong", new[] { new object[] { long.MaxValue } }),
            ("Boxing.RoundTripBool", new[] { new object[] { true } }), ("Boxing.RoundTripChar", new[] { new object[] { 'x' } }),
            ("Boxing.BadUnbox", new[] { new object[] { 0 }, new object[] { 1 } }), ("Boxing.PatternMatch", new[] { new object[] { 0 }, new object[] { 1 }, new object[] { 2 }, new object[] { 3 } }),
            ("Boxing.BoxEquals", intPairs), ("Boxing.EnumOps", smallInts), ("Boxing.EnumToString", new[] { new object[] { 1 }, new object[] { 7 } }),
            ("Boxing.BoxEnum", new[] { new object[] { 2 } }), ("Boxing.UnboxEnum", new[] { new object[] { 2 } }),
        };
        foreach (var (name, inputs) in table)
            foreach (var args in inputs)
                yield return new TestCaseData(name, args).SetName($"{name}({string.Join(", ", args.Select(a => a?.ToString() ?? "null"))})");
    }

    [TestCaseSource(nameof(Cases))]
    public void Blackhole_run_equals_native_run(string method, object?[] args)
    {
        var m = Corpus.Method(method);
        var native = Corpus.Native(m, (object?[])args.Clone());
        var blackhole = Corpus.OnBlackhole(m, (object?[])args.Clone());
        Assert.That(blackhole, Is.EqualTo(native), () => JitCodeFormatter.Format(Corpus.Code(m)));
    }

    [Test]
    public void Every_public_corpus_method_is_covered()
    {
        var covered = Cases().Select(c => (string)c.Arguments[0]!).ToHashSet();
        var helpers = new HashSet<string> { "ControlFlow.Finally", "ControlFlow.NestedFinally", "ControlFlow.IsOdd", "StringsAndChars.Interpolate" };
        var missing = Corpus.Classes.SelectMany(c => c.GetMethods(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.DeclaredOnly)
                .Where(m => !m.IsGenericMethodDefinition && !m.IsSpecialName).Select(m => c.Name + "." + m.Name))
            .Where(n => !covered.Contains(n) && !helpers.Contains(n)).ToList();
        Assert.That(missing, Is.Empty);
    }
}
