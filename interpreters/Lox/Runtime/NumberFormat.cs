using System.Globalization;
using System.Numerics;

namespace MetaJit.Lox.Runtime;

/// <summary>
/// Formats numbers exactly as C's <c>printf("%g", x)</c> does with glibc: 6 significant digits, rounded
/// half-to-even on the exact binary value, trailing zeros removed, exponent form (<c>1e+21</c>,
/// <c>1.5e-07</c>) when the decimal exponent is below -4 or at least 6. <c>-0</c>, <c>inf</c>,
/// <c>-inf</c>; every NaN prints <c>nan</c> (the contract in LOX.md; glibc would print <c>-nan</c> for a NaN
/// with its sign bit set).
/// </summary>
public static class NumberFormat
{
    private const int Precision = 6;

    /// <summary>The <c>%g</c> text of <paramref name="value"/>.</summary>
    public static string Format(double value)
    {
        if (double.IsNaN(value)) return "nan";
        if (double.IsPositiveInfinity(value)) return "inf";
        if (double.IsNegativeInfinity(value)) return "-inf";
        string sign = double.IsNegative(value) ? "-" : "";
        if (value == 0) return sign + "0";
        if (value == Math.Floor(value) && Math.Abs(value) < 100000) // fast path: small integers
            return ((long)value).ToString(CultureInfo.InvariantCulture);

        var (digits, exponent) = RoundedDigits(Math.Abs(value));
        if (exponent < -4 || exponent >= Precision)
        {
            string mantissa = TrimFraction(digits[..1] + "." + digits[1..]);
            string exp = Math.Abs(exponent).ToString("00", CultureInfo.InvariantCulture);
            return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + exp;
        }
        string fixedText = exponent >= 0
            ? digits[..(exponent + 1)] + "." + digits[(exponent + 1)..]
            : "0." + new string('0', -exponent - 1) + digits;
        return sign + TrimFraction(fixedText);
    }

    /// <summary>
    /// The first <see cref="Precision"/> significant decimal digits of <paramref name="value"/> (positive,
    /// finite), correctly rounded, and the decimal exponent of the first digit.
    /// </summary>
    private static (string Digits, int Exponent) RoundedDigits(double value)
    {
        // value = mantissa * 2^e exactly; its exact decimal expansion is all digits of an integer scaled by 10^-fraction.
        long bits = BitConverter.DoubleToInt64Bits(value);
        int biased = (int)((bits >> 52) & 0x7FF);
        long mantissa = bits & ((1L << 52) - 1);
        if (biased == 0) biased = 1; else mantissa |= 1L << 52;
        int e = biased - 1075;
        BigInteger scaled;
        int fraction;
        if (e >= 0) { scaled = new BigInteger(mantissa) << e; fraction = 0; }
        else { scaled = new BigInteger(mantissa) * BigInteger.Pow(5, -e); fraction = -e; }
        string all = scaled.ToString(CultureInfo.InvariantCulture);
        int exponent = all.Length - 1 - fraction;
        if (all.Length <= Precision) return (all.PadRight(Precision, '0'), exponent);

        string kept = all[..Precision];
        char next = all[Precision];
        bool restNonZero = false;
        for (int i = Precision + 1; i < all.Length; i++)
        {
            if (all[i] != '0') { restNonZero = true; break; }
        }
        bool roundUp = next > '5' || (next == '5' && (restNonZero || (kept[^1] - '0') % 2 == 1));
        if (!roundUp) return (kept, exponent);
        long up = long.Parse(kept, CultureInfo.InvariantCulture) + 1;
        string upText = up.ToString(CultureInfo.InvariantCulture);
        if (upText.Length > Precision) return (upText[..Precision], exponent + 1);
        return (upText, exponent);
    }

    private static string TrimFraction(string text)
    {
        if (!text.Contains('.')) return text;
        text = text.TrimEnd('0');
        return text.EndsWith('.') ? text[..^1] : text;
    }
}
