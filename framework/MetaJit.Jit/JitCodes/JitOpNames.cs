using System.Text;

namespace MetaJit.Engine.JitCodes;

/// <summary>The snake_case listing names of opcodes (<c>IntAddOvf</c> -> <c>int_add_ovf</c>).</summary>
public static class JitOpNames
{
    private static readonly string[] Names = Enum.GetValues<JitOpcode>().Select(ToSnake).ToArray();
    private static readonly Dictionary<string, JitOpcode> ByName = Enum.GetValues<JitOpcode>().ToDictionary(ToSnake);

    /// <summary>The listing name of <paramref name="op"/>.</summary>
    public static string Of(JitOpcode op) => Names[(int)op];

    /// <summary>The opcode with listing name <paramref name="name"/>.</summary>
    public static bool TryParse(string name, out JitOpcode op) => ByName.TryGetValue(name, out op);

    private static string ToSnake(JitOpcode op)
    {
        var s = op.ToString();
        var b = new StringBuilder();
        for (int i = 0; i < s.Length; i++)
        {
            if (char.IsUpper(s[i]) && i > 0) b.Append('_');
            b.Append(char.ToLowerInvariant(s[i]));
        }
        return b.ToString();
    }
}
