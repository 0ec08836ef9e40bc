using System.Collections.Concurrent;
using Recontext.Contracts;

namespace Recontext.Runs.Bus;

/// <summary>
/// Where the coordinator of this process sends each role's commands: the shared queue of the role's service when a
/// service serves it (replicas compete on that queue), else this process's own endpoint for the role.
/// </summary>
/// <param name="localPrefix">the prefix of this process's role queues (unique to its bus, or to the one run it serves)</param>
/// <param name="remoteRoles">the roles served by services of their own</param>
public sealed class RoleAddresses(string localPrefix, IReadOnlySet<string> remoteRoles)
{
    readonly ConcurrentDictionary<string, Uri> local = new();

    /// <summary>The queue this process's consumers of <paramref name="role"/> take their commands from.</summary>
    public string LocalQueue(string role) => localPrefix + role;

    public bool IsRemote(string role) => remoteRoles.Contains(role);

    /// <summary>Records the input address of this process's endpoint for a role. Its own address, with the queue's
    /// settings, rather than a short <c>queue:</c> one: a send declares what it sends to, and RabbitMQ refuses a
    /// declaration that differs from the queue's (a run's queues are durable with an expiry, a bus's auto-deleted).</summary>
    internal void Bind(string role, Uri inputAddress) => local[role] = inputAddress;

    public Uri Of(string role) =>
        IsRemote(role) ? new Uri($"queue:{ServiceRoles.Queue(role)}")
        : local.TryGetValue(role, out var address) ? address
        : throw new InvalidOperationException($"this process serves no {role} (its bus is not started)");
}
