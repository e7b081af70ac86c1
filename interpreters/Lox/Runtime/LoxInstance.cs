namespace MetaJit.Lox.Runtime;

/// <summary>
/// An instance: a map (hidden class, which also knows the class) and the field values in map slot order.
/// Property access promotes the map, so in a trace it is a guard on the map and an array access.
/// </summary>
public sealed class LoxInstance
{
    private static readonly object[] NoFields = new object[0];

    /// <summary>A fresh instance of <paramref name="klass"/> with no fields.</summary>
    public LoxInstance(LoxClass klass)
        : this(klass.RootMap, NoFields)
    {
    }

    // Only stores its arguments: compiled code allocates instances with newobj of it (docs/hints.md).
    private LoxInstance(Map map, object[] storage)
    {
        Map = map;
        Storage = storage;
    }

    /// <summary>The hidden class: which fields exist and in which slots.</summary>
    public Map Map;

    /// <summary>Field values by slot; may be longer than the map's field count.</summary>
    public object[] Storage;

    /// <summary>The class.</summary>
    public LoxClass Klass => Map.Klass;

    /// <summary>The field <paramref name="name"/> (interned), or null when there is none.</summary>
    public object? GetField(string name)
    {
        Map map = Jit.Promote(Map);
        int index = map.IndexOf(name);
        if (index < 0) return null;
        return Storage[index];
    }

    /// <summary>Sets (creating when new) the field <paramref name="name"/> (interned).</summary>
    public void SetField(string name, object value)
    {
        Map map = Jit.Promote(Map);
        int index = map.IndexOf(name);
        if (index >= 0)
        {
            Storage[index] = value;
            return;
        }
        Map grown = map.WithField(name);
        index = map.Count;
        if (index >= Storage.Length) Storage = Grow(Storage, index);
        Storage[index] = value;
        Map = grown;
    }

    [LookInside] // copies a few fields (usually none: the first growth is from the shared empty array), so it is
                 // traced through instead of being a residual call that forces the frame back to memory
    private static object[] Grow(object[] storage, int index)
    {
        int length = storage.Length < 2 ? 4 : storage.Length * 2;
        if (length <= index) length = index + 1;
        var grown = new object[length];
        for (int i = 0; i < storage.Length; i++) grown[i] = storage[i];
        return grown;
    }

    /// <summary>How Lox prints an instance.</summary>
    public override string ToString() => Map.Klass.Name + " instance";
}
