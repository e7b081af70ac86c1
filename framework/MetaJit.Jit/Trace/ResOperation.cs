using MetaJit.Engine.Descriptors;

namespace MetaJit.Engine.Trace;

/// <summary>
/// One operation of a trace; the object is also the <see cref="Value"/> of its result (RPython's
/// ResOperation). Guards carry their fail args (the values the backend hands back when the guard fails), an
/// opaque <see cref="ResumeData"/> slot for the resume machinery, and their index in the trace.
/// </summary>
/// <example><code>
/// var i1 = new ResOperation(OpNum.IntLt, i0, new ConstInt(100));
/// var g = new ResOperation(OpNum.GuardTrue, [i1], failArgs: [i0]);
/// </code></example>
public sealed class ResOperation : Value
{
    /// <summary>A new operation.</summary>
    public ResOperation(OpNum num, Value[] args, Descr? descr = null, Value[]? failArgs = null)
    {
        Num = num;
        Args = args;
        Descr = descr;
        if (Info.IsGuard) FailArgs = failArgs ?? [];
        else if (failArgs != null) throw new ArgumentException($"{Info.Name} is not a guard and has no fail args.", nameof(failArgs));
    }

    /// <summary>A new operation without descriptor.</summary>
    public ResOperation(OpNum num, params Value[] args) : this(num, args, null, null)
    {
    }

    /// <summary>The operation.</summary>
    public OpNum Num { get; }

    /// <summary>Static properties of <see cref="Num"/>.</summary>
    public OpInfo Info => OpInfo.Of(Num);

    /// <summary>The RPython name of the op.</summary>
    public string Name => Info.Name;

    /// <summary>The arguments.</summary>
    public Value[] Args { get; set; }

    /// <summary>The descriptor (field, array, class, method or target token), if the op takes one.</summary>
    public Descr? Descr { get; set; }

    /// <summary>For guards: the values live when the guard fails, in the order the backend stores them; null otherwise.</summary>
    public Value[]? FailArgs { get; set; }

    /// <summary>For guards: what resume needs to rebuild the interpreter state (opaque to the trace and backends).</summary>
    public object? ResumeData { get; set; }

    /// <summary>For guards: the index of the guard in its trace (0, 1, ...), set by <see cref="TreeLoop"/>; -1 otherwise.</summary>
    public int GuardIndex { get; internal set; } = -1;

    /// <summary>True for guards.</summary>
    public bool IsGuard => Info.IsGuard;

    /// <inheritdoc/>
    public override ValueKind Kind => Info.ResultKind;

    /// <summary>For <c>debug_merge_point</c>: the printable location it carries.</summary>
    public string? Location => Num == OpNum.DebugMergePoint ? (Args[0] as ConstPtr)?.Object as string : null;

    /// <summary>A <c>debug_merge_point</c> carrying <paramref name="location"/>.</summary>
    public static ResOperation DebugMergePoint(string location) => new(OpNum.DebugMergePoint, new ConstPtr(location));

    /// <summary>The argument <paramref name="i"/>.</summary>
    public Value Arg(int i) => Args[i];

    /// <inheritdoc/>
    public override string ToString() => TracePrinter.FormatOne(this);
}
