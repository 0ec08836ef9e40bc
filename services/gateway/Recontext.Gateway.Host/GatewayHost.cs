using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Prometheus;
using Recontext.Gateway.Apis;
using Recontext.Gateway.Dashboard;
using Recontext.Gateway.Grpc;
using Recontext.Hosting;

namespace Recontext.Gateway.Host;

/// <summary>
/// The gateway: the runs' coordinator and their API (<see cref="RunsApi"/>). Roles that the deployment leaves to
/// services (<c>--bus rabbitmq://... --remote generator,judge,recontextualizer,trainer</c>) work on the broker; the
/// others run inside this process.
/// </summary>
public static class GatewayHost
{
    public const int Port = GatewayOptions.DefaultPort;

    public static string Usage => $"""
        usage: recontext-gateway [--api-keys KEY[,KEY]] [--runs DIR] [--cache DIR] [--store URL] [--name NAME] [--bus URL [--remote ROLES]] [--urls URL] [--grpc-url URL]
          --api-keys  keys for calls that change runs (Authorization: Bearer KEY; or RECONTEXT_API_KEYS); 16+ characters;
                      without any the gateway only reads (loopback only): the dashboard over the runs folder
          --runs      where each run's results folder goes (default runs/gateway); runs left running resume at start
          --cache     the organism's base-model cache (default .cache/organism)
          --store     runs and traces in MongoDB (mongodb://...; or RECONTEXT_STORE_URL) instead of DIR/gateway.db and
                      each run's traces.db; a gateway started again anywhere on the same store and name resumes its runs
          --name      this gateway's name in the store (default gateway; or RECONTEXT_GATEWAY_NAME)
          --bus       the roles' broker (rabbitmq://...; or RECONTEXT_BUS_URL); absent: in memory, every role in this
                      process (only `recontext serve gateway`, which carries libtorch)
          --remote    roles that services serve on that broker: generator, judge, recontextualizer, trainer
          --urls      where the REST API, the dashboard (/dashboard), /metrics and /health are served (default
                      http://127.0.0.1:{Port}: loopback only)
          --reads     open (anyone may read runs: the dashboard, the API's reads) or key (reads need an API key; the
                      dashboard asks for it once); default: open on loopback, key when --urls reaches other machines
          --grpc-url  where the gRPC run API (proto/runs.proto) is served, HTTP/2 (default http://127.0.0.1:8090)
        """;

    /// <exception cref="ArgumentException">a setting is missing or unusable (the message names it)</exception>
    /// <param name="torch">whether this process carries libtorch, so that roles no service serves (the generator, the
    /// trainer) can run inside it; the standalone host does not, and insists they are services</param>
    public static WebApplication Build(string[] args, bool torch = true)
    {
        var builder = WebApplication.CreateBuilder(args);
        var options = GatewayOptions.From(key => builder.Configuration[key], torch);
        if (builder.Configuration["urls"] is null) builder.WebHost.UseUrls($"http://127.0.0.1:{Port}");
        // ASP.NET Core's host filtering (on in every WebApplication) reads this: a request naming another host gets 400.
        builder.Configuration["AllowedHosts"] = string.Join(';', options.AllowedHosts);
        builder.Services.AddSingleton(options);
        var keys = new ApiKeyCheck(options.ApiKeys);
        builder.Services.AddSingleton(keys);
        builder.Services.AddSingleton(new ReadAccess(options.OpenReads, keys));
        builder.Services.AddDashboard();
        builder.Services.AddSingleton<RunManager>();
        builder.Services.AddHostedService(p => p.GetRequiredService<RunManager>());
        builder.Services.AddSingleton(p => new GatewayGrpcServer(options.GrpcUrl, p.GetRequiredService<RunManager>(), p.GetRequiredService<ApiKeyCheck>(), p.GetRequiredService<ReadAccess>()));
        builder.Services.AddHostedService(p => p.GetRequiredService<GatewayGrpcServer>());
        builder.Services.AddServiceHealth();

        var app = builder.Build();
        app.UseHttpMetrics();
        app.MapMetrics("/metrics");
        app.MapServiceHealth();
        app.MapRunsApi();
        app.MapDashboard();
        return app;
    }
}
