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

    /// <summary>The keys that mutating calls must present as <c>Authorization: Bearer KEY</c>; none: the gateway only
    /// reads (allowed while its reads are open, i.e. on loopback), e.g. to serve the dashboard over a results folder.</summary>
    public required IReadOnlyList<string> ApiKeys { get; init; }

    /// <summary>The gateway's name in the store: gateways sharing one store keep and resume only the runs of their own
    /// name; a gateway started again elsewhere under the same name takes its runs up.</summary>
    public string Name { get; init; } = DefaultName;

    public const string DefaultName = "gateway";

    /// <summary>Where the REST API and the dashboard listen unless --urls says otherwise (loopback only).</summary>
    public const int DefaultPort = 8080;

    /// <summary>Whether a listen address reaches this machine only (127.0.0.1, [::1], localhost); 0.0.0.0, * and + do not.</summary>
    public static bool IsLoopback(string url)
    {
        // Kestrel's wildcards are not URIs: "http://*:80", "http://+:80".
        if (!Uri.TryCreate(url.Replace("://*", "://wildcard").Replace("://+", "://wildcard"), UriKind.Absolute, out var uri)) return false;
        return uri.IsLoopback;
    }

    /// <summary>Where the gRPC run API listens (HTTP/2).</summary>
    public string GrpcUrl { get; init; } = DefaultGrpcUrl;

    public const string DefaultGrpcUrl = "http://127.0.0.1:8090";

    /// <summary>Where the runs' traces and messages go, and which roles services serve.</summary>
    public RunDeployment Deployment { get; init; } = RunDeployment.Embedded;

    /// <summary>Whether anyone may read runs (the dashboard, the run API's reads) without an API key. Default: open while
    /// every address the gateway serves is loopback, key-only once it listens on other interfaces.</summary>
    public bool OpenReads { get; init; } = true;

    /// <summary>Only the dashboard: the runs folder is shown, no run is submitted or resumed (the dashboard a command
    /// such as `recontext demo --dashboard` serves beside its own work).</summary>
    public bool DashboardOnly { get; init; }

    /// <summary>The Host header values the REST API and the dashboard answer (<c>--allowed-hosts a;b</c>). Default on
    /// loopback: localhost, 127.0.0.1 and [::1] only, so a web page whose own name resolves to 127.0.0.1 (DNS
    /// rebinding) cannot read the open loopback API through a visitor's browser; beyond loopback, any (reads need a key
    /// there anyway).</summary>
    public IReadOnlyList<string> AllowedHosts { get; init; } = LoopbackHosts;

    public static readonly IReadOnlyList<string> LoopbackHosts = ["localhost", "127.0.0.1", "[::1]"];

    /// <summary>Runs waiting to start at most (<c>--max-queued</c>): a submit beyond it is refused (HTTP 429) rather than
    /// growing the queue without end.</summary>
    public int MaxQueued { get; init; } = DefaultMaxQueued;

    public const int DefaultMaxQueued = 100;

    /// <summary>Whether this process carries libtorch (it may train a toy base and hold the generator and trainer roles).</summary>
    public bool Torch { get; init; } = true;

    /// <param name="torch">whether this process carries libtorch (see <see cref="Torch"/>)</param>
    /// <exception cref="ArgumentException">a setting is missing or unusable (the message names it)</exception>
    public static GatewayOptions From(Func<string, string?> setting, bool torch = true)
    {
        var keys = (setting("api-keys") ?? Environment.GetEnvironmentVariable("RECONTEXT_API_KEYS") ?? "")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
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
        var urls = setting("urls") ?? $"http://127.0.0.1:{DefaultPort}";
        var grpcUrl = setting("grpc-url") ?? Environment.GetEnvironmentVariable("RECONTEXT_GRPC_URL") ?? DefaultGrpcUrl;
        bool openReads = (setting("reads") ?? Environment.GetEnvironmentVariable("RECONTEXT_READS")) switch
        {
            // Open only while every address the gateway answers on (REST, dashboard, gRPC) stays on this machine.
            null => urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Append(grpcUrl).All(IsLoopback),
            "open" => true,
            "key" => false,
            var other => throw new ArgumentException($"reads: give 'open' (anyone may read runs) or 'key' (reads need an API key), got '{other}'"),
        };
        // Without keys the gateway only reads (the dashboard over a results folder): fine on loopback, never beyond it.
        if (keys.Length == 0 && !openReads)
            throw new ArgumentException("api-keys: a gateway whose reads need a key (it listens beyond loopback, or --reads key) needs at least one API key " +
                                        "(--api-keys KEY[,KEY] or RECONTEXT_API_KEYS)");
        return new GatewayOptions
        {
            OpenReads = openReads,
            DashboardOnly = setting("dashboard-only") is "true",
            RunsDirectory = Path.GetFullPath(setting("runs") ?? Environment.GetEnvironmentVariable("RECONTEXT_RUNS_DIR") ?? Path.Combine("runs", "gateway")),
            CacheDirectory = Path.GetFullPath(setting("cache") ?? Environment.GetEnvironmentVariable("RECONTEXT_CACHE_DIR") ?? Path.Combine(".cache", "organism")),
            ApiKeys = keys,
            GrpcUrl = grpcUrl,
            Deployment = deployment,
            Name = setting("name") ?? Environment.GetEnvironmentVariable("RECONTEXT_GATEWAY_NAME") ?? DefaultName,
            Torch = torch,
            AllowedHosts = setting("allowed-hosts") is { } hosts
                ? hosts.Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                : urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).All(IsLoopback) ? LoopbackHosts : ["*"],
            MaxQueued = setting("max-queued") is { } queued
                ? int.TryParse(queued, out int max) && max >= 1 ? max : throw new ArgumentException($"max-queued: give a positive number of runs, got '{queued}'")
                : DefaultMaxQueued,
        };
    }
}
