using MetaJit.Engine.Descriptors;
using MetaJit.Engine.Trace;

namespace MetaJit.Engine.Backend;

/// <summary>
/// The values crossing the boundary of compiled code, in three typed banks (RPython's deadframe/jitframe).
/// A list of values (inputs, a guard's fail args, a label's args, a finish value) is laid out per kind in
/// order: the k-th Int value of the list is <c>Ints[k]</c>, the k-th Float <c>Floats[k]</c>, the k-th Ref
/// <c>Refs[k]</c>. Since a bridge's inputs have the kinds of its guard's fail args, a frame left by a failing
/// guard is ready to run the bridge.
/// </summary>
/// <example><code>
/// var frame = DeadFrame.For(loop, 10L, node);
/// int code = loop.Execute(frame, 0);
/// object?[] failArgs = frame.Read(loop.Trace.Guards[code].FailArgs!);
/// </code></example>
public sealed class DeadFrame
{
    /// <summary>A frame with room for the given number of values of each kind.</summary>
    public DeadFrame(int ints = 16, int floats = 16, int refs = 16)
    {
        Ints = new long[Math.Max(ints, 1)];
        Floats = new double[Math.Max(floats, 1)];
        Refs = new object?[Math.Max(refs, 1)];
    }

    /// <summary>Int values.</summary>
    public long[] Ints;
    /// <summary>Float values.</summary>
    public double[] Floats;
    /// <summary>Ref values.</summary>
    public object?[] Refs;

    /// <summary>The most refs a trace run on this frame said it uses (<see cref="EnsureCapacity"/>), so clearing
    /// does not wipe all of a large bank at every entry; 0: unknown, clear all.</summary>
    private int _refsUsed;
    /// <summary>The exception seen by a failing <c>guard_no_exception</c>/<c>guard_exception</c> (else null).</summary>
    public Exception? Exception;
    /// <summary>After <see cref="ExitCodes.Jump"/>: the label to continue at.</summary>
    public TargetToken? JumpTarget;
    /// <summary>
    /// After a guard failure or a finish: the trace that owns the failed guard or the finish when it is not the
    /// trace that ran (a backend that compiled a loop together with its bridges reports a bridge's exits this
    /// way); null otherwise.
    /// </summary>
    public ICompiledTrace? ExitOwner;

    /// <summary>A frame sized for <paramref name="trace"/> holding its <paramref name="inputs"/> (boxed long/double/object).</summary>
    public static DeadFrame For(ICompiledTrace trace, params object?[] inputs)
    {
        var (i, f, r) = trace.FrameSize;
        var frame = new DeadFrame(i, f, r);
        frame.Write(trace.Trace.InputArgs, inputs);
        return frame;
    }

    /// <summary>Grows the banks to hold at least the given counts.</summary>
    public void EnsureCapacity(int ints, int floats, int refs)
    {
        if (Ints.Length < ints) System.Array.Resize(ref Ints, ints);
        if (Floats.Length < floats) System.Array.Resize(ref Floats, floats);
        if (Refs.Length < refs) System.Array.Resize(ref Refs, refs);
        if (refs > _refsUsed) _refsUsed = refs;
    }

    /// <summary>Stores <paramref name="values"/> laid out as <paramref name="layout"/>'s kinds.</summary>
    public void Write(IReadOnlyList<Value> layout, IReadOnlyList<object?> values)
    {
        if (layout.Count != values.Count) throw new ArgumentException($"{layout.Count} values expected, got {values.Count}.", nameof(values));
        EnsureCapacity(Count(layout, ValueKind.Int), Count(layout, ValueKind.Float), Count(layout, ValueKind.Ref));
        int ni = 0, nf = 0, nr = 0;
        for (int k = 0; k < layout.Count; k++)
        {
            switch (layout[k].Kind)
            {
                case ValueKind.Int: Ints[ni++] = Convert.ToInt64(values[k], System.Globalization.CultureInfo.InvariantCulture); break;
                case ValueKind.Float: Floats[nf++] = Convert.ToDouble(values[k], System.Globalization.CultureInfo.InvariantCulture); break;
                default: Refs[nr++] = values[k]; break;
            }
        }
    }

    /// <summary>The values laid out as <paramref name="layout"/>'s kinds, boxed.</summary>
    public object?[] Read(IReadOnlyList<Value> layout)
    {
        var result = new object?[layout.Count];
        int ni = 0, nf = 0, nr = 0;
        for (int k = 0; k < layout.Count; k++)
            result[k] = layout[k].Kind switch
            {
                ValueKind.Int => Ints[ni++],
                ValueKind.Float => Floats[nf++],
                _ => Refs[nr++],
            };
        return result;
    }

    /// <summary>Clears the Ref bank and the exception, so the frame does not keep objects alive.</summary>
    public void ClearRefs() => ClearRefs(_refsUsed == 0 ? Refs.Length : _refsUsed);

    /// <summary><see cref="ClearRefs()"/> when only the first <paramref name="count"/> refs can hold anything (a
    /// call's arguments and its result, after code that ran straight into <c>finish</c>).</summary>
    public void ClearRefs(int count)
    {
        System.Array.Clear(Refs, 0, Math.Min(count, Refs.Length));
        _refsUsed = 0;
        Exception = null;
        JumpTarget = null;
        ExitOwner = null;
    }

    /// <summary>Number of values of <paramref name="kind"/> in <paramref name="values"/>.</summary>
    public static int Count(IReadOnlyList<Value> values, ValueKind kind)
    {
        int n = 0;
        foreach (var v in values) if (v.Kind == kind) n++;
        return n;
    }
}
