namespace MetaJit.Lox.Runtime;

/// <summary>
/// A class: a name and a method table. The table changes only while the class declaration runs
/// (<c>OP_INHERIT</c> copies the superclass's methods down, then each <c>OP_METHOD</c> adds one); every
/// change replaces <see cref="_version"/>. The JIT reads the quasi-immutable version as a constant and folds
/// the elidable <see cref="Lookup"/>, so a method lookup on a known class costs nothing in a trace.
/// </summary>
public sealed class LoxClass
{
    private readonly Dictionary<string, LoxClosure> _methods = new(StringComparer.Ordinal);

    [QuasiImmutable]
    private MethodTableVersion _version = new();

    /// <summary>A class with no methods yet.</summary>
    public LoxClass(string name)
    {
        Name = name;
        RootMap = new Map(this);
    }

    /// <summary>The class's name.</summary>
    public readonly string Name;

    /// <summary>The map (hidden class) of its instances before they get any field.</summary>
    public readonly Map RootMap;

    /// <summary>The method called <paramref name="name"/> (interned), or null.</summary>
    public LoxClosure? FindMethod(string name) => Lookup(name, _version);

    [Elidable, DontLookInside]
    private LoxClosure? Lookup(string name, MethodTableVersion version)
    {
        return _methods.TryGetValue(name, out var method) ? method : null;
    }

    /// <summary>Adds or replaces a method (<c>OP_METHOD</c>).</summary>
    [DontLookInside]
    public void DefineMethod(string name, LoxClosure method)
    {
        _methods[name] = method;
        _version = new MethodTableVersion();
    }

    /// <summary>Copies every method of <paramref name="superclass"/> into this class (<c>OP_INHERIT</c>).</summary>
    [DontLookInside]
    public void InheritFrom(LoxClass superclass)
    {
        foreach (var (name, method) in superclass._methods) _methods[name] = method;
        _version = new MethodTableVersion();
    }

    /// <summary>How Lox prints a class: its name.</summary>
    public override string ToString() => Name;

    /// <summary>An identity that changes whenever the method table changes.</summary>
    private sealed class MethodTableVersion
    {
    }
}
