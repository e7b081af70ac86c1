namespace EngineCorpus;

/// <summary>Builds a <see cref="Program"/> with named labels (ordinary C#: the interpreter never calls it).</summary>
public sealed class Assembler
{
    private readonly List<(Op Op, int A, int B, int C)> _code = new();
    private readonly Dictionary<string, int> _labels = new();
    private readonly List<(int At, string Label, bool InB)> _fixups = new();

    /// <summary>Defines <paramref name="label"/> at the next instruction.</summary>
    public Assembler Label(string label) { _labels[label] = _code.Count; return this; }
    /// <summary>r[a] = value.</summary>
    public Assembler Const(int a, int value) => Emit(Op.Const, a, value, 0);
    /// <summary>r[a] = r[b] + r[c].</summary>
    public Assembler Add(int a, int b, int c) => Emit(Op.Add, a, b, c);
    /// <summary>r[a] = r[b] - r[c].</summary>
    public Assembler Sub(int a, int b, int c) => Emit(Op.Sub, a, b, c);
    /// <summary>r[a] = r[b] * r[c].</summary>
    public Assembler Mul(int a, int b, int c) => Emit(Op.Mul, a, b, c);
    /// <summary>r[a] = r[b] &lt; r[c].</summary>
    public Assembler Lt(int a, int b, int c) => Emit(Op.Lt, a, b, c);
    /// <summary>Jumps forward to <paramref name="label"/>.</summary>
    public Assembler Jump(string label) => Fix(label, false).Emit(Op.Jump, 0, 0, 0);
    /// <summary>Jumps forward to <paramref name="label"/> when r[a] is 0.</summary>
    public Assembler JumpIfZero(int a, string label) => Fix(label, true).Emit(Op.JumpIfZero, a, 0, 0);
    /// <summary>Jumps back to <paramref name="label"/> (a loop of the user program).</summary>
    public Assembler Loop(string label) => Fix(label, false).Emit(Op.Loop, 0, 0, 0);
    /// <summary>r[a] = fn(r[x], r[a]).</summary>
    public Assembler Call(int a, Fn fn, int x) => Emit(Op.Call, a, (int)fn, x);
    /// <summary>Prints r[a].</summary>
    public Assembler Print(int a) => Emit(Op.Print, a, 0, 0);
    /// <summary>Pushes r[a].</summary>
    public Assembler Push(int a) => Emit(Op.Push, a, 0, 0);
    /// <summary>Pops into r[a].</summary>
    public Assembler Pop(int a) => Emit(Op.Pop, a, 0, 0);
    /// <summary>r[a] = r[b] * the program's scale.</summary>
    public Assembler Scale(int a, int b) => Emit(Op.Scale, a, b, 0);
    /// <summary>The program's scale = r[a].</summary>
    public Assembler SetScale(int a) => Emit(Op.SetScale, a, 0, 0);
    /// <summary>r[a] = r[b], adding one to the scale (in a residual call) when r[b] equals r[c].</summary>
    public Assembler Rescale(int a, int b, int c) => Emit(Op.Rescale, a, b, c);
    /// <summary>Returns r[a].</summary>
    public Assembler Halt(int a) => Emit(Op.Halt, a, 0, 0);

    /// <summary>A counted loop: r[i] from 0 while below r[n], running <paramref name="body"/> each time.</summary>
    public Assembler For(int i, int n, int scratch, Action<Assembler> body)
    {
        string head = "for" + _code.Count, end = "end" + _code.Count;
        Const(i, 0).Label(head).Lt(scratch, i, n).JumpIfZero(scratch, end);
        body(this);
        return Emit(Op.Const, scratch, 1, 0).Add(i, i, scratch).Loop(head).Label(end);
    }

    /// <summary>The program.</summary>
    public Program Build()
    {
        var code = _code.ToArray();
        foreach (var (at, label, inB) in _fixups)
        {
            var target = _labels[label];
            code[at] = inB ? code[at] with { B = target } : code[at] with { A = target };
        }
        return new Program(code.Select(x => x.Op).ToArray(), code.Select(x => x.A).ToArray(),
            code.Select(x => x.B).ToArray(), code.Select(x => x.C).ToArray());
    }

    private Assembler Fix(string label, bool inB) { _fixups.Add((_code.Count, label, inB)); return this; }

    private Assembler Emit(Op op, int a, int b, int c) { _code.Add((op, a, b, c)); return this; }
}
