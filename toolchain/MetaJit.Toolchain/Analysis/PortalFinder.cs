using System.Reflection;
using MetaJit.Engine.Descriptors;
using MetaJit.Engine.JitCodes;
using MetaJit.Toolchain.Loading;
using Mono.Cecil;
using Mono.Cecil.Cil;
using Mono.Cecil.Rocks;

namespace MetaJit.Toolchain.Analysis;

/// <summary>
/// Finds the portals of an interpreter assembly: every <c>static readonly JitDriver</c> field, the greens and
/// reds declared by the <c>new JitDriver(new[] {...}, new[] {...})</c> in its static constructor, and the
/// method whose loop calls <c>JitMergePoint</c> on it (the portal method). Misuses are errors with file:line.
/// </summary>
public static class PortalFinder
{
    private const string DriverTypeName = "MetaJit.JitDriver";

    /// <summary>The portals of <paramref name="assembly"/>, each with its portal method.</summary>
    public static IReadOnlyList<(PortalDescr Portal, MethodBase Method)> Find(Assembly assembly, InterpreterLoader loader)
    {
        var module = loader.Cecil(assembly.ManifestModule);
        var drivers = new Dictionary<FieldDefinition, (string[] Greens, string[] Reds)>();
        var allTypes = module.GetTypes().ToList();
        foreach (var type in allTypes)
            foreach (var field in type.Fields)
                if (field.FieldType.FullName == DriverTypeName)
                {
                    if (!field.IsStatic || !field.IsInitOnly)
                        throw Error(loader, type.Methods.FirstOrDefault(m => m.IsConstructor), null,
                            $"JitDriver field '{type.Name}.{field.Name}' must be 'static readonly' so the toolchain can find its portal.");
                    drivers[field] = DeclaredNames(loader, type, field);
                }
        var result = new List<(PortalDescr, MethodBase)>();
        if (drivers.Count == 0) return result;

        var found = new Dictionary<FieldDefinition, (MethodDefinition Method, Instruction Call)>();
        foreach (var type in allTypes)
            foreach (var method in type.Methods)
            {
                if (!method.HasBody) continue;
                method.Body.SimplifyMacros();
                foreach (var insn in method.Body.Instructions)
                {
                    if (insn.OpCode.Code is not (Code.Call or Code.Callvirt) || insn.Operand is not MethodReference mr
                        || mr.DeclaringType.FullName != DriverTypeName || mr.Name is not ("JitMergePoint" or "CanEnterJit")) continue;
                    var field = ReceiverField(insn, mr) ?? throw Error(loader, method, insn,
                        "JitMergePoint/CanEnterJit must be called on a JitDriver read straight from its static readonly field, with plain variables as arguments.");
                    var def = field.Resolve();
                    if (def == null || !drivers.TryGetValue(def, out var names))
                        throw Error(loader, method, insn, $"The JitDriver '{field.Name}' is not held in a static readonly field of this assembly.");
                    int declared = names.Greens.Length + names.Reds.Length;
                    int passed = mr.Name == "JitMergePoint" ? mr.Parameters.Count : mr.Parameters.Count - 1;
                    if (passed != declared)
                        throw Error(loader, method, insn,
                            $"{mr.Name} passes {passed} values but JitDriver '{field.Name}' declares {names.Greens.Length} greens ({string.Join(", ", names.Greens)}) and {names.Reds.Length} reds ({string.Join(", ", names.Reds)}).");
                    if (mr.Name == "JitMergePoint")
                    {
                        if (found.TryGetValue(def, out var other) && other.Method != method)
                            throw Error(loader, method, insn, $"JitDriver '{field.Name}' has merge points in two methods ({other.Method.Name} and {method.Name}); a driver marks one dispatch loop.");
                        if (!IsAtLoopHead(method, insn, passed))
                            throw Error(loader, method, insn, "JitMergePoint must be the first thing in the dispatch loop (at the head of a loop, reached by a backward jump).");
                        found[def] = (method, insn);
                    }
                    else
                    {
                        CheckCanEnterJitArgs(loader, method, insn, passed + 1);
                    }
                }
            }

        foreach (var (def, names) in drivers)
        {
            if (!found.TryGetValue(def, out var site)) continue; // a driver without a loop: nothing to trace
            var field = assembly.ManifestModule.ResolveField(def.MetadataToken.ToInt32())!;
            var methodInfo = assembly.ManifestModule.ResolveMethod(site.Method.MetadataToken.ToInt32())!;
            if (methodInfo.ContainsGenericParameters)
                throw Error(loader, site.Method, site.Call, "A portal method cannot be generic.");
            var mpMethod = (MethodInfo)InterpreterLoader.ResolveMethod(methodInfo, (MethodReference)site.Call.Operand);
            var types = mpMethod.GetGenericArguments();
            var kinds = types.Select(ValueKinds.Of).ToArray();
            int ng = names.Greens.Length;
            var portal = new PortalDescr(field, names.Greens, names.Reds, kinds[..ng], kinds[ng..], types);
            portal.ResultKind = methodInfo is MethodInfo mi ? ValueKinds.Of(mi.ReturnType) : ValueKind.Void;
            result.Add((portal, methodInfo));
        }
        return result;
    }

    /// <summary>The field the receiver of a driver call is loaded from, when it is the plain
    /// <c>ldsfld; (ldloc|ldarg|ldloca|ldarga)*; call</c> shape.</summary>
    private static FieldReference? ReceiverField(Instruction call, MethodReference mr)
    {
        var p = call.Previous;
        for (int k = 0; k < mr.Parameters.Count && p != null; k++, p = p.Previous)
            if (p.OpCode.Code is not (Code.Ldloc or Code.Ldarg or Code.Ldloca or Code.Ldarga)) return null;
        return p is { OpCode.Code: Code.Ldsfld, Operand: FieldReference f } ? f : null;
    }

    private static bool IsAtLoopHead(MethodDefinition method, Instruction call, int args)
    {
        var start = call;
        for (int k = 0; k <= args; k++) start = start.Previous!;
        while (start.Previous is { OpCode.Code: Code.Nop }) start = start.Previous;
        foreach (var insn in method.Body.Instructions)
        {
            if (insn.Offset <= call.Offset) continue;
            var targets = insn.Operand switch { Instruction t => new[] { t }, Instruction[] ts => ts, _ => Array.Empty<Instruction>() };
            foreach (var t in targets)
                if (t.Offset >= start.Offset && t.Offset <= call.Offset) return true;
        }
        return false;
    }

    private static void CheckCanEnterJitArgs(InterpreterLoader loader, MethodDefinition method, Instruction call, int refs)
    {
        var p = call.Previous;
        for (int k = 0; k < refs; k++, p = p?.Previous)
            if (p == null || p.OpCode.Code is not (Code.Ldloca or Code.Ldarga))
                throw Error(loader, method, call, "CanEnterJit must be passed local variables or parameters (ref x, ..., out result), not fields or array items.");
    }

    /// <summary>The greens and reds of <paramref name="field"/>, read from the string arrays built in the static constructor
    /// just before <c>newobj JitDriver</c>.</summary>
    private static (string[], string[]) DeclaredNames(InterpreterLoader loader, TypeDefinition type, FieldDefinition field)
    {
        var cctor = type.Methods.FirstOrDefault(m => m.IsConstructor && m.IsStatic && m.HasBody)
                    ?? throw Error(loader, null, null, $"JitDriver field '{type.Name}.{field.Name}' is never initialised.");
        cctor.Body.SimplifyMacros();
        var arrays = new List<List<string>>();
        string? lastString = null;
        foreach (var insn in cctor.Body.Instructions)
        {
            switch (insn.OpCode.Code)
            {
                case Code.Newarr when ((TypeReference)insn.Operand).FullName == "System.String":
                    arrays.Add(new List<string>());
                    break;
                case Code.Ldstr: lastString = (string)insn.Operand; break;
                case Code.Stelem_Ref when lastString != null && arrays.Count > 0:
                    arrays[^1].Add(lastString);
                    lastString = null;
                    break;
                case Code.Stsfld when insn.Operand is FieldReference f:
                    if (f.Resolve() == field)
                    {
                        if (arrays.Count < 2)
                            throw Error(loader, cctor, insn, $"JitDriver '{field.Name}' must be created as new JitDriver(greens: new[] {{...}}, reds: new[] {{...}}) with literal names.");
                        return (arrays[^2].ToArray(), arrays[^1].ToArray());
                    }
                    arrays.Clear();
                    break;
            }
        }
        throw Error(loader, cctor, null, $"JitDriver field '{type.Name}.{field.Name}' is not set by the static constructor.");
    }

    private static CodewriterException Error(InterpreterLoader loader, MethodDefinition? method, Instruction? at, string message)
    {
        if (method == null) return new CodewriterException(message);
        var src = loader.Source(method);
        int line = at != null ? src.Line(at.Offset) : 0;
        if (line == 0 && method.DebugInformation.HasSequencePoints) line = method.DebugInformation.SequencePoints.First(p => !p.IsHidden).StartLine;
        return new CodewriterException(message, null, at?.Offset ?? -1, src.File, line);
    }
}
