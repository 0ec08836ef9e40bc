using System.Threading.Channels;

namespace Recontext.Gateway;

/// <summary>A run's event stream: every event so far (a watcher that joins late replays them) and the live ones,
/// fanned out to each watcher.</summary>
public sealed class RunEvents
{
    readonly List<RunEvent> history = [];
    readonly List<Channel<RunEvent>> watchers = [];
    bool closed;

    public void Publish(RunEvent e, bool final = false)
    {
        lock (history)
        {
            if (closed) return;
            if (e.Kind != "progress") history.Add(e);   // progress is live only: a late watcher needs the records, not the ticks
            foreach (var w in watchers) w.Writer.TryWrite(e);
            if (!final) return;
            closed = true;
            foreach (var w in watchers) w.Writer.TryComplete();
        }
    }

    /// <summary>The events so far, then the live ones until the run ends (or the caller stops reading).</summary>
    public async IAsyncEnumerable<RunEvent> WatchAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellation)
    {
        var channel = Channel.CreateUnbounded<RunEvent>();
        lock (history)
        {
            foreach (var e in history) channel.Writer.TryWrite(e);
            if (closed) channel.Writer.TryComplete();
            else watchers.Add(channel);
        }
        try
        {
            await foreach (var e in channel.Reader.ReadAllAsync(cancellation)) yield return e;
        }
        finally
        {
            lock (history) watchers.Remove(channel);
        }
    }
}
