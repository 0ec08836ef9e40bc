using System.Diagnostics;
using Recontext.Contracts;
using Recontext.Model;
using Recontext.Model.Checkpoints;
using Recontext.Model.Modules;

namespace Recontext.Generator.Messaging;

/// <summary>
/// The policy version this generator holds for each run: fetched over gRPC when a batch names another version,
/// loaded (and the previous one disposed) on the torch thread. One batch at a time per run, so no lock beyond it.
/// </summary>
public sealed class PolicyCache : IPolicySource, IDisposable
{
    sealed record Held(int Version, CausalLm Model);

    readonly Dictionary<string, Held> held = [];
    readonly SemaphoreSlim gate = new(1, 1);

    public Task<T> WithPolicyAsync<T>(GenerateRollouts request, Func<CausalLm, T> work, CancellationToken cancellation) =>
        WithPolicyAsync(request.RunId, request.PolicyVersion,
            request.WeightsAddress ?? throw new FormatException($"run {request.RunId} step {request.Step}: the batch names no weights address to fetch policy version {request.PolicyVersion} from"),
            work, cancellation);

    /// <summary>Runs <paramref name="work"/> with the run's model at <paramref name="version"/>, fetching it first when needed.</summary>
    public async Task<T> WithPolicyAsync<T>(string runId, int version, string weightsAddress, Func<CausalLm, T> work, CancellationToken cancellation)
    {
        await gate.WaitAsync(cancellation);
        try
        {
            if (!held.TryGetValue(runId, out var current) || current.Version != version)
            {
                var watch = Stopwatch.StartNew();
                var directory = Path.Combine(Path.GetTempPath(), "recontext-generator", Guid.NewGuid().ToString("N"));
                try
                {
                    long bytes = await WeightsClient.FetchAsync(weightsAddress, runId, version, directory, cancellation);
                    var fetched = await TorchThread.Default.Run(() =>
                    {
                        var loaded = Checkpoint.Load(directory);
                        loaded.eval();
                        return loaded;
                    });
                    if (current is not null) await TorchThread.Default.Run(() => current.Model.Dispose());
                    current = held[runId] = new Held(version, fetched);
                    GeneratorMetrics.WeightFetches.Inc();
                    GeneratorMetrics.WeightBytes.Inc(bytes);
                    GeneratorMetrics.WeightFetchSeconds.Observe(watch.Elapsed.TotalSeconds);
                }
                finally
                {
                    if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
                }
            }
            var policy = current.Model;
            return await TorchThread.Default.Run(() => work(policy));
        }
        finally
        {
            gate.Release();
        }
    }

    public void Dispose()
    {
        foreach (var h in held.Values) TorchThread.Default.Run(() => h.Model.Dispose()).GetAwaiter().GetResult();
        held.Clear();
        gate.Dispose();
    }
}
