using System.Text;
using MetaJit;

namespace EngineCorpus;

/// <summary>What a program prints (one value per line); residual calls for the JIT.</summary>
public sealed class Output
{
    private readonly StringBuilder _text = new();

    /// <summary>Prints one value.</summary>
    [DontLookInside]
    public void Write(long value) => _text.Append(value).Append('\n');

    /// <summary>Prints an error line.</summary>
    [DontLookInside]
    public void Error(string message) => _text.Append("error: ").Append(message).Append('\n');

    /// <summary>Everything printed.</summary>
    public override string ToString() => _text.ToString();
}
