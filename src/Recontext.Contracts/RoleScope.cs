namespace Recontext.Contracts;

/// <summary>
/// Which batches the role consumers of one process take. On a shared broker every consumer of a role sees every
/// batch; each batch names the roles that services serve for its run (<see cref="GenerateRollouts.ServedRoles"/>).
/// A role's service takes the batches naming its role; a run's own process takes the others of the runs it hosts.
/// So each batch is worked on exactly once, whichever way the run is deployed.
/// </summary>
public sealed class RoleScope
{
    readonly Func<string, bool>? hostsRun;

    RoleScope(Func<string, bool>? hostsRun) => this.hostsRun = hostsRun;

    /// <summary>The scope of a role's service: the batches that name the role as served by a service.</summary>
    public static RoleScope Service { get; } = new(null);

    /// <summary>The scope of a run's process: the batches of the runs it hosts, for the roles no service serves.</summary>
    public static RoleScope InProcess(Func<string, bool> hostsRun) => new(hostsRun);

    /// <param name="role">the consumer's role (<see cref="ServiceRoles"/>)</param>
    public bool Accepts(string role, string runId, IReadOnlyCollection<string> servedRoles) =>
        hostsRun is null ? servedRoles.Contains(role) : !servedRoles.Contains(role) && hostsRun(runId);
}
