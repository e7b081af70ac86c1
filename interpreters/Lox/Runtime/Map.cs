namespace MetaJit.Lox.Runtime;

/// <summary>
/// A hidden class: the class of an instance plus the ordered names of its fields, each name mapped to a
/// slot of <see cref="LoxInstance.Storage"/>. Instances that got the same fields in the same order share a
/// map; adding a field follows (or creates) a transition to a child map. Maps never change, so with the map
/// promoted to a constant the JIT folds <see cref="IndexOf"/> and <see cref="WithField"/> and a property
/// access becomes a map guard plus an array read.
/// </summary>
public sealed class Map
{
    private const int LinearSearchLimit = 8;

    [ImmutableElements]
    private readonly string[] _names;
    private readonly Dictionary<string, int>? _index;
    private readonly Dictionary<string, Map> _transitions = new(StringComparer.Ordinal);

    /// <summary>The root map of <paramref name="klass"/>'s instances: no fields.</summary>
    public Map(LoxClass klass)
    {
        Klass = klass;
        _names = new string[0];
    }

    private Map(Map parent, string name)
    {
        Klass = parent.Klass;
        _names = new string[parent._names.Length + 1];
        Array.Copy(parent._names, _names, parent._names.Length);
        _names[parent._names.Length] = name;
        if (_names.Length > LinearSearchLimit)
        {
            _index = new Dictionary<string, int>(StringComparer.Ordinal);
            for (int i = 0; i < _names.Length; i++) _index[_names[i]] = i;
        }
    }

    /// <summary>The class of the instances with this map.</summary>
    public readonly LoxClass Klass;

    /// <summary>The number of fields.</summary>
    public int Count => _names.Length;

    /// <summary>The slot of field <paramref name="name"/> (interned), or -1.</summary>
    [Elidable]
    public int IndexOf(string name)
    {
        if (_index != null) return IndexOfLarge(name);
        string[] names = _names;
        for (int i = 0; i < names.Length; i++)
        {
            if ((object)names[i] == (object)name) return i;
        }
        return -1;
    }

    [DontLookInside]
    private int IndexOfLarge(string name) => _index!.TryGetValue(name, out int i) ? i : -1;

    /// <summary>The map after adding field <paramref name="name"/>: always the same object for the same name.</summary>
    [Elidable, DontLookInside]
    public Map WithField(string name)
    {
        if (!_transitions.TryGetValue(name, out var child))
        {
            child = new Map(this, name);
            _transitions.Add(name, child);
        }
        return child;
    }
}
