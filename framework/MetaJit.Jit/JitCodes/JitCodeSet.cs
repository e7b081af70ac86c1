using System.Reflection;
using MetaJit.Engine.Descriptors;

namespace MetaJit.Engine.JitCodes;

/// <summary>
/// Everything the codewriter produced for one interpreter: a JitCode per looked-inside method and the
/// portals. The engine takes it as its whole knowledge of the interpreter.
/// </summary>
public sealed class JitCodeSet
{
    private readonly Dictionary<MethodBase, JitCode> _codes = new();
    private readonly List<PortalDescr> _portals = new();

    /// <summary>Every JitCode.</summary>
    public IEnumerable<JitCode> JitCodes => _codes.Values;

    /// <summary>Every portal.</summary>
    public IReadOnlyList<PortalDescr> Portals => _portals;

    /// <summary>How long codewriting took, or null when the set was loaded from disk.</summary>
    public TimeSpan? CodewritingTime { get; set; }

    /// <summary>Adds a JitCode and links it to its method's <see cref="CallDescr"/> (so calls look inside it).</summary>
    public void Add(JitCode code)
    {
        _codes[code.Method] = code;
        if (code.Method is ConstructorInfo ctor) Descrs.ConstructorOnInstance(ctor).JitCode = code;
        else Descrs.Call(code.Method).JitCode = code;
    }

    /// <summary>Adds a portal.</summary>
    public void AddPortal(PortalDescr portal) => _portals.Add(portal);

    /// <summary>The JitCode of <paramref name="method"/>, or null when it is residual.</summary>
    public JitCode? Find(MethodBase method) => _codes.GetValueOrDefault(method);

    /// <summary>The portal of <paramref name="driver"/>, or null.</summary>
    public PortalDescr? FindPortal(JitDriver driver) => _portals.FirstOrDefault(p => ReferenceEquals(p.Driver, driver));
}
