using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Recontext.Hosting;

namespace Recontext.Gateway.Grpc;

/// <summary>
/// The gRPC endpoint of the gateway (HTTP/2 without TLS on a port of its own, since cleartext HTTP/2 and the REST
/// API's HTTP/1.1 cannot share one), serving <see cref="RunsGrpcService"/> over the gateway's own run manager.
/// </summary>
public sealed class GatewayGrpcServer(string bindUrl, RunManager runs, ApiKeyCheck keys, ReadAccess reads) : IHostedService, IAsyncDisposable
{
    WebApplication? app;

    /// <summary>Where clients reach it (the bound port when the URL asked for port 0).</summary>
    public string? Address { get; private set; }

    public async Task StartAsync(CancellationToken cancellation)
    {
        (app, var bound) = await GrpcServer.StartAsync(bindUrl, services =>
        {
            services.AddSingleton(runs);
            services.AddSingleton(keys);
            services.AddSingleton(reads);
            services.AddGrpc();
        }, app => app.MapGrpcService<RunsGrpcService>(), cancellation);
        Address = bound.ToString().TrimEnd('/');
    }

    public async Task StopAsync(CancellationToken cancellation)
    {
        if (app is not null) await app.StopAsync(cancellation);
    }

    public async ValueTask DisposeAsync()
    {
        if (app is not null) await app.DisposeAsync();
    }
}
