using Recontext.Hosting;
using Recontext.Runs.Bus;
using Recontext.Store;

namespace Recontext.Runs;

/// <summary>
/// Where a run's traces and messages go. The default is the embedded one: the LiteDB file in the results folder
/// and MassTransit's in-memory transport; <see cref="StoreUrl"/> (mongodb://) and <see cref="BusUrl"/> (rabbitmq://)
/// move them to servers. Kept out of <see cref="RunConfig"/> on purpose: the config is written into the results,
/// and a deployment's URLs (with their credentials) are not part of the experiment.
/// </summary>
/// <param name="RemoteRoles">roles that their own services serve on the broker instead of this process
/// (<see cref="RemotableRoles"/>)</param>
/// <param name="WeightsUrl">where this run serves its policy versions to a remote generator (gRPC): a bind URL such as
/// http://0.0.0.0:7070, or the default http://127.0.0.1:0 (a free port on this machine)</param>
/// <param name="WaitLimit">how long a batch may wait for a role served elsewhere before the run fails naming it
/// (default 5 minutes)</param>
public sealed record RunDeployment(string? StoreUrl = null, string? BusUrl = null, IReadOnlySet<string>? RemoteRoles = null, string? WeightsUrl = null,
    TimeSpan? WaitLimit = null)
{
    /// <summary>The roles that can run as services of their own.</summary>
    public static readonly IReadOnlyList<string> RemotableRoles =
        [Contracts.ServiceRoles.Generator, Contracts.ServiceRoles.Judge, Contracts.ServiceRoles.Recontextualizer, Contracts.ServiceRoles.Trainer];

    /// <summary>A free port on this machine's loopback.</summary>
    public const string DefaultWeightsUrl = "http://127.0.0.1:0";

    public string WeightsBindUrl => WeightsUrl ?? DefaultWeightsUrl;

    public static RunDeployment Embedded { get; } = new();

    /// <summary>The default of <see cref="WaitLimit"/>.</summary>
    public static readonly TimeSpan DefaultWaitLimit = TimeSpan.FromMinutes(5);

    public TimeSpan RoleWaitLimit => WaitLimit ?? DefaultWaitLimit;

    public IReadOnlySet<string> Remote => RemoteRoles ?? NoRoles;

    static readonly IReadOnlySet<string> NoRoles = new HashSet<string>();

    public BusTransport Bus => BusTransport.Parse(BusUrl);

    /// <summary>Reaches the store and the broker once; throws an <see cref="ArgumentException"/> naming the one that
    /// cannot be used, so that a command fails before its work.</summary>
    public void Check()
    {
        foreach (var role in Remote)
            if (!RemotableRoles.Contains(role))
                throw new ArgumentException($"remote: '{role}' cannot run as a service yet; roles that can: {string.Join(", ", RemotableRoles)}");
        if (Remote.Count > 0 && BusUrl is null) throw new ArgumentException("remote: roles served elsewhere need a RabbitMQ bus (--bus)");
        // In one process the generator samples with the trainer's own model; a trainer elsewhere serves versions over gRPC.
        if (Remote.Contains(Contracts.ServiceRoles.Trainer) && !Remote.Contains(Contracts.ServiceRoles.Generator))
            throw new ArgumentException("remote: a remote trainer needs a remote generator too (the policy lives with the trainer): add 'generator'");
        RunStores.Check(StoreUrl);
        Bus.Check();
    }
}
