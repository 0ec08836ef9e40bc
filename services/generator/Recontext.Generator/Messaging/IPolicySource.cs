using Recontext.Contracts;
using Recontext.Model.Modules;

namespace Recontext.Generator.Messaging;

/// <summary>Where a generator gets the policy a batch names: the run's own model in the run's process
/// (<see cref="LocalPolicies"/>), or versions fetched over gRPC in the generator's service (<see cref="PolicyCache"/>).</summary>
public interface IPolicySource
{
    /// <summary>Runs <paramref name="work"/> on the torch thread with the policy version <paramref name="request"/> names.</summary>
    Task<T> WithPolicyAsync<T>(GenerateRollouts request, Func<CausalLm, T> work, CancellationToken cancellation);
}
