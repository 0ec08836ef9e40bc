using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Recontext.Gateway.Grpc;

/// <summary>
/// The gRPC endpoint of the gateway (HTTP/2 without TLS on a port of its own, since cleartext HTTP/2 and the REST
/// API's HTTP/1.1 cannot share one), serving <see cref="RunsGrpcService"/> over the gateway's own run manager.
/// </summary>
public sealed class GatewayGrpcServer(string bindUrl, RunManager runs, ApiKeyCheck keys) : IHostedService, IAsyncDisposable
{
    WebApplication? app;

    /// <summary>Where clients reach it (the bound port when the URL asked for port 0).</summary>
    public string? Address { get; private set; }

    public async Task StartAsync(CancellationToken cancellation)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(bindUrl);
        builder.WebHost.ConfigureKestrel(k => k.ConfigureEndpointDefaults(e => e.Protocols = HttpProtocols.Http2));
        builder.Services.AddSingleton(runs);
        builder.Services.AddSingleton(keys);
        builder.Services.AddGrpc();
        app = builder.Build();
        app.MapGrpcService<RunsGrpcService>();
        await app.StartAsync(cancellation);
        Address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
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
