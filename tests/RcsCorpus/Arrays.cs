namespace RcsCorpus;

public enum Color : byte { Red, Green, Blue }

public static class Arrays
{
    public static int Bools(int n) { var a = new bool[n]; for (int i = 0; i < n; i += 2) a[i] = true; int c = 0; foreach (var b in a) if (b) c++; return c; }
    public static int Bytes(int n) { var a = new byte[n]; for (int i = 0; i < n; i++) a[i] = (byte)(i * 37); int s = 0; for (int i = 0; i < n; i++) s += a[i]; return s; }
    public static int SBytes(int n) { var a = new sbyte[n]; for (int i = 0; i < n; i++) a[i] = (sbyte)(i * 37); int s = 0; for (int i = 0; i < n; i++) s += a[i]; return s; }
    public static int Shorts(int n) { var a = new short[n]; for (int i = 0; i < n; i++) a[i] = (short)(i * 9999); int s = 0; foreach (var x in a) s += x; return s; }
    public static int UShorts(int n) { var a = new ushort[n]; for (int i = 0; i < n; i++) a[i] = (ushort)(i * 9999); int s = 0; foreach (var x in a) s += x; return s; }
    public static int Chars(string t) { var a = t.ToCharArray(); int s = 0; for (int i = 0; i < a.Length; i++) { a[i]++; s += a[i]; } return s; }
    public static int Ints(int n) { var a = new int[n]; for (int i = 0; i < n; i++) a[i] = i * i; a[n - 1] += 7; return a[n - 1] + a.Length; }
    public static long UInts(int n) { var a = new uint[n]; for (int i = 0; i < n; i++) a[i] = (uint)(i * -7); long s = 0; foreach (var x in a) s += x; return s; }
    public static long Longs(int n) { var a = new long[n]; for (int i = 0; i < n; i++) a[i] = (long)i << 40; long s = 0; foreach (var x in a) s ^= x; return s; }
    public static ulong ULongs(int n) { var a = new ulong[n]; for (int i = 0; i < n; i++) a[i] = ulong.MaxValue - (ulong)i; ulong s = 0; foreach (var x in a) s += x; return s; }
    public static float Floats(int n) { var a = new float[n]; for (int i = 0; i < n; i++) a[i] = i / 3f; float s = 0; foreach (var x in a) s += x; return s; }
    public static double Doubles(int n) { var a = new double[n]; for (int i = 0; i < n; i++) a[i] = i / 3.0; a[0] += 0.5; double s = 0; foreach (var x in a) s += x; return s; }
    public static string Strings(int n) { var a = new string[n]; for (int i = 0; i < n; i++) a[i] = "s" + i; return string.Join(",", a); }
    public static int Objects(int n) { var a = new object?[n]; for (int i = 0; i < n; i++) a[i] = i % 2 == 0 ? "x" : null; int c = 0; foreach (var o in a) if (o != null) c++; return c; }
    public static int Enums(int n) { var a = new Color[n]; for (int i = 0; i < n; i++) a[i] = (Color)(i % 3); int s = 0; foreach (var c in a) s += (int)c; return s; }
    public static int OutOfRange(int i) { var a = new int[3]; return a[i]; }
    public static int NegativeLength(int n) => new int[n].Length;
    public static int Covariance() { object[] a = new string[2]; a[0] = "ok"; a[1] = 1; return 0; }
    public static int CompoundElement(int n) { var a = new int[4]; for (int i = 0; i < n; i++) a[i % 4] += i; a[1] *= 3; a[2]++; return a[0] + a[1] + a[2] + a[3]; }
    public static int Jagged(int n) { var a = new int[n][]; for (int i = 0; i < n; i++) { a[i] = new int[i + 1]; a[i][i] = i; } int s = 0; for (int i = 0; i < n; i++) s += a[i][i] + a[i].Length; return s; }
}
