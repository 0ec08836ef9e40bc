using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using Recontext.Trainer.Messaging.Weights;

namespace Recontext.Trainer.Messaging;

/// <summary>
/// The runs whose trainer lives in this process, by run id, and the gRPC endpoint that serves their policy versions
/// to generator services (started on first need at <paramref name="weightsBindUrl"/>).
/// </summary>
public sealed class TrainerRuns(string weightsBindUrl) : IAsyncDisposable
{
    readonly ConcurrentDictionary<string, TrainerRun> runs = new();
    readonly SemaphoreSlim weightsGate = new(1, 1);
    WeightsServer? weights;

    /// <summary>Sessions added directly (tests, or a trainer whose policy lives elsewhere) by run id.</summary>
    readonly ConcurrentDictionary<string, TrainerSession> sessions = new();

    public void Add(TrainerSession session) => sessions[session.RunId] = session;

    public bool TryGetSession(string runId, [NotNullWhen(true)] out TrainerSession? session)
    {
        if (runs.TryGetValue(runId, out var run)) session = run.Session;
        else sessions.TryGetValue(runId, out session);
        return session is not null;
    }

    public bool TryGet(string runId, [NotNullWhen(true)] out TrainerRun? run) => runs.TryGetValue(runId, out run);

    /// <summary>Holds <paramref name="run"/> (replacing and releasing an earlier trainer of the same run id).</summary>
    public async Task AddAsync(TrainerRun run)
    {
        if (runs.TryRemove(run.RunId, out var previous)) await previous.DisposeAsync();
        runs[run.RunId] = run;
    }

    /// <summary>Releases the run's trainer; false when this process did not hold it.</summary>
    public async Task<bool> StopAsync(string runId)
    {
        sessions.TryRemove(runId, out _);
        weights?.Sources.Remove(runId);
        if (!runs.TryRemove(runId, out var run)) return false;
        await run.DisposeAsync();
        return true;
    }

    /// <returns>the address generator services fetch the run's versions from</returns>
    public async Task<string> ServeWeightsAsync(TrainerRun run, CancellationToken cancellation)
    {
        await weightsGate.WaitAsync(cancellation);
        try
        {
            weights ??= await WeightsServer.StartAsync(weightsBindUrl, cancellation: cancellation);
        }
        finally
        {
            weightsGate.Release();
        }
        weights.Sources.Add(run.RunId, run.Versions.Find);
        return weights.Address;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var id in runs.Keys.ToList()) await StopAsync(id);
        if (weights is not null) await weights.DisposeAsync();
        weightsGate.Dispose();
    }
}
