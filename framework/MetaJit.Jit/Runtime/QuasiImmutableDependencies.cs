using System.Reflection;
using System.Runtime.CompilerServices;
using MetaJit.Engine.Backend;
using MetaJit.Engine.Descriptors;

namespace MetaJit.Engine.Runtime;

/// <summary>
/// Which compiled loops read which <c>[QuasiImmutable]</c> fields of which objects as constants (RPython's
/// quasiimmut.py). The tracer registers (object, field) for the loop it records; a write of that field
/// (<see cref="QuasiImmutable.Changed"/>, woven after every <c>stfld</c>) invalidates every loop that depends on
/// it: its <c>guard_not_invalidated</c>s fail from then on and its cell counts again, so it gets retraced.
/// </summary>
internal sealed class QuasiImmutableDependencies
{
    private readonly JitEngine _engine;
    private readonly ConditionalWeakTable<object, List<(string Field, LoopDependency Loop)>> _watchers = new();
    private readonly Dictionary<Assembly, bool> _woven = new();
    private bool _anyWatched;

    public QuasiImmutableDependencies(JitEngine engine) => _engine = engine;

    /// <summary>
    /// True when reads of <paramref name="field"/> may be folded: its assembly was woven, so every write of it
    /// notifies the engine. Otherwise folding would be unsound; the first such field of an assembly is logged.
    /// </summary>
    public bool Folds(FieldDescr field)
    {
        if (!field.IsQuasiImmutable || field.IsStatic) return false;
        var assembly = field.Field.DeclaringType!.Assembly;
        if (_woven.TryGetValue(assembly, out bool woven)) return woven;
        woven = assembly.IsDefined(typeof(QuasiImmutableWovenAttribute), false);
        _woven[assembly] = woven;
        if (!woven)
            _engine.Log($"{assembly.GetName().Name} declares [QuasiImmutable] fields ({field.Name}) but was not woven by "
                + "the MetaJit build step (MetaJit.targets): their writes do not invalidate compiled code, so reads of them are not folded");
        return woven;
    }

    /// <summary><paramref name="loop"/> read <paramref name="field"/> of <paramref name="obj"/> as a constant.</summary>
    public void Watch(object obj, FieldDescr field, LoopDependency loop)
    {
        if (loop.IsDead || !loop.StartWatching(obj, field.Field.Name)) return;
        var list = _watchers.GetOrCreateValue(obj);
        list.RemoveAll(w => w.Loop.IsDead);
        list.Add((field.Field.Name, loop));
        _anyWatched = true;
    }

    /// <summary>Field <paramref name="field"/> of <paramref name="obj"/> was written: invalidate what depends on it.</summary>
    public void Changed(object obj, string field)
    {
        if (!_anyWatched || !_watchers.TryGetValue(obj, out var list)) return;
        // Matching by name may invalidate more than needed (a base and a derived field of one name): sound.
        var hit = list.Where(w => w.Field == field).Select(w => w.Loop).ToList();
        list.RemoveAll(w => w.Field == field || w.Loop.IsDead);
        foreach (var loop in hit) loop.Invalidate();
    }
}

/// <summary>
/// The quasi-immutable reads one loop relies on, from the start of its tracing (so a write during tracing, after
/// the read, counts) through its life as compiled code; its bridges add their reads to it. Invalidating it
/// invalidates the loop and its bridges (<see cref="ICompiledTrace.Invalidate"/>) and sends its cell back to
/// counting.
/// </summary>
internal sealed class LoopDependency(JitStatistics statistics, Action<string> log)
{
    private readonly HashSet<(object, string)> _watching = new(new ObjectFieldComparer());
    private JitCell? _cell;
    private object? _entry;
    private ICompiledTrace? _loop;
    private bool _discarded;

    /// <summary>True once a write invalidated what the loop read.</summary>
    public bool IsInvalidated { get; private set; }

    /// <summary>Invalidated, or the trace was abandoned: nothing to keep watching for.</summary>
    public bool IsDead => IsInvalidated || _discarded;

    /// <summary>False when (object, field) is already watched for this loop.</summary>
    public bool StartWatching(object obj, string field) => _watching.Add((obj, field));

    /// <summary>The trace was aborted or refused by the backend.</summary>
    public void Discard() => _discarded = true;

    /// <summary>The trace became <paramref name="loop"/>, entered from <paramref name="cell"/> as
    /// <paramref name="entry"/>. A write that happened during tracing invalidates it at once.</summary>
    public void Bind(JitCell cell, object entry, ICompiledTrace loop)
    {
        _cell = cell;
        _entry = entry;
        _loop = loop;
        if (IsInvalidated)
        {
            IsInvalidated = false;
            Invalidate();
        }
    }

    private List<ICompiledTrace>? _alsoCompiled;

    /// <summary><paramref name="trace"/> was compiled from the loop's recording too (a specialized entry): it relies
    /// on the same reads and is invalidated with the loop.</summary>
    public void AlsoCompiledAs(ICompiledTrace trace) => (_alsoCompiled ??= new()).Add(trace);

    /// <summary>Makes the loop's guard_not_invalidated fail and lets its cell count again (to retrace).</summary>
    public void Invalidate()
    {
        if (IsInvalidated) return;
        IsInvalidated = true;
        if (_loop == null) return; // still tracing: Bind invalidates the loop once it exists
        _loop.Invalidate();
        if (_alsoCompiled != null) foreach (var t in _alsoCompiled) t.Invalidate();
        statistics.LoopsInvalidated++;
        log($"loop {_loop.Trace.Name} invalidated: a quasi-immutable field it read was written");
        if (_cell != null && ReferenceEquals(_cell.CompiledLoop, _entry))
        {
            _cell.CompiledLoop = null;
            _cell.State = JitCellState.Counting;
            _cell.Counter = 0;
        }
    }

    private sealed class ObjectFieldComparer : IEqualityComparer<(object Obj, string Field)>
    {
        public bool Equals((object Obj, string Field) a, (object Obj, string Field) b) => ReferenceEquals(a.Obj, b.Obj) && a.Field == b.Field;

        public int GetHashCode((object Obj, string Field) x) => HashCode.Combine(RuntimeHelpers.GetHashCode(x.Obj), x.Field);
    }
}
