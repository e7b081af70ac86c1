namespace MetaJit.Examples.Brainfuck;

/// <summary>
/// Byte input and buffered byte output. Its methods are <see cref="DontLookInsideAttribute">DontLookInside</see>:
/// the JIT records calls to them and never traces into stream code.
/// </summary>
public sealed class BfIo
{
    private readonly Stream _input;
    private readonly Stream _output;
    private readonly byte[] _buffer = new byte[8192];
    private int _buffered;

    /// <summary>Reads from <paramref name="input"/> and writes to <paramref name="output"/>.</summary>
    public BfIo(Stream input, Stream output)
    {
        _input = input;
        _output = output;
    }

    /// <summary>The next input byte, or -1 at end of input.</summary>
    [DontLookInside]
    public int Read()
    {
        Flush(); // an interactive user sees the prompt before typing
        return _input.ReadByte();
    }

    /// <summary>Queues one output byte.</summary>
    [DontLookInside]
    public void Write(int value)
    {
        if (_buffered == _buffer.Length) Flush();
        _buffer[_buffered++] = (byte)value;
    }

    /// <summary>Writes the queued bytes out.</summary>
    [DontLookInside]
    public void Flush()
    {
        if (_buffered == 0) return;
        _output.Write(_buffer, 0, _buffered);
        _buffered = 0;
        _output.Flush();
    }
}
