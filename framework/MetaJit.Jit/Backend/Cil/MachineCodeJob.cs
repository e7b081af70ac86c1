using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace MetaJit.Engine.Backend.Cil;

/// <summary>
/// Emitted IL waiting for RyuJIT: <see cref="CompileMachineCode"/> may run on any thread, as it touches only the
/// job's finished DynamicMethods and the context their delegates close over, which nothing else changes; the
/// engine's thread then installs the result (<see cref="TreeJob"/>, <see cref="TraceJob"/>). A failure to compile
/// is kept and rethrown at installation, where code compiled at once would have thrown.
/// </summary>
internal abstract class MachineCodeJob(TimeSpan emitTime)
{
    /// <summary>Time spent planning and emitting the IL (on the engine's thread).</summary>
    public TimeSpan EmitTime { get; } = emitTime;

    /// <summary>Time RyuJIT took.</summary>
    public TimeSpan MachineCodeTime { get; private set; }

    /// <summary>Whether the machine code was made on a background thread (<see cref="BackgroundQueue{TJob}"/>).</summary>
    public bool InBackground { get; set; }

    /// <summary>What compiling threw, if it did.</summary>
    public ExceptionDispatchInfo? Failure { get; private set; }

    /// <summary>Has RyuJIT compile the job's methods now.</summary>
    public void CompileMachineCode()
    {
        var clock = Stopwatch.StartNew();
        try
        {
            Compile();
        }
        catch (Exception e)
        {
            Failure = ExceptionDispatchInfo.Capture(e);
        }
        MachineCodeTime = clock.Elapsed;
    }

    /// <summary>Creates the delegates and calls each with entry -1, which returns at once: the call only compiles it.</summary>
    protected abstract void Compile();
}
