namespace RcsCorpus;

public static class StringsAndChars
{
    public static string Concat(string a, int n) => a + ":" + n;
    public static int Length(string s) => s.Length;
    public static char CharAt(string s, int i) => s[i];
    public static bool Equal(string a, string b) => a == b;
    public static int CountDigits(string s)
    {
        int n = 0;
        for (int i = 0; i < s.Length; i++)
            if (char.IsDigit(s[i])) n++;
        return n;
    }
    public static int ParseInt(string s)
    {
        int v = 0;
        foreach (char c in s) v = v * 10 + (c - '0');
        return v;
    }
    public static char NextChar(char c) => (char)(c + 1);
    public static string IntToString(int x) => x.ToString();
    public static string LongToString(long x) => x.ToString();
    public static string DoubleToString(double x) => x.ToString(System.Globalization.CultureInfo.InvariantCulture);
    public static string BoolToString(bool b) => b.ToString();
    public static int Compare(int a, int b) => a.CompareTo(b);
    public static string Reverse(string s)
    {
        var chars = new char[s.Length];
        for (int i = 0; i < s.Length; i++) chars[s.Length - 1 - i] = s[i];
        return new string(chars);
    }
    public static string Interpolate(int x) => $"x={x}";
    public static string CallsInterpolate(int x) => Interpolate(x) + "!";
    public static bool IsNull(string? s) => s == null;
    public static bool IsNotNull(string? s) => s != null;
    public static int SwitchOnString(string s)
    {
        switch (s)
        {
            case "one": return 1;
            case "two": return 2;
            case "three": return 3;
            case "four": return 4;
            case "five": return 5;
            case "six": return 6;
            case "seven": return 7;
            default: return -1;
        }
    }
}
