using System.Collections.Concurrent;
using Recontext.Contracts;
using Recontext.Model;
using Recontext.Model.Modules;

namespace Recontext.Generator.Messaging;

/// <summary>
/// The policies of the runs this process hosts, shared with their trainers: in one process no weights move, the
/// generator samples with the very model the trainer updates (the coordinator asks for a version only after the
/// previous update finished).
/// </summary>
public sealed class LocalPolicies : IPolicySource
{
    readonly ConcurrentDictionary<string, CausalLm> policies = new();

    public void Add(string runId, CausalLm policy) => policies[runId] = policy;

    public void Remove(string runId) => policies.TryRemove(runId, out _);

    public bool Hosts(string runId) => policies.ContainsKey(runId);

    public Task<T> WithPolicyAsync<T>(GenerateRollouts request, Func<CausalLm, T> work, CancellationToken cancellation) =>
        policies.TryGetValue(request.RunId, out var policy)
            ? TorchThread.Default.Run(() => work(policy))
            : throw new InvalidOperationException($"run {request.RunId}: its policy is not held in this process");
}
