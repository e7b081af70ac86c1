namespace RcsViolations;

// Each bad declaration is reported at its class's first line of code (here, its constructor), for the
// classes the portal below uses. No field initializers: they would move that line to the field.

public static class VirtualizablesPortal
{
    private static readonly JitDriver Driver = new(greens: new[] { "pc" }, reds: new[] { "frame" });

    public static int Run(GoodVable frame, int n)
    {
        int pc = 0;
        while (true)
        {
            Driver.JitMergePoint(pc, frame);
            if (pc >= n) return frame.pc;
            object[] made =
            {
                new VableWithAMissingField(pc), new VableWithAReadonlyScalar(pc), new VableWithStarOnAScalar(pc),
                new VableWithAMutableArrayField(pc), new VableListingAFieldTwice(pc), new VableWithNoFields(pc),
                new VablePrivateWhileAMissingField(pc), new VablePrivateWhileAVirtualizedField(pc),
                new VablePrivateWhileAnInt(pc), new GoodPrivateVable(pc),
            };
            frame.pc += made.Length;
            pc++;
        }
    }
}

[Virtualizable("pc", "missing")]
public sealed class VableWithAMissingField
{
    public int pc;
    public VableWithAMissingField(int start) { pc = start; } // MJ015
}

[Virtualizable("code")]
public sealed class VableWithAReadonlyScalar
{
    public readonly int code;
    public VableWithAReadonlyScalar(int c) { code = c; } // MJ015
}

[Virtualizable("depth[*]")]
public sealed class VableWithStarOnAScalar
{
    public int depth;
    public VableWithStarOnAScalar(int d) { depth = d; } // MJ015
}

[Virtualizable("stack[*]")]
public sealed class VableWithAMutableArrayField
{
    public object?[] stack;
    public VableWithAMutableArrayField(int n) { stack = new object?[n]; } // MJ015
}

[Virtualizable("pc", "pc")]
public sealed class VableListingAFieldTwice
{
    public int pc;
    public VableListingAFieldTwice(int start) { pc = start; } // MJ015
}

[Virtualizable]
public sealed class VableWithNoFields
{
    public int pc;
    public VableWithNoFields(int start) { pc = start; } // MJ015
}

[Virtualizable("pc", PrivateWhileNull = "escapes")]
public sealed class VablePrivateWhileAMissingField
{
    public int pc;
    public VablePrivateWhileAMissingField(int start) { pc = start; } // MJ015
}

[Virtualizable("pc", "owner", PrivateWhileNull = "owner")]
public sealed class VablePrivateWhileAVirtualizedField
{
    public int pc;
    public object? owner;
    public VablePrivateWhileAVirtualizedField(int start) { pc = start; owner = null; } // MJ015
}

[Virtualizable("pc", PrivateWhileNull = "shared")]
public sealed class VablePrivateWhileAnInt
{
    public int pc;
    public int shared;
    public VablePrivateWhileAnInt(int start) { pc = start; shared = 0; } // MJ015
}

[Virtualizable("pc", "stack[*]", PrivateWhileNull = "captured")] // fine: a reference field that is not listed
public sealed class GoodPrivateVable
{
    public int pc;
    public readonly object?[] stack;
    public string? captured;
    public GoodPrivateVable(int start) { pc = start; stack = new object?[2]; captured = null; }
}

public class FrameBase
{
    protected int sp;
    public FrameBase(int s) { sp = s; }
}

[Virtualizable("pc", "sp", "stack[*]")] // fine: an inherited protected field and a readonly array
public sealed class GoodVable : FrameBase
{
    public int pc;
    public readonly object?[] stack;
    public GoodVable(int n) : base(0) { pc = 0; stack = new object?[n]; }
}
