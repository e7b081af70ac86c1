using MetaJit.Lox.Bytecode;

namespace MetaJit.Lox.Compiling;

/// <summary>
/// A chunk under construction. Besides bytes, lines and constants it tracks the stack depth the emitted code
/// reaches, which clox does not need (one shared stack) but our per-frame slot arrays do: every instruction is
/// emitted with its stack effect, a jump remembers the depth at its origin and its target resumes from it.
/// </summary>
internal sealed class ChunkBuilder
{
    private readonly List<byte> _code = new();
    private readonly List<int> _lines = new();
    private readonly List<object> _constants = new();
    private readonly Dictionary<int, int> _jumpDepths = new();
    private int _depth;
    private int _maxDepth;

    /// <summary>Bytes emitted so far.</summary>
    public int Count => _code.Count;

    /// <summary>Constants added so far.</summary>
    public int ConstantCount => _constants.Count;

    /// <summary>Appends one byte.</summary>
    public void Write(byte b, int line)
    {
        _code.Add(b);
        _lines.Add(line);
    }

    /// <summary>Overwrites a byte (jump patching).</summary>
    public void Patch(int offset, byte b) => _code[offset] = b;

    /// <summary>Appends a constant; returns its index (which may exceed 255: the caller reports that).</summary>
    public int AddConstant(object value)
    {
        _constants.Add(value);
        return _constants.Count - 1;
    }

    /// <summary>Applies an instruction's stack effect.</summary>
    public void Adjust(int effect)
    {
        _depth += effect;
        if (_depth > _maxDepth) _maxDepth = _depth;
    }

    /// <summary>Remembers the depth at the jump whose operand is at <paramref name="operand"/>.</summary>
    public void RecordJump(int operand) => _jumpDepths[operand] = _depth;

    /// <summary>Code after here is reached by the jump at <paramref name="operand"/>: resume its depth.</summary>
    public void LandJump(int operand) => _depth = _jumpDepths[operand];

    /// <summary>Freezes the chunk of the function <paramref name="name"/>.</summary>
    public Chunk Build(string name) => new(name, _code.ToArray(), _lines.ToArray(), _constants.ToArray(), Math.Max(_maxDepth, 1));
}
