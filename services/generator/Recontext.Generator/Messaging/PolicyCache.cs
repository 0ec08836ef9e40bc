using System.Diagnostics;
using Recontext.Contracts;
using Recontext.Model;
using Recontext.Model.Checkpoints;
using Recontext.Model.Lora;
using Recontext.Model.Modules;

namespace Recontext.Generator.Messaging;

/// <summary>
/// The policy version this generator holds for each run: fetched over gRPC when a batch names another version,
/// loaded (and the previous one disposed) on the torch thread. One batch at a time per run, so no lock beyond it.
/// For a LoRA run a version after the start is its adapter alone (a few MB instead of the model): the base (version 0)
/// is fetched once and kept, and each new adapter replaces the last one on it.
/// </summary>
public sealed class PolicyCache : IPolicySource, IDisposable
{
    /// <param name="Adapters">the LoRA adapter on <paramref name="Model"/> (the run's base), when the version is one</param>
    sealed record Held(int Version, CausalLm Model, LoraAdapters? Adapters);

    readonly Dictionary<string, Held> held = [];
    readonly SemaphoreSlim gate = new(1, 1);

    public Task<T> WithPolicyAsync<T>(GenerateRollouts request, Func<CausalLm, T> work, CancellationToken cancellation) =>
        WithPolicyAsync(request.RunId, request.PolicyVersion,
            request.WeightsAddress ?? throw new FormatException($"run {request.RunId} step {request.Step}: the batch names no weights address to fetch policy version {request.PolicyVersion} from"),
            work, cancellation, request.ComputeDtype);

    /// <summary>Runs <paramref name="work"/> with the run's model at <paramref name="version"/>, fetching it first when needed.</summary>
    /// <param name="computeDtype">the run's, resolved for this service's device (<see cref="ComputeDtype"/>)</param>
    public async Task<T> WithPolicyAsync<T>(string runId, int version, string weightsAddress, Func<CausalLm, T> work, CancellationToken cancellation,
                                            string computeDtype = "float32")
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
                    if (File.Exists(Path.Combine(directory, LoraConfig.FileName)))
                    {
                        // An adapter: onto the base this generator holds for the run (fetched first if it holds none).
                        var baseModel = current is { Version: 0 } or { Adapters: not null } ? current.Model : null;
                        if (baseModel is null)
                        {
                            var baseDirectory = directory + "-base";
                            try
                            {
                                bytes += await WeightsClient.FetchAsync(weightsAddress, runId, 0, baseDirectory, cancellation);
                                baseModel = await TorchThread.Default.Run(() => Load(baseDirectory, computeDtype));
                            }
                            finally
                            {
                                if (Directory.Exists(baseDirectory)) Directory.Delete(baseDirectory, recursive: true);
                            }
                            if (current is not null) await TorchThread.Default.Run(() => Release(current));
                        }
                        var onBase = baseModel;
                        var adapters = await TorchThread.Default.Run(() =>
                        {
                            current?.Adapters?.Dispose();
                            onBase.eval();
                            return LoraAdapters.Load(onBase, directory);
                        });
                        current = held[runId] = new Held(version, onBase, adapters);
                    }
                    else
                    {
                        var fetched = await TorchThread.Default.Run(() =>
                        {
                            var loaded = Load(directory, computeDtype);
                            loaded.eval();
                            return loaded;
                        });
                        if (current is not null) await TorchThread.Default.Run(() => Release(current));
                        current = held[runId] = new Held(version, fetched, null);
                    }
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

    static void Release(Held held)
    {
        held.Adapters?.Dispose();
        held.Model.Dispose();
    }

    static CausalLm Load(string directory, string computeDtype)
    {
        var device = DeviceSelection.FromEnvironment();
        return Checkpoint.Load(directory, device, ComputeDtype.Resolve(computeDtype, device));
    }

    public void Dispose()
    {
        foreach (var h in held.Values) TorchThread.Default.Run(() => Release(h)).GetAwaiter().GetResult();
        held.Clear();
        gate.Dispose();
    }
}
