using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Recontext.Services.Tests;

/// <summary>A role's service host started in the test process on a free port, ready once /health says so.</summary>
sealed class ServiceHost : IAsyncDisposable
{
    readonly WebApplication app;

    public HttpClient Http { get; }

    ServiceHost(WebApplication app, HttpClient http) => (this.app, Http) = (app, http);

    /// <param name="args">the host's own options beyond --bus and --urls</param>
    public static async Task<ServiceHost> StartAsync(Func<string[], WebApplication> build, string busUrl, params string[] args)
    {
        var app = build(["--bus", busUrl, "--urls", "http://127.0.0.1:0", .. args]);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var http = new HttpClient { BaseAddress = new Uri(address) };
        // /health turns Healthy once the bus is connected and the role's queue is bound: before that, a published
        // message would find no queue to land in.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while ((await http.GetAsync("/health")).StatusCode != System.Net.HttpStatusCode.OK)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("the service did not report Healthy within 60 s");
            await Task.Delay(200);
        }
        return new ServiceHost(app, http);
    }

    /// <summary>The sum of a Prometheus counter's samples (every label set).</summary>
    public async Task<double> CounterAsync(string name) => (await Http.GetStringAsync("/metrics")).Split('\n')
        .Where(l => l.StartsWith(name + "{", StringComparison.Ordinal) || l.StartsWith(name + " ", StringComparison.Ordinal))
        .Sum(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture));

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
