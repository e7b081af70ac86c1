using System.Diagnostics;
using MetaJit.Lox.Runtime;

namespace MetaJit.Lox.Vm;

/// <summary>
/// The state of one Lox session that outlives a single call: interned strings, globals, output, the clock.
/// One per <see cref="LoxMain.Run"/> (or per REPL session); nothing is static, so runs never share state.
/// </summary>
public sealed class LoxVm
{
    /// <summary>clox's FRAMES_MAX: the script plus 63 nested calls; one more call is "Stack overflow.".</summary>
    public const int FramesMax = 64;

    /// <summary>A VM printing to <paramref name="output"/>, with <c>clock</c> defined.</summary>
    public LoxVm(TextWriter output)
    {
        Output = output;
        InitString = Strings.Intern("init");
        string clock = Strings.Intern("clock");
        Globals.CellFor(clock).Set(new LoxNative(clock, NativeKind.Clock));
    }

    /// <summary>The intern table: every string value and name is canonical.</summary>
    public readonly StringTable Strings = new();

    /// <summary>The global variables.</summary>
    public readonly Globals Globals = new();

    /// <summary>Where <c>print</c> writes.</summary>
    public readonly TextWriter Output;

    /// <summary>The interned <c>"init"</c>, the initializer's name.</summary>
    public readonly string InitString;

    /// <summary>Started with the VM; <c>clock()</c> reads it.</summary>
    public readonly Stopwatch Clock = Stopwatch.StartNew();

    /// <summary>Prints one value and a newline (<c>OP_PRINT</c>); a residual call for the JIT.</summary>
    [DontLookInside]
    public void Print(object value)
    {
        Output.Write(Printer.ToText(value));
        Output.Write('\n');
    }
}
