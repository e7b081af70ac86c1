namespace RcsCorpus;

public class CorpusError : Exception { public int Code; public CorpusError(string m, int code) : base(m) { Code = code; } }

public static class ControlFlow
{
    public static int Switch(int x)
    {
        switch (x)
        {
            case 0: return 10;
            case 1: return 11;
            case 2: case 3: return 23;
            case 7: return 77;
            default: return -1;
        }
    }
    public static string EnumSwitch(Color c) => c switch { Color.Red => "r", Color.Green => "g", _ => "other" };
    public static int NestedLoops(int n)
    {
        int s = 0;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < i; j++)
            {
                if (j == 5) break;
                if ((i + j) % 3 == 0) continue;
                s += i * j;
            }
        return s;
    }
    public static int WhileDo(int n) { int i = 0, s = 0; while (i < n) { s += i; i++; } do { s--; } while (s > 100); return s; }
    public static int Fib(int n) => n < 2 ? n : Fib(n - 1) + Fib(n - 2);
    public static bool IsEven(int n) => n == 0 || IsOdd(n - 1);
    public static bool IsOdd(int n) => n != 0 && IsEven(n - 1);
    public static int Ternary(int a, int b) => Math.Max(a, a > b ? b * 2 : a - b);

    public static int TryCatch(int x)
    {
        try { return 100 / x; }
        catch (DivideByZeroException) { return -1; }
    }
    public static int CatchSpecific(int k)
    {
        try
        {
            if (k == 0) throw new InvalidOperationException("zero");
            if (k == 1) throw new CorpusError("one", 42);
            return k;
        }
        catch (CorpusError e) { return e.Code; }
        catch (InvalidOperationException) { return -10; }
    }
    public static int Finally(int k)
    {
        int r = 0;
        try { r += 1; if (k == 0) return r; r += 10; }
        finally { r += 100; Log = r; }
        return r;
    }
    public static int Log;
    public static int FinallyReturnPath(int k) { Log = 0; int v = Finally(k); return v * 1000 + Log; }
    public static int NestedFinally(int k)
    {
        int r = 0;
        try
        {
            try
            {
                r += 1;
                if (k == 0) throw new CorpusError("x", 5);
                if (k == 1) return r;
            }
            finally { r += 10; }
            r += 100;
        }
        catch (CorpusError e) { r += e.Code * 1000; }
        finally { r += 10000; Log = r; }
        return r;
    }
    public static int NestedFinallyLog(int k) { int v = NestedFinally(k); return v * 100000 + Log; }
    public static int BreakOutOfTry(int n)
    {
        int s = 0;
        for (int i = 0; i < n; i++)
        {
            try
            {
                try { if (i == 3) break; s += i; }
                finally { s += 100; }
            }
            finally { s += 1000; }
        }
        return s;
    }
    private static int Thrower(int k) { if (k > 2) throw new CorpusError("deep", k); return k; }
    private static int Middle(int k) { int r = 0; try { r = Thrower(k) + 1; } finally { r += 7; } return r; }
    public static int AcrossFrames(int k)
    {
        try { return Middle(k); }
        catch (CorpusError e) { return -e.Code; }
    }
    public static int Rethrow(int k)
    {
        try
        {
            try { return Thrower(k); }
            catch (CorpusError) { Log = 1; throw; }
        }
        catch (CorpusError e) { return e.Code + Log * 100; }
    }
    public static int Uncaught(int k) => Thrower(k);
    public static int ThrowNull() { Exception? e = null; throw e!; }
    public static int CatchAll(int k)
    {
        try { return Thrower(k); }
        catch { return -1; }
    }
    public static int ExceptionInLoop(int n)
    {
        int caught = 0;
        for (int i = 0; i < n; i++)
        {
            try { Thrower(i); }
            catch (CorpusError e) { caught += e.Code; }
        }
        return caught;
    }
}
