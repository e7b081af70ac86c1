namespace RcsCorpus;

public class Box<T>
{
    private T _value;
    public Box(T value) { _value = value; }
    public T Get() => _value;
    public void Set(T v) { _value = v; }
    public bool Same(T other) => EqualityComparer<T>.Default.Equals(_value, other);
}

public class Pair<A, B>
{
    public A First; public B Second;
    public Pair(A a, B b) { First = a; Second = b; }
    public Pair<B, A> Swap() => new(Second, First);
}

public static class Generics
{
    public static T Max<T>(T a, T b) where T : IComparable<T> => a.CompareTo(b) >= 0 ? a : b;
    public static string Show<T>(T x) => x!.ToString()!;
    public static T Identity<T>(T x) => x;
    public static T DefaultOf<T>() => default!;

    public static int BoxInt(int x) { var b = new Box<int>(x); b.Set(b.Get() * 2); return b.Get() + (b.Same(x * 2) ? 1 : 0); }
    public static string BoxString(string s) { var b = new Box<string>(s); b.Set(b.Get() + "!"); return b.Get(); }
    public static double BoxDouble(double d) => new Box<double>(d).Get() / 2;
    public static int MaxInt(int a, int b) => Max(a, b);
    public static string MaxString(string a, string b) => Max(a, b);
    public static string ShowAll(int i, string s, double d, Color c) => Show(i) + Show(s) + Show(d) + Show(c);
    public static string Pairs(int a, string b) { var p = new Pair<int, string>(a, b).Swap(); return p.First + p.Second; }
    public static int Defaults() => DefaultOf<int>() + (DefaultOf<string>() == null ? 1 : 0) + (int)DefaultOf<double>();
    public static int ListOfInt(int n) { var l = new List<int>(); for (int i = 0; i < n; i++) l.Add(i); int s = 0; for (int i = 0; i < l.Count; i++) s += l[i]; return s; }
    public static long IdentityLong(long x) => Identity(x) + Identity<int>((int)x);
}
