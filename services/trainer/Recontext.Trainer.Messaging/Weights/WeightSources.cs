using System.Collections.Concurrent;
using Grpc.Core;

namespace Recontext.Trainer.Messaging.Weights;

/// <summary>Where each run served from this process keeps its policy versions (a directory per version).</summary>
public sealed class WeightSources
{
    readonly ConcurrentDictionary<string, Func<int, string?>> runs = new();

    /// <param name="directoryOf">the checkpoint directory of a policy version, or null when this run does not hold it (any more)</param>
    public void Add(string runId, Func<int, string?> directoryOf) => runs[runId] = directoryOf;

    public void Remove(string runId) => runs.TryRemove(runId, out _);

    /// <exception cref="RpcException">NotFound naming the run or the version</exception>
    public string Resolve(string runId, int version)
    {
        if (!runs.TryGetValue(runId, out var directoryOf)) throw new RpcException(new Status(StatusCode.NotFound, $"no run '{runId}' is served here"));
        return directoryOf(version) ?? throw new RpcException(new Status(StatusCode.NotFound, $"run '{runId}' does not hold policy version {version}"));
    }
}
