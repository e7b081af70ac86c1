using System.Globalization;
using System.Text;

namespace MetaJit.Jit.Tests.Backend;

/// <summary>
/// Random well-formed traces for differential testing: inputs i0 i1 i2 (ints), f3 f4 (floats), p5 (a Node);
/// integer, float, overflow, field, call and guard ops over the values defined so far; either straight-line
/// ending in finish, or a loop (label ... jump) with a counter guard that exits it.
/// </summary>
public static class RandomTraces
{
    private static readonly string[] IntBin =
        ["int_add", "int_sub", "int_mul", "int_and", "int_or", "int_xor", "int_lt", "int_le", "int_eq", "int_ne", "int_gt", "int_ge",
         "uint_lt", "uint_le", "uint_gt", "uint_ge"];
    private static readonly string[] IntUn = ["int_neg", "int_invert", "int_is_zero", "int_is_true"];
    private static readonly string[] FloatBin = ["float_add", "float_sub", "float_mul", "float_truediv"];
    private static readonly string[] FloatCmp = ["float_lt", "float_le", "float_eq", "float_ne", "float_gt", "float_ge"];

    public static string Generate(Random rng, int size, bool loop)
    {
        var sb = new StringBuilder();
        var ints = new List<string> { "i0", "i1", "i2" };
        var floats = new List<string> { "f3", "f4" };
        int next = 6;
        sb.Append("[i0, i1, i2, f3, f4, p5").Append(loop ? ", i6]\n" : "]\n");
        if (loop)
        {
            sb.Append("label(i0, i1, i2, f3, f4, p5, i6, descr=L)\n");
            next = 7;
        }
        string I() => rng.Next(4) == 0 ? Const() : ints[rng.Next(ints.Count)];
        string Const() => rng.Next(3) switch
        {
            0 => rng.Next(-3, 4).ToString(CultureInfo.InvariantCulture),
            1 => rng.NextInt64(long.MinValue, long.MaxValue).ToString(CultureInfo.InvariantCulture),
            _ => rng.Next(-1000, 1000).ToString(CultureInfo.InvariantCulture),
        };
        string F() => rng.Next(5) == 0 ? (rng.NextDouble() * 100 - 50).ToString("R", CultureInfo.InvariantCulture) + (rng.Next(2) == 0 ? "" : "1") : floats[rng.Next(floats.Count)];
        string NewI() { var n = "i" + next++; ints.Add(n); return n; }
        string NewF() { var n = "f" + next++; floats.Add(n); return n; }
        string FailArgs()
        {
            var all = ints.Concat(floats).Append("p5").ToList();
            var picked = all.Where(_ => rng.Next(3) == 0).Take(8).ToList();
            return "[" + string.Join(", ", picked) + "]";
        }
        string FloatText(string f) => f.Contains('.') || f.Contains('E') || f.StartsWith('f') ? f : f + ".0";

        for (int k = 0; k < size; k++)
        {
            int choice = rng.Next(100);
            if (choice < 30) AI($"{IntBin[rng.Next(IntBin.Length)]}({I()}, {I()})");
            else if (choice < 36) AI($"{IntUn[rng.Next(IntUn.Length)]}({I()})");
            else if (choice < 40) AI($"{new[] { "int_lshift", "int_rshift", "uint_rshift" }[rng.Next(3)]}({I()}, {rng.Next(64)})");
            else if (choice < 44) AI($"{new[] { "int_floordiv", "int_mod", "uint_floordiv", "uint_mod" }[rng.Next(4)]}({I()}, {new[] { 1, 2, 3, 7, -2, -5, 1000 }[rng.Next(7)]})");
            else if (choice < 46) AI($"int_signext({I()}, {new[] { 1, 2, 4, 8 }[rng.Next(4)]})");
            else if (choice < 52)
            {
                var a = I();
                var b = I();
                var ovfOp = new[] { "int_add_ovf", "int_sub_ovf", "int_mul_ovf" }[rng.Next(3)];
                var fail = FailArgs();
                AI($"{ovfOp}({a}, {b})\nguard_no_overflow() {fail}");
            }
            else if (choice < 60) AF($"{FloatBin[rng.Next(FloatBin.Length)]}({FloatText(F())}, {FloatText(F())})");
            else if (choice < 63) AF($"{(rng.Next(2) == 0 ? "float_neg" : "float_abs")}({FloatText(F())})");
            else if (choice < 67) AI($"{FloatCmp[rng.Next(FloatCmp.Length)]}({FloatText(F())}, {FloatText(F())})");
            else if (choice < 69) AF($"cast_int_to_float({I()})");
            else if (choice < 71) AI($"cast_float_to_int({FloatText(F())})");
            else if (choice < 75) AI($"getfield_gc_i(p5, descr={new[] { "value", "big", "small" }[rng.Next(3)]})");
            else if (choice < 77) AF($"getfield_gc_f(p5, descr=f)");
            else if (choice < 81) sb.Append($"setfield_gc(p5, {I()}, descr={new[] { "value", "big", "small" }[rng.Next(3)]})\n");
            else if (choice < 83) sb.Append($"setfield_gc(p5, {FloatText(F())}, descr=f)\n");
            else if (choice < 86) AI($"call_i({I()}, {I()}, descr=Add)");
            else if (choice < 96)
            {
                // A guard that sometimes fails: on a fresh comparison of a live int with a small constant.
                var operand = ints[rng.Next(ints.Count)];
                var cmp = NewI();
                sb.Append($"{cmp} = {new[] { "int_lt", "int_ne", "int_gt", "uint_lt" }[rng.Next(4)]}({operand}, {rng.Next(-50, 50)})\n");
                sb.Append($"{(rng.Next(2) == 0 ? "guard_true" : "guard_false")}({cmp}) {FailArgs()}\n");
            }
            else
            {
                sb.Append($"guard_value({ints[rng.Next(ints.Count)]}, {rng.Next(-2, 3)}) {FailArgs()}\n");
            }
        }
        if (loop)
        {
            var counter = NewI();
            var test = NewI();
            sb.Append($"{counter} = int_add(i6, 1)\n{test} = int_lt({counter}, {rng.Next(1, 30)})\nguard_true({test}) {FailArgs()}\n");
            string Int() => ints[rng.Next(ints.Count - 2)];
            string Flt() => floats[rng.Next(floats.Count)];
            sb.Append($"jump({Int()}, {Int()}, {Int()}, {Flt()}, {Flt()}, p5, {counter}, descr=L)\n");
        }
        else
        {
            sb.Append($"finish({ints[rng.Next(ints.Count)]})\n");
        }
        return sb.ToString();

        // The right-hand side is built (picking from the values defined so far) before the result is named.
        void AI(string rhs) => sb.Append(NewI()).Append(" = ").Append(rhs).Append('\n');
        void AF(string rhs) => sb.Append(NewF()).Append(" = ").Append(rhs).Append('\n');
    }
}
