namespace MetaJit.Lox.Bytecode;

/// <summary>
/// The compiled code of one function, frozen when the compiler finishes it. The dispatch loop uses the chunk
/// as a green (together with the instruction index): within a trace it is a constant, so the JIT folds reads
/// of <see cref="Code"/> and <see cref="Constants"/> and the whole instruction decoding disappears.
/// </summary>
[Immutable]
public sealed class Chunk
{
    /// <summary>Freezes compiled code of the function <paramref name="name"/>.</summary>
    public Chunk(string name, byte[] code, int[] lines, object[] constants, int maxStack)
    {
        Name = name;
        Code = code;
        Lines = lines;
        Constants = constants;
        MaxStack = maxStack;
    }

    /// <summary>The function's name (<c>&lt;script&gt;</c> for the top level), for the JIT's logs.</summary>
    public readonly string Name;

    /// <summary>The bytecode (see <see cref="OpCode"/>).</summary>
    [ImmutableElements]
    public readonly byte[] Code;

    /// <summary>The source line of each byte of <see cref="Code"/>.</summary>
    [ImmutableElements]
    public readonly int[] Lines;

    /// <summary>The constants: numbers, interned strings (literals and property names), global cells, functions.</summary>
    [ImmutableElements]
    public readonly object[] Constants;

    /// <summary>Slots a frame running this chunk needs: locals plus the deepest expression temporaries.</summary>
    public readonly int MaxStack;
}
