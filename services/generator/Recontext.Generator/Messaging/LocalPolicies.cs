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
/// <param name="trainerPolicy">the policy of a run whose trainer lives in this process, or null</param>
public sealed class LocalPolicies(Func<string, CausalLm?>? trainerPolicy = null) : IPolicySource
{
    readonly ConcurrentDictionary<string, CausalLm> policies = new();

    public void Add(string runId, CausalLm policy) => policies[runId] = policy;

    public void Remove(string runId) => policies.TryRemove(runId, out _);

    public Task<T> WithPolicyAsync<T>(GenerateRollouts request, Func<CausalLm, T> work, CancellationToken cancellation) =>
        (policies.TryGetValue(request.RunId, out var policy) ? policy : trainerPolicy?.Invoke(request.RunId)) is { } held
            ? TorchThread.Default.Run(() => work(held))
            : throw new InvalidOperationException($"run {request.RunId}: its policy is not held in this process (its trainer is elsewhere: give the generator to a service)");
}
