namespace MetaJit.Engine.Backend;

/// <summary>
/// Compiles the trace trees that became hot while compiled code ran (<see cref="IBackend.CompileHotTrees"/>, through
/// the engine, which logs them and counts their time). <see cref="CompiledLoopRunner"/> asks it between two traces:
/// a loop whose exits all have bridges may run for the rest of the program without returning to the engine, so
/// waiting for the next unbridged guard failure could mean never getting its tree.
/// </summary>
public interface IHotTreeCompiler
{
    /// <summary>True when trees are waiting to be compiled (cheap: asked after every bridge taken).</summary>
    bool HasHotTrees { get; }

    /// <summary>Compiles them; code already running keeps running, and the next entry of a loop runs its tree.</summary>
    void CompileHotTrees();
}
