using Mono.Cecil;
using Mono.Cecil.Cil;

namespace MetaJit.Toolchain.Checking;

/// <summary>
/// The interpreter's assembly read with Cecil, with its portable PDB (beside it or embedded) when there is one,
/// and a resolver that finds its references beside it and in the running .NET's shared framework.
/// </summary>
/// <remarks>
/// The checker keeps its own small loader so it does not depend on the codewriter's Loading/ folder; when
/// both exist, pass the codewriter's <see cref="ModuleDefinition"/> to <see cref="InterpreterAssembly(ModuleDefinition)"/>.
/// </remarks>
public sealed class InterpreterAssembly : IDisposable
{
    /// <summary>Wraps an already loaded module.</summary>
    public InterpreterAssembly(ModuleDefinition module)
    {
        Module = module;
    }

    /// <summary>The interpreter's main module.</summary>
    public ModuleDefinition Module { get; }

    /// <summary>Reads <paramref name="path"/> with its symbols.</summary>
    /// <exception cref="BadImageFormatException">Not a .NET assembly.</exception>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    public static InterpreterAssembly Load(string path)
    {
        string full = Path.GetFullPath(path);
        if (!File.Exists(full)) throw new FileNotFoundException($"no such file: {path}", path);
        var resolver = new DefaultAssemblyResolver();
        resolver.AddSearchDirectory(Path.GetDirectoryName(full)!);
        string runtimeDir = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        resolver.AddSearchDirectory(runtimeDir);
        var parameters = new ReaderParameters
        {
            AssemblyResolver = resolver,
            ReadSymbols = true,
            SymbolReaderProvider = new DefaultSymbolReaderProvider(throwIfNoSymbol: false),
            InMemory = true,
        };
        return new InterpreterAssembly(ModuleDefinition.ReadModule(full, parameters));
    }

    /// <summary>True when <paramref name="type"/> is defined in the interpreter's module.</summary>
    public bool Owns(TypeDefinition? type) => type != null && type.Module == Module;

    /// <summary>True when <paramref name="method"/> is defined in the interpreter's module.</summary>
    public bool Owns(MethodDefinition? method) => method != null && Owns(method.DeclaringType);

    /// <inheritdoc/>
    public void Dispose() => Module.Dispose();
}
