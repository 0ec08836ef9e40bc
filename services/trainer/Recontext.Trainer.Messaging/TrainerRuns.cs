using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Recontext.Contracts;
using Recontext.Prompts;
using Recontext.Prompts.Tokenization;
using Recontext.Trainer.Messaging.Weights;

namespace Recontext.Trainer.Messaging;

/// <summary>
/// The runs whose trainer lives in this process, by run id, and the gRPC endpoint that serves their policy versions
/// to generator services (started on first need at <paramref name="weightsBindUrl"/>). Each run's start request is
/// kept beside its versions, so that a trainer restarted after a crash takes the run up again from its versions
/// when the run's next batch arrives (<see cref="RecoverAsync"/>).
/// </summary>
/// <param name="stateRoot">where runs that name no state directory keep their versions</param>
public sealed class TrainerRuns(string weightsBindUrl, TrainerStateRoot stateRoot) : IAsyncDisposable
{
    const string StartFile = "start.json";

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

    /// <summary>Takes on a run as <paramref name="request"/> asks: loads its policy and keeps the request beside its
    /// versions; returns the run and, when a generator service serves the run, where it fetches the versions.</summary>
    public async Task<(TrainerRun Run, string? WeightsAddress)> StartAsync(StartTraining request, CancellationToken cancellation)
    {
        var spec = StartTrainingConsumer.Read(request.RunId, request.Spec);
        var versions = new PolicyVersions(request.StartCheckpoint, request.StateDirectory ?? stateRoot.For(request.RunId));
        var run = await TrainerRun.StartAsync(request.RunId, spec, versions, request.ResumeVersion, ModelText.For(request.StartCheckpoint).Tokenizer.PaddingId);
        File.WriteAllText(Path.Combine(versions.Root, StartFile), JsonSerializer.Serialize(request with { StateDirectory = versions.Root }));
        await AddAsync(run);
        var address = request.ServeWeights ? await ServeWeightsAsync(run, cancellation) : null;
        return (run, address);
    }

    /// <summary>
    /// A batch arrived for a run this process does not hold: when the run was started here before (this process
    /// restarted after a crash) and its version <paramref name="version"/> is on disk, take the run up again from it.
    /// Training is deterministic, so redoing an update that the crash interrupted gives the same policy.
    /// </summary>
    public async Task<TrainerSession?> RecoverAsync(string runId, int version, CancellationToken cancellation)
    {
        var startFile = Path.Combine(stateRoot.For(runId), StartFile);
        if (!File.Exists(startFile)) return null;
        var request = JsonSerializer.Deserialize<StartTraining>(File.ReadAllText(startFile))!;
        var (run, _) = await StartAsync(request with { ResumeVersion = version }, cancellation);
        return run.Session;
    }

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
        File.Delete(Path.Combine(run.Versions.Root, StartFile));   // a finished run is not taken up again
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
