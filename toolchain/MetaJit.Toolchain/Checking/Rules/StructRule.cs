using Mono.Cecil;
using Mono.Cecil.Cil;
using Op = Mono.Cecil.Cil.Code;

namespace MetaJit.Toolchain.Checking.Rules;

/// <summary>
/// MJ008: value types other than primitives and enums, wherever the IL mentions one: locals, parameters,
/// fields, calls, <c>new</c>, boxing. Many come from the compiler, so the message names the usual source
/// (a foreach over List or Dictionary, string interpolation, a tuple, <c>int?</c>).
/// </summary>
internal sealed class StructRule : IRcsRule
{
    private static readonly HashSet<string> Handles = new() { "System.RuntimeTypeHandle", "System.RuntimeFieldHandle" };

    public string Code => RuleCodes.Struct;

    public void Check(MethodContext method)
    {
        foreach (var p in method.Method.Parameters)
            if (Find(p.ParameterType) is { } t) Report(method, null, t, $"parameter {p.Name} of struct type");
        if (Find(method.Method.ReturnType) is { } r) Report(method, null, r, "return value of struct type");
        foreach (var ins in method.Instructions)
        {
            // typeof(T) and array initialisers pass handles straight to the runtime; they are not values the program keeps.
            if (ins.OpCode.Code == Op.Ldtoken) continue;
            if (ins.Operand is MethodReference m && m.DeclaringType.FullName is "System.Type" or "System.Runtime.CompilerServices.RuntimeHelpers") continue;
            // A delegate's constructor takes the function as an IntPtr; the delegate itself is MJ003.
            if (ins.OpCode.Code == Op.Newobj && TypeFacts.IsDelegate(((MethodReference)ins.Operand).DeclaringType)) continue;
            foreach (var t in method.TypesMentionedBy(ins))
            {
                if (Find(t) is not { } found) continue;
                Report(method, ins, found, "struct");
                break;
            }
        }
    }

    private static TypeReference? Find(TypeReference type)
    {
        var found = TypeFacts.FindStruct(type);
        if (found == null || Handles.Contains(found.GetElementType().FullName)) return null;
        return TypeFacts.IsCompilerGenerated(found) ? null : found;
    }

    private void Report(MethodContext method, Instruction? ins, TypeReference type, string what)
    {
        var (source, fix) = Explain(method, type);
        method.Report(Code, ins, $"{what} {TypeFacts.Display(type)}{source}", fix);
    }

    private static (string Source, string Fix) Explain(MethodContext method, TypeReference type)
    {
        string name = type.GetElementType().FullName;
        if (name.EndsWith("/Enumerator", StringComparison.Ordinal))
            return (" (from a foreach over a collection)", "foreach over List, Dictionary or HashSet uses a struct enumerator; loop with for and an index (list[i]) or over an array");
        if (name == "System.Runtime.CompilerServices.DefaultInterpolatedStringHandler")
            return (" (from string interpolation $\"...\")", "build the string with + and ToString(), or format it in a [DontLookInside] method");
        if (name.StartsWith("System.ValueTuple", StringComparison.Ordinal))
            return (" (a tuple)", "return or store a small class instead, or use separate variables");
        if (name == "System.Nullable`1")
            return (" (a nullable value type like int?)", "use a sentinel value or a flag, or box it in a class");
        if (name == "System.Collections.Generic.KeyValuePair`2")
            return ("", "iterate over the keys (or keep keys and values in two arrays) and look the values up");
        if (name is "System.Span`1" or "System.ReadOnlySpan`1")
            return ("", "use an array with an index and a length (string concatenation with a char makes spans: write c.ToString())");
        if (TypeFacts.TryResolve(type) is { } def && def.Module == method.Method.Module)
            return ("", $"RC# has no user structs: make {TypeFacts.Display(type)} a class");
        return ("", "RC# has no structs besides primitives and enums: use a class or primitive values, or move this code into a [DontLookInside] method");
    }
}
