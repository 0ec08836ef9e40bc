namespace Recontext.Services.Tests;

/// <summary>
/// The services' tests run one after another: the hosts of one test process share the static Prometheus registry,
/// so counters read by one test would include another test's traffic.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ServicesCollection
{
    public const string Name = "services";
}
