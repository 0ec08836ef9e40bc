using Recontext.Runs.Bus;
using Recontext.Store;

namespace Recontext.Runs;

/// <summary>
/// Where a run's traces and messages go. The default is the embedded one: the LiteDB file in the results folder
/// and MassTransit's in-memory transport; <see cref="StoreUrl"/> (mongodb://) and <see cref="BusUrl"/> (rabbitmq://)
/// move them to servers. Kept out of <see cref="RunConfig"/> on purpose: the config is written into the results,
/// and a deployment's URLs (with their credentials) are not part of the experiment.
/// </summary>
public sealed record RunDeployment(string? StoreUrl = null, string? BusUrl = null)
{
    public static RunDeployment Embedded { get; } = new();

    public BusTransport Bus => BusTransport.Parse(BusUrl);

    /// <summary>Reaches the store and the broker once; throws an <see cref="ArgumentException"/> naming the one that
    /// cannot be used, so that a command fails before its work.</summary>
    public void Check()
    {
        RunStores.Check(StoreUrl);
        Bus.Check();
    }
}
