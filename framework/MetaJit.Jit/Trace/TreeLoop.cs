namespace MetaJit.Engine.Trace;

/// <summary>
/// A trace: its input arguments and its operations, as RPython's TreeLoop (used for loops and bridges alike).
/// Constructing one numbers its guards 0, 1, ... in order (<see cref="ResOperation.GuardIndex"/>).
/// It is not called <c>Trace</c> because that name is this namespace's, and a type named like its namespace
/// cannot be named from the rest of the engine without qualification.
/// </summary>
/// <example><code>
/// var trace = TraceParser.Parse("[i0]\ni1 = int_add(i0, 1)\nfinish(i1)");
/// Console.WriteLine(trace);  // the text form
/// </code></example>
public sealed class TreeLoop
{
    /// <summary>A trace of <paramref name="inputArgs"/> and <paramref name="operations"/>.</summary>
    public TreeLoop(IReadOnlyList<InputArg> inputArgs, IReadOnlyList<ResOperation> operations, string? name = null)
    {
        InputArgs = inputArgs.ToArray();
        Operations = operations.ToArray();
        Name = name ?? "trace";
        var guards = new List<ResOperation>();
        foreach (var op in Operations)
            if (op.IsGuard)
            {
                op.GuardIndex = guards.Count;
                guards.Add(op);
            }
        Guards = guards;
    }

    /// <summary>A name for logs.</summary>
    public string Name { get; }

    /// <summary>The inputs.</summary>
    public InputArg[] InputArgs { get; }

    /// <summary>The operations.</summary>
    public ResOperation[] Operations { get; }

    /// <summary>The guards in order; guard <c>k</c> has <see cref="ResOperation.GuardIndex"/> k.</summary>
    public IReadOnlyList<ResOperation> Guards { get; }

    /// <summary>The labels of the trace in order (entry <c>k+1</c> of a compiled trace is label <c>k</c>).</summary>
    public IEnumerable<ResOperation> Labels => Operations.Where(o => o.Num == OpNum.Label);

    /// <summary>The text form (see <see cref="TracePrinter"/>).</summary>
    public override string ToString() => new TracePrinter().Print(this);
}
