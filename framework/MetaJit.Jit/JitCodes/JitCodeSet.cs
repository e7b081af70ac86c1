using System.Reflection;
using MetaJit.Engine.Descriptors;

namespace MetaJit.Engine.JitCodes;

/// <summary>
/// Everything the codewriter produced for one interpreter: a JitCode per looked-inside method and the
/// portals. The engine takes it as its whole knowledge of the interpreter.
/// A set read from disk may hold its portals only and add its JitCodes when first asked for one (<see cref="Find"/>,
/// <see cref="JitCodes"/>, a portal's <see cref="PortalDescr.JitCode"/>): a program that never gets hot needs
/// nothing but the portals, and decoding the JitCodes is most of a start's cost of attaching (docs/engine.md).
/// </summary>
public sealed class JitCodeSet
{
    private readonly Dictionary<MethodBase, JitCode> _codes = new();
    private readonly List<PortalDescr> _portals = new();
    private Action<JitCodeSet>? _addCodes;

    /// <summary>A set whose JitCodes are all added now (<see cref="Add"/>).</summary>
    public JitCodeSet() { }

    /// <summary>A set whose JitCodes <paramref name="addCodes"/> adds (<see cref="Add"/>, and linking the portals'
    /// <see cref="PortalDescr.JitCode"/>) the first time any is asked for; its portals are added now.</summary>
    public JitCodeSet(Action<JitCodeSet> addCodes) => _addCodes = addCodes;

    /// <summary>Whether the JitCodes are there (always, unless the set was made with a deferred loader not yet run).</summary>
    public bool CodesLoaded => _addCodes == null && _failure == null;

    /// <summary>How long adding the deferred JitCodes took, once they were added.</summary>
    public TimeSpan? DeferredLoadTime { get; private set; }

    /// <summary>Every JitCode.</summary>
    public IEnumerable<JitCode> JitCodes
    {
        get
        {
            EnsureCodes();
            return _codes.Values;
        }
    }

    /// <summary>Adds the deferred JitCodes if they are not there yet (once; thread-safe).</summary>
    public void EnsureCodes()
    {
        if (_addCodes == null && _failure == null) return;
        lock (_codes)
        {
            _failure?.Throw(); // every later request fails the same way, not with a half-filled set
            if (_addCodes is not { } add) return;
            _addCodes = null; // the loader may look codes up while it adds them
            long start = System.Diagnostics.Stopwatch.GetTimestamp();
            try
            {
                add(this);
            }
            catch (Exception e)
            {
                _failure = System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e);
                throw;
            }
            DeferredLoadTime = System.Diagnostics.Stopwatch.GetElapsedTime(start);
        }
    }

    private System.Runtime.ExceptionServices.ExceptionDispatchInfo? _failure;

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
    public void AddPortal(PortalDescr portal)
    {
        _portals.Add(portal);
        if (_addCodes != null) portal.DeferredIn = this;
    }

    /// <summary>The JitCode of <paramref name="method"/>, or null when it is residual.</summary>
    public JitCode? Find(MethodBase method)
    {
        EnsureCodes();
        return _codes.GetValueOrDefault(method);
    }

    /// <summary>The portal of <paramref name="driver"/>, or null.</summary>
    public PortalDescr? FindPortal(JitDriver driver) => _portals.FirstOrDefault(p => ReferenceEquals(p.Driver, driver));
}
