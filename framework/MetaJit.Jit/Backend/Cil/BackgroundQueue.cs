using System.Collections.Concurrent;

namespace MetaJit.Engine.Backend.Cil;

/// <summary>
/// Jobs whose machine code is made on thread pool threads while the engine goes on, and the ones done, for the
/// engine's thread to take and install. <see cref="Ready"/> is one volatile read, cheap enough to ask after every
/// run of compiled code and at the backward jumps of keys being compiled.
/// </summary>
internal sealed class BackgroundQueue<TJob> where TJob : MachineCodeJob
{
    private readonly ConcurrentQueue<TJob> _done = new();
    private volatile int _ready;
    private int _inFlight; // engine thread only

    /// <summary>Jobs done and not taken yet.</summary>
    public bool Ready => _ready > 0;

    /// <summary>Jobs started and not taken yet.</summary>
    public int InFlight => _inFlight;

    /// <summary>Has <paramref name="job"/> compiled on a thread pool thread.</summary>
    public void Start(TJob job)
    {
        _inFlight++;
        job.InBackground = true;
        Task.Run(() =>
        {
            job.CompileMachineCode();
            _done.Enqueue(job);
            Interlocked.Increment(ref _ready);
        });
    }

    /// <summary>The jobs done since the last call, in the order they finished.</summary>
    public List<TJob> TakeDone()
    {
        var jobs = new List<TJob>();
        while (_done.TryDequeue(out var job))
        {
            Interlocked.Decrement(ref _ready);
            _inFlight--;
            jobs.Add(job);
        }
        return jobs;
    }

    /// <summary>Blocks until every job started is done (for tests and tools).</summary>
    public void WaitForAll()
    {
        var spin = new SpinWait();
        while (_ready < _inFlight) spin.SpinOnce();
    }
}
