using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Recontext.Hosting;

/// <summary>
/// A gRPC server on a port of its own: HTTP/2 without TLS (cleartext HTTP/2 cannot share a port with a host's
/// HTTP/1.1 endpoints), quiet logging. The trainer's weights server and the gateway's run API both start one.
/// </summary>
public static class GrpcServer
{
    /// <param name="bindUrl">where to listen, e.g. http://127.0.0.1:0 (a free port) or http://0.0.0.0:8090</param>
    /// <param name="services">the services' dependencies, and AddGrpc with its options</param>
    /// <param name="map">maps the gRPC services</param>
    /// <returns>the started app and the address it bound (the real port when the URL asked for port 0)</returns>
    public static async Task<(WebApplication App, Uri Bound)> StartAsync(string bindUrl, Action<IServiceCollection> services, Action<WebApplication> map,
        CancellationToken cancellation)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(bindUrl);
        builder.WebHost.ConfigureKestrel(k => k.ConfigureEndpointDefaults(e => e.Protocols = HttpProtocols.Http2));
        services(builder.Services);
        var app = builder.Build();
        map(app);
        await app.StartAsync(cancellation);
        return (app, new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()));
    }
}
