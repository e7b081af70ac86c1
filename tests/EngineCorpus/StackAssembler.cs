namespace EngineCorpus;

/// <summary>Builds one <see cref="SFunction"/> with named labels (ordinary C#: the interpreter never calls it).</summary>
public sealed class StackAssembler
{
    private readonly List<(SOp Op, int A, int B)> _code = new();
    private readonly Dictionary<string, int> _labels = new();
    private readonly List<(int At, string Label)> _fixups = new();

    /// <summary>Defines <paramref name="label"/> at the next instruction.</summary>
    public StackAssembler Label(string label) { _labels[label] = _code.Count; return this; }

    /// <summary>Appends an instruction.</summary>
    public StackAssembler Op(SOp op, int a = 0, int b = 0) { _code.Add((op, a, b)); return this; }

    /// <summary>Appends a jump-like instruction to <paramref name="label"/>.</summary>
    public StackAssembler To(SOp op, string label) { _fixups.Add((_code.Count, label)); return Op(op); }

    /// <summary>A counted loop: local i from 0 while below local n, running <paramref name="body"/>.</summary>
    public StackAssembler For(int i, int n, Action<StackAssembler> body)
    {
        string head = "for" + _code.Count, end = "end" + _code.Count;
        Op(SOp.Push, 0).Op(SOp.Store, i).Label(head).Op(SOp.Load, i).Op(SOp.Load, n).Op(SOp.Lt).To(SOp.JumpIfZero, end);
        body(this);
        return Op(SOp.Load, i).Op(SOp.Push, 1).Op(SOp.Add).Op(SOp.Store, i).To(SOp.Loop, head).Label(end);
    }

    /// <summary>The function, with <paramref name="locals"/> locals and room for <paramref name="maxStack"/> slots.</summary>
    public SFunction Build(int locals, int maxStack)
    {
        var code = _code.ToArray();
        foreach (var (at, label) in _fixups) code[at].A = _labels[label];
        return new SFunction(code.Select(c => c.Op).ToArray(), code.Select(c => c.A).ToArray(), code.Select(c => c.B).ToArray(), locals, maxStack);
    }
}
