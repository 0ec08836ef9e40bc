using Recontext.Runs;

namespace Recontext.Gateway;

/// <summary>
/// The gateway's settings, from its configuration (command line <c>--runs DIR</c>, environment
/// <c>RECONTEXT_API_KEYS</c>, ...), checked at start-up with errors that name the setting.
/// </summary>
public sealed record GatewayOptions
{
    /// <summary>Where each submitted experiment gets its results folder (a folder per run id).</summary>
    public required string RunsDirectory { get; init; }

    /// <summary>Where the organism's base models are cached.</summary>
    public required string CacheDirectory { get; init; }

    /// <summary>The keys that mutating calls must present as <c>Authorization: Bearer KEY</c>.</summary>
    public required IReadOnlyList<string> ApiKeys { get; init; }

    /// <summary>The gateway's name in the store: gateways sharing one store keep and resume only the runs of their own
    /// name; a gateway started again elsewhere under the same name takes its runs up.</summary>
    public string Name { get; init; } = DefaultName;

    public const string DefaultName = "gateway";

    /// <summary>Where the gRPC run API listens (HTTP/2).</summary>
    public string GrpcUrl { get; init; } = "http://127.0.0.1:8090";

    /// <summary>Where the runs' traces and messages go, and which roles services serve.</summary>
    public RunDeployment Deployment { get; init; } = RunDeployment.Embedded;

    /// <summary>Whether this process carries libtorch (it may train a toy base and hold the generator and trainer roles).</summary>
    public bool Torch { get; init; } = true;

    /// <param name="torch">whether this process carries libtorch (see <see cref="Torch"/>)</param>
    /// <exception cref="ArgumentException">a setting is missing or unusable (the message names it)</exception>
    public static GatewayOptions From(Func<string, string?> setting, bool torch = true)
    {
        var keys = (setting("api-keys") ?? Environment.GetEnvironmentVariable("RECONTEXT_API_KEYS") ?? "")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (keys.Length == 0) throw new ArgumentException("api-keys: give at least one API key for mutating calls (--api-keys KEY[,KEY] or RECONTEXT_API_KEYS)");
        if (keys.Any(k => k.Length < 16)) throw new ArgumentException("api-keys: every key must have at least 16 characters");
        var remote = (setting("remote") ?? Environment.GetEnvironmentVariable("RECONTEXT_REMOTE_ROLES"))?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet();
        var deployment = new RunDeployment(setting("store") ?? Environment.GetEnvironmentVariable("RECONTEXT_STORE_URL"),
            setting("bus") ?? Environment.GetEnvironmentVariable("RECONTEXT_BUS_URL"), remote, setting("weights-url") ?? Environment.GetEnvironmentVariable("RECONTEXT_WEIGHTS_URL"),
            setting("wait-limit") is { } limit
                ? int.TryParse(limit, out int seconds) && seconds > 0 ? TimeSpan.FromSeconds(seconds) : throw new ArgumentException($"wait-limit: give a positive number of seconds, got '{limit}'")
                : null);
        deployment.Check();
        if (!torch && !(deployment.Remote.Contains(Contracts.ServiceRoles.Generator) && deployment.Remote.Contains(Contracts.ServiceRoles.Trainer)))
            throw new ArgumentException("remote: this gateway carries no libtorch, so the generator and the trainer must be services: give --bus URL " +
                                        "--remote generator,judge,recontextualizer,trainer (`recontext serve gateway` can run every role in one process)");
        return new GatewayOptions
        {
            RunsDirectory = Path.GetFullPath(setting("runs") ?? Environment.GetEnvironmentVariable("RECONTEXT_RUNS_DIR") ?? Path.Combine("runs", "gateway")),
            CacheDirectory = Path.GetFullPath(setting("cache") ?? Environment.GetEnvironmentVariable("RECONTEXT_CACHE_DIR") ?? Path.Combine(".cache", "organism")),
            ApiKeys = keys,
            GrpcUrl = setting("grpc-url") ?? Environment.GetEnvironmentVariable("RECONTEXT_GRPC_URL") ?? "http://127.0.0.1:8090",
            Deployment = deployment,
            Name = setting("name") ?? Environment.GetEnvironmentVariable("RECONTEXT_GATEWAY_NAME") ?? DefaultName,
            Torch = torch,
        };
    }
}
