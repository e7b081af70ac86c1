using System.Reflection;
using MetaJit.Engine.Descriptors;
using MetaJit.Engine.JitCodes;
using MetaJit.Toolchain.Codewriting;

namespace MetaJit.Toolchain.Persistence;

/// <summary>Reads the <c>.jitcodes</c> format back into a <see cref="JitCodeSet"/> of this process's descriptors.</summary>
internal sealed class JitCodeReader
{
    private readonly BinaryReader _r;
    private Module[] _modules = Array.Empty<Module>();
    private readonly List<PortalDescr> _portals = new();

    public JitCodeReader(BinaryReader r) => _r = r;

    /// <summary>Reads the modules and portals now and returns a set that reads its JitCodes from the rest of the
    /// stream when first asked for one; <paramref name="path"/> names the file in the error a damaged rest gives.</summary>
    public JitCodeSet ReadSet(string path)
    {
        int nm = _r.ReadInt32();
        _modules = new Module[nm];
        for (int k = 0; k < nm; k++)
        {
            string name = _r.ReadString();
            var mvid = new Guid(_r.ReadBytes(16));
            var asm = Loaded(name) ?? Assembly.Load(new AssemblyName(name));
            var module = asm.ManifestModule;
            if (module.ModuleVersionId != mvid) throw new StaleJitCodesException($"{name} changed since the JitCodes were written.");
            _modules[k] = module;
        }
        int np = _r.ReadInt32();
        var portalMethods = new List<MethodBase?>();
        for (int k = 0; k < np; k++)
        {
            var field = Field();
            var greens = Strings();
            var reds = Strings();
            var types = new Type[greens.Length + reds.Length];
            for (int t = 0; t < types.Length; t++) types[t] = TypeRef()!;
            // Plain loops: Linq or a range over ValueKind[] would be compiled by RyuJIT at this first use, at every start.
            var greenKinds = new ValueKind[greens.Length];
            var redKinds = new ValueKind[reds.Length];
            for (int t = 0; t < types.Length; t++)
                if (t < greens.Length) greenKinds[t] = ValueKinds.Of(types[t]);
                else redKinds[t - greens.Length] = ValueKinds.Of(types[t]);
            var p = new PortalDescr(field, greens, reds, greenKinds, redKinds, types)
            {
                ResultKind = (ValueKind)_r.ReadByte(),
                MergePointPc = _r.ReadInt32(),
            };
            portalMethods.Add(Method());
            _portals.Add(p);
        }
        var set = new JitCodeSet(s => ReadCodes(s, portalMethods, path));
        foreach (var p in _portals) set.AddPortal(p);
        return set;
    }

    private void ReadCodes(JitCodeSet set, List<MethodBase?> portalMethods, string path)
    {
        try
        {
            int nc = _r.ReadInt32();
            var codes = new Dictionary<MethodBase, JitCode>();
            for (int k = 0; k < nc; k++)
            {
                var code = Code();
                set.Add(code);
                codes[code.Method] = code;
            }
            for (int k = 0; k < portalMethods.Count; k++)
                if (portalMethods[k] is { } m) _portals[k].JitCode = codes.GetValueOrDefault(m);
        }
        catch (Exception e) when (e is EndOfStreamException or ArgumentException or IOException or BadImageFormatException)
        {
            // The header matched this build (module MVIDs), so the rest was damaged after it was written.
            throw new InvalidDataException($"{path}: the JitCodes in this file cannot be read ({e.Message}); delete it and the next start codewrites them again.", e);
        }
        finally
        {
            _r.Dispose();
        }
    }

    /// <summary>The loaded assembly named <paramref name="name"/>, by its full name's first part (cheaper than
    /// <see cref="Assembly.GetName()"/> on every loaded assembly).</summary>
    private static Assembly? Loaded(string name)
    {
        foreach (var a in AppDomain.CurrentDomain.GetAssemblies())
        {
            string? full = a.FullName;
            if (full != null && full.Length > name.Length && full[name.Length] == ',' && full.StartsWith(name, StringComparison.Ordinal)) return a;
        }
        return null;
    }

    private JitCode Code()
    {
        var method = Method()!;
        var c = new JitCode(method, _r.ReadString())
        {
            NumInts = _r.ReadInt32(), NumFloats = _r.ReadInt32(), NumRefs = _r.ReadInt32(),
            ParamRegs = Ints(),
            ResultKind = (ValueKind)_r.ReadByte(),
        };
        var file = _r.ReadString();
        c.SourceFile = file.Length == 0 ? null : file;
        c.Lines = Ints();
        c.HasLoops = _r.ReadBoolean();
        var handlers = new JitHandler[_r.ReadInt32()];
        for (int k = 0; k < handlers.Length; k++)
        {
            int start = _r.ReadInt32(), end = _r.ReadInt32(), pc = _r.ReadInt32(), reg = _r.ReadInt32();
            var t = TypeRef();
            handlers[k] = new JitHandler(start, end, pc, t == null ? null : Descrs.Type(t), reg);
        }
        c.Handlers = handlers;
        var code = new JitInsn[_r.ReadInt32()];
        for (int k = 0; k < code.Length; k++) code[k] = Insn();
        c.Code = code;
        c.Liveness = Liveness.Compute(c);
        return c;
    }

    private JitInsn Insn()
    {
        var i = new JitInsn
        {
            Op = (JitOpcode)_r.ReadUInt16(),
            A = _r.ReadInt32(), B = _r.ReadInt32(), C = _r.ReadInt32(), D = _r.ReadInt32(),
            W = _r.ReadByte(), Imm = _r.ReadInt64(), FImm = _r.ReadDouble(),
        };
        i.Const = _r.ReadByte() switch
        {
            0 => null,
            1 => _r.ReadString(),
            2 => TypeRef(),
            3 => (TypeCode)_r.ReadInt32(),
            var tag => throw new IOException($"Bad constant tag {tag}."),
        };
        i.Descr = _r.ReadByte() switch
        {
            0 => null,
            1 => Descrs.Field(Field()),
            2 => Descrs.Array(TypeRef()!),
            3 => Descrs.Type(TypeRef()!),
            4 => CallDescr(),
            5 => _portals[_r.ReadInt32()],
            var tag => throw new IOException($"Bad descriptor tag {tag}."),
        };
        i.Target = _r.ReadInt32();
        i.Targets = NullableInts();
        i.Args = NullableInts();
        return i;
    }

    private CallDescr CallDescr()
    {
        var m = Method()!;
        bool onInstance = _r.ReadBoolean();
        var d = onInstance ? Descrs.ConstructorOnInstance((ConstructorInfo)m) : Descrs.Call(m);
        if (ReferenceEquals(d.Effect, EffectInfo.Anything)) d.Effect = JitCodeFile.EffectFor(m);
        return d;
    }

    private Type? TypeRef()
    {
        switch (_r.ReadByte())
        {
            case 0: return null;
            case 2: return TypeRef()!.MakeArrayType();
            case 3: return TypeRef()!.MakeByRefType();
            case 1:
            {
                var module = _modules[_r.ReadInt32()];
                var t = module.ResolveType(_r.ReadInt32());
                int n = _r.ReadInt32();
                if (n == 0) return t;
                var args = new Type[n];
                for (int k = 0; k < n; k++) args[k] = TypeRef()!;
                return t.MakeGenericType(args);
            }
            default: throw new IOException("Bad type tag.");
        }
    }

    private MethodBase? Method()
    {
        if (_r.ReadByte() == 0) return null;
        var module = _modules[_r.ReadInt32()];
        int token = _r.ReadInt32();
        var declaring = TypeRef()!;
        var open = module.ResolveMethod(token)!;
        var m = declaring.IsGenericType ? (MethodBase)declaring.GetMemberWithSameMetadataDefinitionAs(open) : open;
        int n = _r.ReadInt32();
        if (n == 0) return m;
        var args = new Type[n];
        for (int k = 0; k < n; k++) args[k] = TypeRef()!;
        return ((MethodInfo)m).MakeGenericMethod(args);
    }

    private FieldInfo Field()
    {
        var module = _modules[_r.ReadInt32()];
        int token = _r.ReadInt32();
        var declaring = TypeRef()!;
        var open = module.ResolveField(token)!;
        return declaring.IsGenericType ? (FieldInfo)declaring.GetMemberWithSameMetadataDefinitionAs(open) : open;
    }

    private string[] Strings() { var s = new string[_r.ReadInt32()]; for (int k = 0; k < s.Length; k++) s[k] = _r.ReadString(); return s; }
    private int[] Ints() { var a = new int[_r.ReadInt32()]; for (int k = 0; k < a.Length; k++) a[k] = _r.ReadInt32(); return a; }
    private int[]? NullableInts() { int n = _r.ReadInt32(); if (n < 0) return null; var a = new int[n]; for (int k = 0; k < n; k++) a[k] = _r.ReadInt32(); return a; }
}
