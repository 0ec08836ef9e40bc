using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Recontext.Hosting;

namespace Recontext.Trainer.Messaging.Weights;

/// <summary>
/// A gRPC server (<see cref="GrpcServer"/>) for <see cref="PolicyWeightsService"/>, started by a run whose generator is a
/// service of its own. <see cref="Address"/> is what GenerateRollouts tells the generator to fetch from.
/// </summary>
public sealed class WeightsServer : IAsyncDisposable
{
    readonly WebApplication app;

    public WeightSources Sources { get; }

    public string Address { get; }

    WeightsServer(WebApplication app, WeightSources sources, string address) => (this.app, Sources, Address) = (app, sources, address);

    /// <param name="bindUrl">where to listen, e.g. http://127.0.0.1:0 (a free port) or http://0.0.0.0:7070</param>
    /// <param name="advertisedHost">the host name generators should use when the server listens on all interfaces</param>
    public static async Task<WeightsServer> StartAsync(string bindUrl, string? advertisedHost = null, CancellationToken cancellation = default)
    {
        var sources = new WeightSources();
        var (app, bound) = await GrpcServer.StartAsync(bindUrl, services =>
        {
            services.AddSingleton(sources);
            services.AddGrpc(o => o.MaxSendMessageSize = 4 * PolicyWeightsService.ChunkBytes);
        }, app => app.MapGrpcService<PolicyWeightsService>(), cancellation);
        var host = advertisedHost ?? (bound.Host is "0.0.0.0" or "[::]" ? System.Net.Dns.GetHostName() : bound.Host);
        return new WeightsServer(app, sources, $"http://{host}:{bound.Port}");
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
