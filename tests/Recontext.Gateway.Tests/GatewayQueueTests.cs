using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Recontext.Gateway.Tests;

/// <summary>The gateway queues a bounded number of runs: a submit beyond it is 429 with a message saying why and what to do
/// (300 submits of 64 KB in 5 s were all accepted before).</summary>
public sealed class GatewayQueueTests : IAsyncLifetime
{
    readonly string root = Directory.CreateTempSubdirectory("recontext-gateway-queue-").FullName;
    GatewayFixture gateway = null!;

    public async Task InitializeAsync() => gateway = await GatewayFixture.StartAsync(root, "--max-queued", "2");

    public async Task DisposeAsync()
    {
        await gateway.DisposeAsync();
        Directory.Delete(root, recursive: true);
    }

    [Fact]
    public async Task ASubmitBeyondTheQueuesBoundIsTooManyRequests()
    {
        var accepted = new List<string>();
        HttpResponseMessage? refused = null;
        for (int i = 0; i < 5 && refused is null; i++)
        {
            var response = await gateway.SubmitAsync(GatewayFixture.Experiment(root, steps: 50, name: $"long-{i}"));
            if (response.StatusCode == HttpStatusCode.Created)
                accepted.Add((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!);
            else refused = response;
        }
        Assert.NotNull(refused);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused!.StatusCode);
        Assert.Contains("the most this gateway queues (--max-queued 2)", await refused.Content.ReadAsStringAsync());
        Assert.InRange(accepted.Count, 2, 3);   // two queued, and the first if it had started by then
        var runs = (await gateway.Http.GetFromJsonAsync<JsonElement>("/api/runs")).EnumerateArray().ToList();
        Assert.Equal(accepted.Count, runs.Count);   // the refused submit stored nothing
        foreach (var id in accepted)
        {
            using var stop = new HttpRequestMessage(HttpMethod.Post, $"/api/runs/{id}/stop");
            stop.Headers.Authorization = new AuthenticationHeaderValue("Bearer", GatewayFixture.Key);
            await gateway.Http.SendAsync(stop);
        }
        foreach (var id in accepted) await gateway.EventsAsync(id);
    }

    /// <summary>On loopback the gateway answers only requests that name a loopback host: a page whose name was rebound to
    /// 127.0.0.1 cannot read the open API through a visitor's browser.</summary>
    [Fact]
    public async Task ARequestNamingAnotherHostIsRefused()
    {
        async Task<HttpStatusCode> Get(string host)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/runs");
            request.Headers.Host = host;
            return (await gateway.Http.SendAsync(request)).StatusCode;
        }
        Assert.Equal(HttpStatusCode.BadRequest, await Get("rebound.example"));
        Assert.Equal(HttpStatusCode.BadRequest, await Get("rebound.example:8080"));
        Assert.Equal(HttpStatusCode.OK, await Get("localhost:8080"));
        Assert.Equal(HttpStatusCode.OK, await Get("127.0.0.1"));
        Assert.Equal(["*"], GatewayOptions.From(name => name switch { "urls" => "http://0.0.0.0:8080", "api-keys" => GatewayFixture.Key, _ => null }).AllowedHosts);
        Assert.Equal(["a.example", "b.example"], GatewayOptions.From(name => name switch { "allowed-hosts" => "a.example;b.example", _ => null }).AllowedHosts);
    }

    [Fact]
    public void ABadBoundIsNamed() =>
        Assert.Contains("max-queued: give a positive number of runs, got '0'",
            Assert.Throws<ArgumentException>(() => GatewayOptions.From(name => name switch { "max-queued" => "0", _ => null })).Message);
}
