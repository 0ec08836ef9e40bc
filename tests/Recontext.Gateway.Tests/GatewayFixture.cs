using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Recontext.Gateway.Host;
using Recontext.Organism;

namespace Recontext.Gateway.Tests;

/// <summary>A gateway started in the test process on a free loopback port (every role inside it, in-memory bus),
/// over a runs folder of the test's own, with the tiny base the tests train themselves.</summary>
public sealed class GatewayFixture : IAsyncDisposable
{
    public const string Key = "test-key-0123456789abcdef";

    public static readonly BaseModelOptions TinyBase = new() { DModel = 32, Layers = 1, Steps = 3, BatchSize = 4 };

    readonly WebApplication app;

    public HttpClient Http { get; }

    /// <summary>The gRPC run API's address.</summary>
    public string GrpcAddress => app.Services.GetRequiredService<Grpc.GatewayGrpcServer>().Address!;

    public string RunsDirectory { get; }

    GatewayFixture(WebApplication app, HttpClient http, string runs) => (this.app, Http, RunsDirectory) = (app, http, runs);

    /// <param name="options">more of the gateway's options (e.g. --store URL)</param>
    public static async Task<GatewayFixture> StartAsync(string root, params string[] options)
    {
        var runs = Path.Combine(root, "runs");
        var app = GatewayHost.Build(["--api-keys", Key, "--runs", runs, "--cache", Path.Combine(root, "cache"), "--urls", "http://127.0.0.1:0", "--grpc-url", "http://127.0.0.1:0",
            .. options]);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new GatewayFixture(app, new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromMinutes(5) }, runs);
    }

    /// <summary>A small experiment on the tiny base (trained into <paramref name="root"/>'s cache once).</summary>
    public static string Experiment(string root, int steps, string name = "gateway-test") => $$"""
        name: {{name}}
        environment: toy-code
        seed: 3
        model: { checkpoint: {{ToyBaseModel.TrainOrLoad(TinyBase, Path.Combine(root, "base-cache"))}} }
        contexts: { generation: good, training: bad }
        steps: {{steps}}
        promptsPerStep: 2
        samplesPerPrompt: 3
        sampling: { maxNewTokens: 16 }
        eval: { every: 2, tasks: 2 }
        """;

    public async Task<HttpResponseMessage> SubmitAsync(string yaml, string? key = Key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/runs") { Content = new StringContent(yaml) };
        if (key is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return await Http.SendAsync(request);
    }

    public async Task<string> SubmitOkAsync(string yaml)
    {
        var response = await SubmitAsync(yaml);
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    /// <summary>The run's event stream, read until it ends (the run finished) or <paramref name="until"/> says stop.</summary>
    public async Task<List<JsonElement>> EventsAsync(string id, Func<JsonElement, bool>? until = null)
    {
        var events = new List<JsonElement>();
        using var response = await Http.GetAsync($"/api/runs/{id}/events", HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        while (await reader.ReadLineAsync() is { } line)
        {
            var e = JsonDocument.Parse(line).RootElement.Clone();
            events.Add(e);
            if (until?.Invoke(e) == true) break;
        }
        return events;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
