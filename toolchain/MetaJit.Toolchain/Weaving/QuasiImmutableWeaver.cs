using Mono.Cecil;
using Mono.Cecil.Cil;
using Mono.Cecil.Rocks;
using MetaJit.Toolchain.Loading;

namespace MetaJit.Toolchain.Weaving;

/// <summary>
/// The build step that makes writes of <c>[QuasiImmutable]</c> fields visible to the JIT: in an interpreter
/// assembly (rewritten in place, PDB included), every <c>stfld</c> of such a field becomes
/// <code>
/// stloc tmp; dup; ldloc tmp; stfld F; ldstr "F"; call MetaJit.QuasiImmutable::Changed(object, string)
/// </code>
/// The first instruction is the old <c>stfld</c> itself (rewritten), so branches and exception-handler bounds that
/// pointed at it still do, and every inserted instruction inherits the statement's sequence point. The assembly
/// gets <c>[assembly: QuasiImmutableWoven]</c>, which makes weaving twice a no-op and tells the engine that folding
/// reads of its quasi-immutable fields is sound. Native code, the blackhole and compiled code then all notify the
/// engine through the same call (the codewriter sees it as a residual call).
/// </summary>
/// <example><code>var result = QuasiImmutableWeaver.Weave("obj/Release/net10.0/MyInterpreter.dll");</code></example>
public static class QuasiImmutableWeaver
{
    private const string HintsAssembly = "MetaJit.Hints";
    private const string AttributeName = "MetaJit.QuasiImmutableAttribute";
    private const string MarkerNamespace = "MetaJit";
    private const string MarkerName = "QuasiImmutableWovenAttribute";

    /// <summary>
    /// Weaves the assembly at <paramref name="path"/> in place (and its portable PDB when present).
    /// <paramref name="searchDirectories"/> help resolve fields of referenced assemblies.
    /// </summary>
    /// <exception cref="CodewriterException">A write the weaver cannot instrument (the field's address taken, a
    /// field of a struct).</exception>
    public static WeaveResult Weave(string path, IEnumerable<string>? searchDirectories = null)
    {
        path = Path.GetFullPath(path);
        var resolver = new DefaultAssemblyResolver();
        resolver.AddSearchDirectory(Path.GetDirectoryName(path)!);
        foreach (var d in searchDirectories ?? []) if (Directory.Exists(d)) resolver.AddSearchDirectory(d);
        string pdb = Path.ChangeExtension(path, ".pdb");
        bool symbols = File.Exists(pdb);
        var parameters = new ReaderParameters { AssemblyResolver = resolver, ReadWrite = true, ReadSymbols = symbols };
        if (symbols) parameters.SymbolReaderProvider = new PortablePdbReaderProvider();
        using var module = ModuleDefinition.ReadModule(path, parameters);
        if (module.Assembly.CustomAttributes.Any(a => a.AttributeType.Namespace == MarkerNamespace && a.AttributeType.Name == MarkerName))
            return new WeaveResult(AlreadyWoven: true, 0);
        var hints = module.AssemblyReferences.FirstOrDefault(a => a.Name == HintsAssembly);
        if (hints == null) return new WeaveResult(false, 0); // cannot declare quasi-immutable fields: nothing to do

        var changed = new MethodReference("Changed", module.TypeSystem.Void, new TypeReference("MetaJit", "QuasiImmutable", module, hints))
        {
            HasThis = false,
        };
        changed.Parameters.Add(new ParameterDefinition(module.TypeSystem.Object));
        changed.Parameters.Add(new ParameterDefinition(module.TypeSystem.String));
        int writes = 0;
        foreach (var type in module.GetTypes())
            foreach (var method in type.Methods.Where(m => m.HasBody))
                writes += WeaveMethod(method, changed);

        var marker = new MethodReference(".ctor", module.TypeSystem.Void, new TypeReference(MarkerNamespace, MarkerName, module, hints)) { HasThis = true };
        module.Assembly.CustomAttributes.Add(new CustomAttribute(marker));
        module.Write(new WriterParameters { WriteSymbols = symbols, DeterministicMvid = true });
        return new WeaveResult(false, writes);
    }

    private static int WeaveMethod(MethodDefinition method, MethodReference changed)
    {
        var body = method.Body;
        var targets = body.Instructions
            .Where(i => (i.OpCode.Code is Code.Stfld or Code.Ldflda) && IsQuasiImmutable((FieldReference)i.Operand)
                && !IsReadThroughAddress(i))
            .ToList();
        if (targets.Count == 0) return 0;
        body.SimplifyMacros();
        var il = body.GetILProcessor();
        var temps = new Dictionary<string, VariableDefinition>();
        foreach (var insn in targets)
        {
            var field = (FieldReference)insn.Operand;
            if (insn.OpCode.Code == Code.Ldflda)
                throw Error(method, insn, $"the address of quasi-immutable field {field.Name} is taken; a write through it would not invalidate compiled code (assign the field instead)");
            if (field.DeclaringType.IsValueType)
                throw Error(method, insn, $"quasi-immutable field {field.Name} belongs to a struct; only fields of classes can be quasi-immutable");
            var fieldType = FieldType(field);
            string key = fieldType.FullName;
            if (!temps.TryGetValue(key, out var temp))
            {
                temp = new VariableDefinition(fieldType);
                body.Variables.Add(temp);
                temps[key] = temp;
            }
            // Rewrite in place: whatever pointed at the stfld (branches, handler bounds, sequence points) now
            // points at the start of the woven sequence.
            insn.OpCode = OpCodes.Stloc;
            insn.Operand = temp;
            var after = insn;
            foreach (var added in new[]
                     {
                         il.Create(OpCodes.Dup), il.Create(OpCodes.Ldloc, temp), il.Create(OpCodes.Stfld, field),
                         il.Create(OpCodes.Ldstr, field.Name), il.Create(OpCodes.Call, changed),
                     })
            {
                il.InsertAfter(after, added);
                after = added;
            }
        }
        body.InitLocals = body.InitLocals || body.Variables.Count > 0;
        body.OptimizeMacros();
        return targets.Count;
    }

    /// <summary><c>ldflda</c> of a primitive field to call one of its methods (<c>Level.ToString()</c>): a read,
    /// since methods of primitives cannot change them. Any other address use might be a write.</summary>
    private static bool IsReadThroughAddress(Instruction insn)
    {
        if (insn.OpCode.Code != Code.Ldflda) return false;
        var type = ((FieldReference)insn.Operand).FieldType;
        return type.IsPrimitive && insn.Next?.OpCode.Code is Code.Call or Code.Callvirt
            && ((MethodReference)insn.Next.Operand).DeclaringType.FullName == type.FullName;
    }

    private static bool IsQuasiImmutable(FieldReference field)
    {
        FieldDefinition? def;
        try
        {
            def = field.Resolve();
        }
        catch (AssemblyResolutionException)
        {
            return false; // a field of an assembly not found: not an interpreter's (those are referenced from the build)
        }
        return def != null && def.CustomAttributes.Any(a => a.AttributeType.FullName == AttributeName);
    }

    /// <summary>The field's type as seen at the store (a generic field of a generic instance gets its argument).</summary>
    private static TypeReference FieldType(FieldReference field)
    {
        if (field.FieldType is GenericParameter { Type: GenericParameterType.Type } gp && field.DeclaringType is GenericInstanceType git)
            return git.GenericArguments[gp.Position];
        if (field.FieldType.ContainsGenericParameter && field.DeclaringType is GenericInstanceType)
            throw new CodewriterException($"quasi-immutable field {field.FullName}: a field type built from generic parameters is not supported by the weaver");
        return field.FieldType;
    }

    private static CodewriterException Error(MethodDefinition method, Instruction insn, string message)
    {
        var map = new SourceMap(method);
        return new CodewriterException($"{method.DeclaringType.Name}.{method.Name}: {message}", file: map.File, line: map.Line(insn.Offset));
    }
}

/// <summary>What <see cref="QuasiImmutableWeaver.Weave"/> did.</summary>
/// <param name="AlreadyWoven">The assembly carried the marker: nothing was changed.</param>
/// <param name="Writes">Writes of quasi-immutable fields instrumented.</param>
public sealed record WeaveResult(bool AlreadyWoven, int Writes);
