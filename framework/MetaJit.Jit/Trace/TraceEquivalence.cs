namespace MetaJit.Engine.Trace;

/// <summary>
/// Compares two traces up to the renaming of their values: same input kinds, and op by op the same opnum,
/// the same descr object, equal constants and corresponding values (args and fail args). This is what
/// "this trace in, that trace out" tests assert.
/// </summary>
/// <example><code>Assert.That(TraceEquivalence.Difference(expected, actual), Is.Null);</code></example>
public static class TraceEquivalence
{
    /// <summary>Null when the traces are equivalent, else a description of the first difference.</summary>
    public static string? Difference(TreeLoop expected, TreeLoop actual)
    {
        var map = new Dictionary<Value, Value>(ReferenceEqualityComparer.Instance);
        if (expected.InputArgs.Length != actual.InputArgs.Length)
            return $"expected {expected.InputArgs.Length} inputs, got {actual.InputArgs.Length}";
        for (int i = 0; i < expected.InputArgs.Length; i++)
        {
            if (expected.InputArgs[i].Kind != actual.InputArgs[i].Kind) return $"input {i}: expected {expected.InputArgs[i].Kind}, got {actual.InputArgs[i].Kind}";
            map[expected.InputArgs[i]] = actual.InputArgs[i];
        }
        var ep = new TracePrinter();
        var ap = new TracePrinter();
        int n = Math.Min(expected.Operations.Length, actual.Operations.Length);
        for (int k = 0; k < n; k++)
        {
            var e = expected.Operations[k];
            var a = actual.Operations[k];
            string? why = Compare(e, a, map);
            string el = ep.PrintOp(e), al = ap.PrintOp(a);
            if (why != null) return $"op {k}: {why}\n  expected: {el}\n  actual:   {al}";
            map[e] = a;
        }
        if (expected.Operations.Length != actual.Operations.Length)
            return $"expected {expected.Operations.Length} ops, got {actual.Operations.Length}";
        return null;
    }

    private static string? Compare(ResOperation e, ResOperation a, Dictionary<Value, Value> map)
    {
        if (e.Num != a.Num) return "different operations";
        if (!ReferenceEquals(e.Descr, a.Descr) && !(e.Descr is NamedDescr or TargetToken && e.Descr.Name == a.Descr?.Name))
            return "different descrs";
        if (e.Args.Length != a.Args.Length) return "different argument counts";
        for (int i = 0; i < e.Args.Length; i++)
            if (!Same(e.Args[i], a.Args[i], map)) return $"argument {i} differs";
        if ((e.FailArgs == null) != (a.FailArgs == null)) return "fail args differ";
        if (e.FailArgs != null)
        {
            if (e.FailArgs.Length != a.FailArgs!.Length) return "different fail arg counts";
            for (int i = 0; i < e.FailArgs.Length; i++)
                if (!Same(e.FailArgs[i], a.FailArgs[i], map)) return $"fail arg {i} differs";
        }
        return null;
    }

    private static bool Same(Value e, Value a, Dictionary<Value, Value> map) =>
        e is Const ? e.Equals(a) : map.TryGetValue(e, out var m) && ReferenceEquals(m, a);
}
