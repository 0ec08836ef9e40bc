using System.Collections.Concurrent;

namespace Recontext.Model;

/// <summary>
/// One long-lived thread for tensor work that would otherwise hop across thread-pool threads (message consumers,
/// async continuations). libtorch keeps per-thread state (grad mode, OpenMP thread teams) and TorchSharp keeps
/// per-thread dispose scopes; every new pool thread that computes gets its own OpenMP team, which grew memory by
/// hundreds of MB per run and coincided with a crash in a long demo. Work queued here runs in order, one item at
/// a time. Never call <see cref="Run{T}"/> from work already running on this thread and wait for it (deadlock).
/// </summary>
public sealed class TorchThread : IDisposable
{
    static readonly Lazy<TorchThread> Shared = new(() => new TorchThread("torch"));

    /// <summary>The process-wide instance.</summary>
    public static TorchThread Default => Shared.Value;

    readonly BlockingCollection<Action> queue = new();
    readonly Thread thread;

    public TorchThread(string name)
    {
        thread = new Thread(() =>
        {
            foreach (var work in queue.GetConsumingEnumerable()) work();
        })
        {
            IsBackground = true,
            Name = name,
        };
        thread.Start();
    }

    /// <summary>True when the caller is this thread (then run inline instead of queueing).</summary>
    public bool IsCurrent => Thread.CurrentThread == thread;

    public Task<T> Run<T>(Func<T> work)
    {
        if (IsCurrent) return Task.FromResult(work());
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        queue.Add(() =>
        {
            try
            {
                done.SetResult(work());
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        });
        return done.Task;
    }

    public Task Run(Action work) => Run(() =>
    {
        work();
        return true;
    });

    public void Dispose()
    {
        queue.CompleteAdding();
        if (!IsCurrent) thread.Join();
    }
}
