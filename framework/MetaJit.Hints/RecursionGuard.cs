namespace MetaJit;

/// <summary>
/// Counts the depth of the user program's calls against a limit. Cheap (an increment and a compare), and
/// exact, so an interpreter reports its stack-overflow error at the same depth on every run and every mode.
/// One guard per interpreter thread.
/// </summary>
public sealed class RecursionGuard
{
    /// <summary>A guard that allows <paramref name="maxDepth"/> nested entries.</summary>
    public RecursionGuard(int maxDepth)
    {
        if (maxDepth <= 0) throw new ArgumentOutOfRangeException(nameof(maxDepth), "The depth limit must be positive.");
        MaxDepth = maxDepth;
    }

    /// <summary>The deepest nesting allowed.</summary>
    public int MaxDepth { get; }

    /// <summary>The current nesting.</summary>
    public int Depth { get; private set; }

    /// <summary>Enters one level; false (and no change) when that would pass the limit or the thread's stack
    /// is nearly full, in which case the interpreter raises its own error.</summary>
    public bool TryEnter()
    {
        if (Depth >= MaxDepth || !DeepRecursion.HasStackRoom()) return false;
        Depth++;
        return true;
    }

    /// <summary>Leaves one level.</summary>
    public void Leave()
    {
        if (Depth == 0) throw new InvalidOperationException("RecursionGuard.Leave without a matching TryEnter.");
        Depth--;
    }

    /// <summary>Back to depth zero (after an error unwound the user program).</summary>
    public void Reset() => Depth = 0;
}
