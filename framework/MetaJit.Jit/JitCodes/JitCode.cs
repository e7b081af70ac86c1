using System.Reflection;
using MetaJit.Engine.Descriptors;

namespace MetaJit.Engine.JitCodes;

/// <summary>
/// The register code of one method the JIT may look inside, made by the toolchain's codewriter from the
/// method's IL. Both the blackhole interpreter and the tracer execute it (see <c>Execution/</c>).
/// Registers come in three banks (<see cref="ValueKind"/>); parameters arrive in <see cref="ParamRegs"/>.
/// </summary>
public sealed class JitCode
{
    /// <summary>Creates an empty JitCode for <paramref name="method"/>; the codewriter fills it.</summary>
    public JitCode(MethodBase method, string name)
    {
        Method = method;
        Name = name;
    }

    /// <summary>The method this code was written from (a constructor runs on an already allocated object).</summary>
    public MethodBase Method { get; }

    /// <summary>Readable name, e.g. <c>BfInterpreter.Execute</c>.</summary>
    public string Name { get; }

    /// <summary>The instructions; the pc is an index into this array.</summary>
    public JitInsn[] Code { get; set; } = Array.Empty<JitInsn>();

    /// <summary>Number of int registers.</summary>
    public int NumInts { get; set; }
    /// <summary>Number of float registers.</summary>
    public int NumFloats { get; set; }
    /// <summary>Number of ref registers.</summary>
    public int NumRefs { get; set; }

    /// <summary>Where each parameter (receiver first) is placed on entry, <see cref="Reg.Encode"/>d.</summary>
    public int[] ParamRegs { get; set; } = Array.Empty<int>();

    /// <summary>Kind of the returned value (<see cref="ValueKind.Void"/> for void methods and constructors).</summary>
    public ValueKind ResultKind { get; set; } = ValueKind.Void;

    /// <summary>Exception handlers, innermost first for nested regions.</summary>
    public JitHandler[] Handlers { get; set; } = Array.Empty<JitHandler>();

    /// <summary>The source file of the method, when its PDB was found.</summary>
    public string? SourceFile { get; set; }

    /// <summary>The source line of each instruction (0 when unknown).</summary>
    public int[] Lines { get; set; } = Array.Empty<int>();

    /// <summary>The registers live before each instruction, once computed (by the codewriter's liveness pass).</summary>
    public LiveSet[]? Liveness { get; set; }

    /// <summary>Whether the JitCode contains a loop (a backward jump); the tracer does not inline such code
    /// unless the method is marked <c>[UnrollSafe]</c> or <c>[LookInside]</c>.</summary>
    public bool HasLoops { get; set; }

    /// <summary>The code of a portal (set when a <see cref="PortalDescr"/> links it). The blackhole calls a portal natively rather than
    /// running it: the call then goes through the portal's own CanEnterJit, so a recursive interpreter's
    /// calls made while leaving compiled code run compiled code again instead of the whole call tree here.</summary>
    public bool IsPortal { get; set; }

    /// <summary>The handler that catches an exception of <paramref name="exceptionType"/> raised at <paramref name="pc"/>, or null.</summary>
    public JitHandler? FindHandler(int pc, Type exceptionType)
    {
        foreach (var h in Handlers)
            if (pc >= h.Start && pc < h.End && (h.CatchType == null || h.CatchType.Type.IsAssignableFrom(exceptionType)))
                return h;
        return null;
    }

    /// <summary>"file:line" of instruction <paramref name="pc"/>, or the method name when unknown.</summary>
    public string Location(int pc)
    {
        int line = pc >= 0 && pc < Lines.Length ? Lines[pc] : 0;
        return line > 0 && SourceFile != null ? $"{SourceFile}:{line}" : Name;
    }

    /// <inheritdoc/>
    public override string ToString() => $"<JitCode {Name}>";
}

/// <summary>An exception region: instructions [Start, End) are covered; a matching exception is stored in
/// ref register <see cref="ExceptionReg"/> and execution continues at <see cref="HandlerPc"/>.
/// A null <see cref="CatchType"/> catches everything (the codewriter's lowering of <c>finally</c>).</summary>
public sealed record JitHandler(int Start, int End, int HandlerPc, TypeDescr? CatchType, int ExceptionReg);

/// <summary>Registers live at one pc, one sorted array per bank.</summary>
public sealed record LiveSet(int[] Ints, int[] Floats, int[] Refs)
{
    /// <summary>No live registers.</summary>
    public static readonly LiveSet Empty = new(Array.Empty<int>(), Array.Empty<int>(), Array.Empty<int>());
}
