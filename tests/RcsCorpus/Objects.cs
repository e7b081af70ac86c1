namespace RcsCorpus;

public class Counter
{
    public static int Instances;
    public static readonly string Prefix = "counter";
    public int Count;
    public long Big;
    public double Ratio;
    public float Single;
    public byte Small;
    public bool Flag;
    public char Letter;
    public string? Name;
    public Color Color;

    public Counter(int start) { Count = start; Instances++; Name = Prefix + start; }
    public void Add(int n) { Count += n; Big += (long)n << 33; Ratio += n / 2.0; Single += n / 3f; Small += (byte)n; Flag = !Flag; Letter = (char)('a' + Count % 26); Color = (Color)(Count % 3); }
    public override string ToString() => Name + "=" + Count;
}

public abstract class Shape
{
    public abstract double Area();
    public virtual string Describe() => "shape " + Area().ToString(System.Globalization.CultureInfo.InvariantCulture);
}
public sealed class Square : Shape { private readonly double _s; public Square(double s) { _s = s; } public override double Area() => _s * _s; }
public class Circle : Shape
{
    protected readonly double R;
    public Circle(double r) { R = r; }
    public override double Area() => 3.0 * R * R;
    public override string Describe() => "circle " + base.Describe();
}
public class Ring : Circle { public Ring(double r) : base(r) { } public override double Area() => base.Area() - 1; }

public interface IOp { int Apply(int x); }
public sealed class AddOp : IOp { private readonly int _n; public AddOp(int n) { _n = n; } public int Apply(int x) => x + _n; }
public sealed class MulOp : IOp { private readonly int _n; public MulOp(int n) { _n = n; } public int Apply(int x) => x * _n; }

public static class Objects
{
    public static string Fields(int n)
    {
        var c = new Counter(n);
        for (int i = 0; i < 5; i++) c.Add(i + n);
        return c.Count + "," + c.Big + "," + c.Ratio + "," + c.Single + "," + c.Small + "," + c.Flag + "," + c.Letter + "," + c.Color + "," + c;
    }
    public static int Statics(int n) { int before = Counter.Instances; for (int i = 0; i < n; i++) new Counter(i); return Counter.Instances - before; }
    public static double Virtuals(int k)
    {
        Shape s = k switch { 0 => new Square(2), 1 => new Circle(1.5), _ => new Ring(2) };
        return s.Area();
    }
    public static string VirtualString(int k)
    {
        Shape s = k == 0 ? new Square(3) : k == 1 ? new Circle(1) : new Ring(1);
        return s.Describe();
    }
    public static int Interfaces(int x)
    {
        var ops = new IOp[] { new AddOp(3), new MulOp(5), new AddOp(-1) };
        foreach (var op in ops) x = op.Apply(x);
        return x;
    }
    public static string ObjectToString(int n) { object o = new Counter(n); return o.ToString()!; }
    public static int NullReceiver(int k) { Counter? c = k == 0 ? null : new Counter(k); c!.Add(1); return c.Count; }
    public static bool TypeTests(int k)
    {
        Shape s = k == 0 ? new Square(1) : new Circle(1);
        return s is Square && !(s is Circle);
    }
    public static double Casts(int k)
    {
        object o = k == 0 ? new Square(2) : "not a shape";
        return ((Shape)o).Area();
    }
    public static int AsTest(int k) { object o = k == 0 ? new AddOp(1) : new Counter(1); var op = o as IOp; return op == null ? -1 : op.Apply(10); }
}
