using System.Reflection;
using MetaJit.Engine.Descriptors;
using MetaJit.Engine.JitCodes;

namespace MetaJit.Toolchain.Persistence;

/// <summary>Writes a <see cref="JitCodeSet"/> in the <c>.jitcodes</c> format (see <see cref="JitCodeFile"/>).</summary>
internal sealed class JitCodeWriter
{
    private readonly BinaryWriter _w;
    private readonly List<Module> _modules = new();
    private readonly BinaryWriter _body;
    private readonly MemoryStream _bodyStream = new();
    private List<PortalDescr> _portals = new();

    public JitCodeWriter(BinaryWriter w)
    {
        _w = w;
        _body = new BinaryWriter(_bodyStream);
    }

    public void WriteHeader(int magic, int version, Guid mvid)
    {
        _w.Write(magic);
        _w.Write(version);
        _w.Write(mvid.ToByteArray());
    }

    /// <summary>The module table first (so the reader can check every MVID), then portals and codes.</summary>
    public void WriteSet(JitCodeSet set)
    {
        _portals = set.Portals.ToList();
        var codes = set.JitCodes.ToList();
        _body.Write(_portals.Count);
        foreach (var p in _portals)
        {
            Field(p.DriverField);
            Strings(p.GreenNames);
            Strings(p.RedNames);
            foreach (var t in p.ValueTypes) TypeRef(t);
            _body.Write((byte)p.ResultKind);
            _body.Write(p.MergePointPc);
            Method(p.JitCode?.Method);
        }
        _body.Write(codes.Count);
        foreach (var c in codes) Code(c);
        _body.Flush();

        _w.Write(_modules.Count);
        foreach (var m in _modules)
        {
            _w.Write(m.Assembly.GetName().Name!);
            _w.Write(m.ModuleVersionId.ToByteArray());
        }
        _w.Write(_bodyStream.ToArray());
        _w.Flush();
    }

    private void Code(JitCode c)
    {
        Method(c.Method);
        _body.Write(c.Name);
        _body.Write(c.NumInts); _body.Write(c.NumFloats); _body.Write(c.NumRefs);
        Ints(c.ParamRegs);
        _body.Write((byte)c.ResultKind);
        _body.Write(c.SourceFile ?? "");
        Ints(c.Lines);
        _body.Write(c.HasLoops);
        _body.Write(c.Handlers.Length);
        foreach (var h in c.Handlers)
        {
            _body.Write(h.Start); _body.Write(h.End); _body.Write(h.HandlerPc); _body.Write(h.ExceptionReg);
            TypeRef(h.CatchType?.Type);
        }
        _body.Write(c.Code.Length);
        foreach (var i in c.Code) Insn(i);
    }

    private void Insn(JitInsn i)
    {
        _body.Write((ushort)i.Op);
        _body.Write(i.A); _body.Write(i.B); _body.Write(i.C); _body.Write(i.D);
        _body.Write(i.W); _body.Write(i.Imm); _body.Write(i.FImm);
        switch (i.Const)
        {
            case null: _body.Write((byte)0); break;
            case string s: _body.Write((byte)1); _body.Write(s); break;
            case Type t: _body.Write((byte)2); TypeRef(t); break;
            case TypeCode tc: _body.Write((byte)3); _body.Write((int)tc); break;
            default: throw new NotSupportedException($"Cannot persist constant {i.Const.GetType()}.");
        }
        switch (i.Descr)
        {
            case null: _body.Write((byte)0); break;
            case FieldDescr f: _body.Write((byte)1); Field(f.Field); break;
            case ArrayDescr a: _body.Write((byte)2); TypeRef(a.ElementType); break;
            case TypeDescr t: _body.Write((byte)3); TypeRef(t.Type); break;
            case CallDescr cd: _body.Write((byte)4); Method(cd.Method); _body.Write(cd.IsConstructorOnInstance); break;
            case PortalDescr p: _body.Write((byte)5); _body.Write(_portals.IndexOf(p)); break;
            default: throw new NotSupportedException($"Cannot persist descriptor {i.Descr.GetType()}.");
        }
        _body.Write(i.Target);
        NullableInts(i.Targets);
        NullableInts(i.Args);
    }

    private int ModuleIndex(Module m)
    {
        int k = _modules.IndexOf(m);
        if (k >= 0) return k;
        _modules.Add(m);
        return _modules.Count - 1;
    }

    private void TypeRef(Type? t)
    {
        if (t == null) { _body.Write((byte)0); return; }
        if (t.IsByRef) { _body.Write((byte)3); TypeRef(t.GetElementType()); return; }
        if (t.IsArray)
        {
            if (!t.IsSZArray) throw new NotSupportedException("Multi-dimensional arrays are not RC#.");
            _body.Write((byte)2); TypeRef(t.GetElementType()); return;
        }
        _body.Write((byte)1);
        var def = t.IsGenericType ? t.GetGenericTypeDefinition() : t;
        _body.Write(ModuleIndex(def.Module));
        _body.Write(def.MetadataToken);
        var args = t.IsGenericType ? t.GetGenericArguments() : Type.EmptyTypes;
        _body.Write(args.Length);
        foreach (var a in args) TypeRef(a);
    }

    private void Method(MethodBase? m)
    {
        if (m == null) { _body.Write((byte)0); return; }
        _body.Write((byte)1);
        _body.Write(ModuleIndex(m.Module));
        _body.Write(m.MetadataToken);
        TypeRef(m.DeclaringType);
        var args = m is MethodInfo { IsGenericMethod: true } mi ? mi.GetGenericArguments() : Type.EmptyTypes;
        _body.Write(args.Length);
        foreach (var a in args) TypeRef(a);
    }

    private void Field(FieldInfo f)
    {
        _body.Write(ModuleIndex(f.Module));
        _body.Write(f.MetadataToken);
        TypeRef(f.DeclaringType);
    }

    private void Strings(string[] s) { _body.Write(s.Length); foreach (var x in s) _body.Write(x); }
    private void Ints(int[] a) { _body.Write(a.Length); foreach (var x in a) _body.Write(x); }
    private void NullableInts(int[]? a) { if (a == null) _body.Write(-1); else Ints(a); }
}
