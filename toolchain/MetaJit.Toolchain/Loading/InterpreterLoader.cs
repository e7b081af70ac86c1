using System.Reflection;
using Mono.Cecil;
using Mono.Cecil.Cil;
using Mono.Cecil.Rocks;

namespace MetaJit.Toolchain.Loading;

/// <summary>
/// Opens the interpreter's assemblies with Cecil (with their portable PDBs) and bridges between Cecil and
/// the reflection objects of the same assemblies loaded in this process. The codewriter reads IL bodies
/// through Cecil and names every member through reflection (descriptors are reflection-keyed).
/// </summary>
/// <example><code>
/// var loader = new InterpreterLoader();
/// var def = loader.Definition(typeof(BfInterpreter).GetMethod("Execute", ...)!);
/// </code></example>
public sealed class InterpreterLoader
{
    private readonly Dictionary<Module, ModuleDefinition> _modules = new();
    private readonly Dictionary<string, SourceMap> _sourceMaps = new();
    private readonly Dictionary<MethodBase, MethodDefinition> _definitions = new();

    /// <summary>The Cecil module of a loaded reflection module (read on first use, with its PDB when present).</summary>
    public ModuleDefinition Cecil(Module module)
    {
        if (_modules.TryGetValue(module, out var md)) return md;
        string path = module.Assembly.Location;
        if (string.IsNullOrEmpty(path))
            throw new CodewriterException($"Assembly {module.Assembly.GetName().Name} has no file on disk; the toolchain reads IL from the file.");
        md = Read(path);
        _modules[module] = md;
        return md;
    }

    /// <summary>Reads an assembly file with Cecil, its PDB included when present, resolving references from its
    /// directory and then the runtime directory.</summary>
    public static ModuleDefinition Read(string path)
    {
        var resolver = new DefaultAssemblyResolver();
        foreach (var d in resolver.GetSearchDirectories()) resolver.RemoveSearchDirectory(d);
        resolver.AddSearchDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        resolver.AddSearchDirectory(Path.GetDirectoryName(typeof(object).Assembly.Location)!);
        var parameters = new ReaderParameters { AssemblyResolver = resolver, ReadingMode = ReadingMode.Deferred };
        string pdb = Path.ChangeExtension(path, ".pdb");
        if (File.Exists(pdb))
        {
            parameters.ReadSymbols = true;
            parameters.SymbolReaderProvider = new PortablePdbReaderProvider();
            try { return ModuleDefinition.ReadModule(path, parameters); }
            catch (Exception e) when (e is SymbolsNotMatchingException or BadImageFormatException or InvalidOperationException)
            {
                parameters.ReadSymbols = false;
                parameters.SymbolReaderProvider = null;
            }
        }
        return ModuleDefinition.ReadModule(path, parameters);
    }

    /// <summary>The Cecil definition (with its body) of <paramref name="method"/>, a method of a loaded assembly;
    /// generic instantiations map to their generic definition.</summary>
    public MethodDefinition Definition(MethodBase method)
    {
        if (_definitions.TryGetValue(method, out var def)) return def;
        var md = Cecil(method.Module);
        def = md.LookupToken(method.MetadataToken) as MethodDefinition
              ?? throw new CodewriterException($"Cannot find the IL of {method.DeclaringType}.{method.Name}.", method);
        if (def.HasBody) def.Body.SimplifyMacros(); // long forms only: one case per opcode in the codewriter
        _definitions[method] = def;
        return def;
    }

    /// <summary>The source map (lines, local names) of <paramref name="def"/>.</summary>
    public SourceMap Source(MethodDefinition def)
    {
        string key = def.Module.Mvid + ":" + def.MetadataToken.ToUInt32();
        if (!_sourceMaps.TryGetValue(key, out var map)) _sourceMaps[key] = map = new SourceMap(def);
        return map;
    }

    /// <summary>The generic context of a (closed) method: its class's and its own type arguments.</summary>
    public static (Type[]? TypeArgs, Type[]? MethodArgs) Context(MethodBase method) =>
        (method.DeclaringType is { IsGenericType: true } t ? t.GetGenericArguments() : null,
         method is MethodInfo { IsGenericMethod: true } mi ? mi.GetGenericArguments() : null);

    /// <summary>The reflection method named by an IL operand of <paramref name="context"/>'s body
    /// (resolved by metadata token, so closed generic instantiations come out closed).</summary>
    public static MethodBase ResolveMethod(MethodBase context, MemberReference operand)
    {
        var (ta, ma) = Context(context);
        return context.Module.ResolveMethod(operand.MetadataToken.ToInt32(), ta, ma)!;
    }

    /// <summary>The reflection field named by an IL operand of <paramref name="context"/>'s body.</summary>
    public static FieldInfo ResolveField(MethodBase context, MemberReference operand)
    {
        var (ta, ma) = Context(context);
        return context.Module.ResolveField(operand.MetadataToken.ToInt32(), ta, ma)!;
    }

    /// <summary>The reflection type named by an IL operand of <paramref name="context"/>'s body.</summary>
    public static Type ResolveType(MethodBase context, TypeReference operand)
    {
        var (ta, ma) = Context(context);
        // Cecil keeps the TypeSpec token of generic parameters and instantiations only sometimes: map those by signature.
        if (operand is TypeSpecification or GenericParameter || operand.MetadataToken.TokenType == TokenType.GenericParam)
            return MapType(operand, ta, ma);
        return context.Module.ResolveType(operand.MetadataToken.ToInt32(), ta, ma);
    }

    /// <summary>The reflection type of a signature type (a local's type) in <paramref name="context"/>.</summary>
    public static Type MapType(MethodBase context, TypeReference type)
    {
        var (ta, ma) = Context(context);
        return MapType(type, ta, ma);
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(string, string), Type> Named = new();

    private static Type MapType(TypeReference t, Type[]? ta, Type[]? ma)
    {
        switch (t)
        {
            case GenericParameter gp:
                return gp.Type == GenericParameterType.Type ? ta![gp.Position] : ma![gp.Position];
            case ArrayType at:
                return at.IsVector ? MapType(at.ElementType, ta, ma).MakeArrayType() : MapType(at.ElementType, ta, ma).MakeArrayType(at.Rank);
            case ByReferenceType br:
                return MapType(br.ElementType, ta, ma).MakeByRefType();
            case PointerType pt:
                return MapType(pt.ElementType, ta, ma).MakePointerType();
            case PinnedType pin:
                return MapType(pin.ElementType, ta, ma);
            case RequiredModifierType rm:
                return MapType(rm.ElementType, ta, ma);
            case OptionalModifierType om:
                return MapType(om.ElementType, ta, ma);
            case GenericInstanceType git:
                return MapType(git.ElementType, ta, ma).MakeGenericType(git.GenericArguments.Select(a => MapType(a, ta, ma)).ToArray());
        }
        var key = (t.Scope?.ToString() ?? "", t.FullName);
        if (Named.TryGetValue(key, out var found)) return found;
        Type result;
        if (t.IsNested)
        {
            var outer = MapType(t.DeclaringType, ta, ma);
            result = outer.GetNestedType(t.Name, BindingFlags.Public | BindingFlags.NonPublic)
                     ?? throw new CodewriterException($"Cannot find type {t.FullName}.");
        }
        else
        {
            result = AssemblyOf(t.Scope!).GetType(t.FullName, throwOnError: true)!;
        }
        return Named[key] = result;
    }

    private static Assembly AssemblyOf(IMetadataScope scope)
    {
        string name = scope switch
        {
            ModuleDefinition m => m.Assembly.Name.Name,
            AssemblyNameReference a => a.Name,
            ModuleReference m => Path.GetFileNameWithoutExtension(m.Name),
            _ => scope.Name,
        };
        foreach (var a in AppDomain.CurrentDomain.GetAssemblies())
            if (a.GetName().Name == name) return a;
        return Assembly.Load(new AssemblyName(name));
    }
}
