using MetaJit.Engine.Backend;
using MetaJit.Engine.Descriptors;

namespace MetaJit.Engine.Tracing;

/// <summary>
/// Entering compiled code from the interpreter: a loop's inputs are the reds, then the virtualizable's slots
/// (scalar fields, then array items, see <see cref="VirtualizableInfo"/>), read from the object here.
/// </summary>
internal static class VableEntryValues
{
    /// <summary>Appends <paramref name="vable"/>'s slots to the dead frame, after ni/nf/nr values of each kind.</summary>
    public static void Read(VirtualizableInfo info, object vable, DeadFrame dead, int ni, int nf, int nr)
    {
        foreach (var f in info.Fields)
        {
            switch (f.Kind)
            {
                case ValueKind.Int: dead.Ints[ni++] = f.GetInt(vable); break;
                case ValueKind.Float: dead.Floats[nf++] = f.GetFloat(vable); break;
                default: dead.Refs[nr++] = f.GetRef(vable); break;
            }
        }
        for (int j = 0; j < info.ArrayFields.Length; j++)
        {
            var array = (Array)info.ArrayFields[j].GetRef(vable)!;
            var descr = info.ArrayDescrs[j];
            int n = array.Length;
            switch (descr.Kind)
            {
                case ValueKind.Int: for (int i = 0; i < n; i++) dead.Ints[ni++] = descr.GetInt(array, i); break;
                case ValueKind.Float: for (int i = 0; i < n; i++) dead.Floats[nf++] = descr.GetFloat(array, i); break;
                default:
                    if (array is object?[] refs) { Array.Copy(refs, 0, dead.Refs, nr, n); nr += n; }
                    else for (int i = 0; i < n; i++) dead.Refs[nr++] = descr.GetRef(array, i);
                    break;
            }
        }
    }

    /// <summary>The reverse of <see cref="Read"/>: stores the slots held in the dead frame (after ni/nf/nr values
    /// of each kind) into <paramref name="vable"/>, so the object is current for code that reads it.</summary>
    public static void Write(VirtualizableInfo info, object vable, DeadFrame dead, int ni, int nf, int nr)
    {
        foreach (var f in info.Fields)
        {
            switch (f.Kind)
            {
                case ValueKind.Int: f.SetInt(vable, dead.Ints[ni++]); break;
                case ValueKind.Float: f.SetFloat(vable, dead.Floats[nf++]); break;
                default: f.SetRef(vable, dead.Refs[nr++]); break;
            }
        }
        for (int j = 0; j < info.ArrayFields.Length; j++)
        {
            var array = (Array)info.ArrayFields[j].GetRef(vable)!;
            var descr = info.ArrayDescrs[j];
            int n = array.Length;
            for (int i = 0; i < n; i++)
            {
                switch (descr.Kind)
                {
                    case ValueKind.Int: descr.SetInt(array, i, dead.Ints[ni++]); break;
                    case ValueKind.Float: descr.SetFloat(array, i, dead.Floats[nf++]); break;
                    default: descr.SetRef(array, i, dead.Refs[nr++]); break;
                }
            }
        }
    }
}
