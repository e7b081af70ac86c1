namespace RcsCorpus;

[Flags] public enum Perm { None = 0, Read = 1, Write = 2, Exec = 4 }

public static class Boxing
{
    public static int RoundTrip(int x) { object o = x; return (int)o + 1; }
    public static double RoundTripDouble(double x) { object o = x; return (double)o * 2; }
    public static long RoundTripLong(long x) { object o = x; return (long)o; }
    public static bool RoundTripBool(bool b) { object o = b; return !(bool)o; }
    public static char RoundTripChar(char c) { object o = c; return (char)o; }
    public static int BadUnbox(int k) { object o = k == 0 ? 1L : 1; return (int)o; }
    public static int PatternMatch(int k)
    {
        object o = k switch { 0 => 5, 1 => "str", 2 => 2.5, _ => Color.Blue };
        if (o is int i) return i;
        if (o is string s) return s.Length;
        if (o is double d) return (int)(d * 10);
        if (o is Color c) return 100 + (int)c;
        return -1;
    }
    public static bool BoxEquals(int a, int b) { object x = a, y = b; return x.Equals(y); }
    public static int EnumOps(int k)
    {
        Perm p = Perm.Read;
        if (k > 0) p |= Perm.Write;
        if (k > 1) p |= Perm.Exec;
        return (int)p + ((p & Perm.Write) != 0 ? 100 : 0);
    }
    public static string EnumToString(int k) { var c = (Color)k; return c.ToString(); }
    public static object BoxEnum(int k) => (Color)k;
    public static int UnboxEnum(int k) { object o = (Color)k; return (int)(Color)o; }
}
