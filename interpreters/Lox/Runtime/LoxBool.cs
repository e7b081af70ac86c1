namespace MetaJit.Lox.Runtime;

/// <summary>Lox's booleans: two instances, compared by reference.</summary>
[Immutable]
public sealed class LoxBool
{
    private LoxBool(bool value) => Value = value;

    /// <summary>The C# value.</summary>
    public readonly bool Value;

    /// <summary><c>true</c>.</summary>
    public static readonly LoxBool True = new(true);

    /// <summary><c>false</c>.</summary>
    public static readonly LoxBool False = new(false);

    /// <summary>The Lox boolean for <paramref name="value"/>.</summary>
    public static LoxBool Of(bool value) => value ? True : False;

    /// <inheritdoc/>
    public override string ToString() => Value ? "true" : "false";
}
