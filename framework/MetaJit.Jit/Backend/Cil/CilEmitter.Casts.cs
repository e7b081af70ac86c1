using System.Reflection.Emit;
using MetaJit.Engine.Trace;

namespace MetaJit.Engine.Backend.Cil;

/// <summary>
/// Checked casts of references, done once: the first use of a value as type T (a field owner, an array type,
/// a call receiver) emits <c>castclass T</c> and keeps the result in a local of type T; later uses load that
/// local. BF's traces touch the tape array a dozen times per iteration, and every <c>castclass</c> is a
/// helper call at run time and a token RyuJIT resolves through the DynamicMethod's resolver at compile time.
/// A cached cast is valid while its value lives and only on straight-line code after it: the cache is
/// dropped at every label (jumps give label args new values) and at the start of every bridge of a tree.
/// </summary>
internal sealed partial class CilEmitter
{
    private readonly Dictionary<(Value, Type), LocalBuilder> _casts = new();
    private readonly Dictionary<Type, Stack<LocalBuilder>> _freeCasts = new();

    /// <summary>Loads an object to access as <paramref name="type"/>: cast, unless the backend trusts the trace's types.</summary>
    private void Receiver(Value v, Type type)
    {
        if (_trustTypes || type == typeof(object))
        {
            Load(v);
            return;
        }
        if (v is Const || !_casts.TryGetValue((v, type), out var local))
        {
            Load(v);
            E(OpCodes.Castclass, type);
            if (v is Const) return;
            local = _freeCasts.TryGetValue(type, out var pool) && pool.Count > 0 ? pool.Pop() : _il.DeclareLocal(type);
            E(OpCodes.Dup); E(OpCodes.Stloc, local);
            _casts[(v, type)] = local;
            return;
        }
        E(OpCodes.Ldloc, local);
    }

    /// <summary>Frees the cast locals of <paramref name="v"/> (dead), or of every value (null: a label or a new segment).</summary>
    private void ForgetCasts(Value? v)
    {
        if (_casts.Count == 0) return;
        foreach (var (key, local) in _casts.ToList())
        {
            if (v != null && !ReferenceEquals(key.Item1, v)) continue;
            if (!_freeCasts.TryGetValue(key.Item2, out var pool)) _freeCasts[key.Item2] = pool = new Stack<LocalBuilder>();
            pool.Push(local);
            _casts.Remove(key);
        }
    }
}
