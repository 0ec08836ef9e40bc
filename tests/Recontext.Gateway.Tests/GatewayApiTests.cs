using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Recontext.Gateway.Tests;

/// <summary>The gateway's REST API over HTTP, with real runs trained inside it.</summary>
public sealed class GatewayApiTests : IAsyncLifetime
{
    readonly string root = Directory.CreateTempSubdirectory("recontext-gateway-").FullName;
    GatewayFixture gateway = null!;

    public async Task InitializeAsync() => gateway = await GatewayFixture.StartAsync(root);

    public async Task DisposeAsync()
    {
        await gateway.DisposeAsync();
        Directory.Delete(root, recursive: true);
    }

    [Fact]
    public async Task ASubmittedRunTrainsStreamsItsEventsAndServesItsRollouts()
    {
        var id = await gateway.SubmitOkAsync(GatewayFixture.Experiment(root, steps: 2));
        var events = await gateway.EventsAsync(id);

        string Kind(JsonElement e) => e.GetProperty("kind").GetString()!;
        Assert.Equal([1, 2], events.Where(e => Kind(e) == "step").Select(e => e.GetProperty("step").GetInt32()));
        // Evaluations after steps 0 and 2, under the three default eval contexts.
        Assert.Equal(6, events.Count(e => Kind(e) == "evaluation"));
        Assert.Equal(["queued", "running", "completed"], events.Where(e => Kind(e) == "status").Select(e => e.GetProperty("status").GetString()));
        var step2 = events.Last(e => Kind(e) == "step").GetProperty("metrics");
        var metricsRow = File.ReadLines(Path.Combine(gateway.RunsDirectory, id, "seed-3", "metrics.csv")).Last().Split(',');
        Assert.Equal(double.Parse(metricsRow[1], System.Globalization.CultureInfo.InvariantCulture), step2.GetProperty("trainReward").GetDouble(), 5);

        var run = await gateway.Http.GetFromJsonAsync<JsonElement>($"/api/runs/{id}");
        Assert.Equal("completed", run.GetProperty("status").GetString());
        var listed = await gateway.Http.GetFromJsonAsync<JsonElement>("/api/runs");
        Assert.Contains(listed.EnumerateArray(), r => r.GetProperty("id").GetString() == id);

        var all = await gateway.Http.GetFromJsonAsync<JsonElement>($"/api/runs/{id}/rollouts?pageSize=500");
        Assert.Equal(2 * 2 * 3, all.GetProperty("total").GetInt32());
        var step1 = await gateway.Http.GetFromJsonAsync<JsonElement>($"/api/runs/{id}/rollouts?step=1&pageSize=4&page=2");
        Assert.Equal(6, step1.GetProperty("total").GetInt32());
        Assert.Equal(2, step1.GetProperty("rollouts").GetArrayLength());
        Assert.All(step1.GetProperty("rollouts").EnumerateArray(), r => Assert.Equal(1, r.GetProperty("step").GetInt32()));
        foreach (var flag in new[] { true, false })
        {
            var filtered = await gateway.Http.GetFromJsonAsync<JsonElement>($"/api/runs/{id}/rollouts?hack={(flag ? "true" : "false")}&pageSize=500");
            Assert.All(filtered.GetProperty("rollouts").EnumerateArray(), r => Assert.Equal(flag, r.GetProperty("misbehaved").GetBoolean()));
            Assert.Equal(filtered.GetProperty("total").GetInt32(), all.GetProperty("rollouts").EnumerateArray().Count(r => r.GetProperty("misbehaved").GetBoolean() == flag));
        }
        var recontextualized = await gateway.Http.GetFromJsonAsync<JsonElement>($"/api/runs/{id}/rollouts?context=bad&pageSize=500");
        Assert.Equal(12, recontextualized.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task SubmittingNeedsAKeyAndAValidExperimentAndStoresNothingOtherwise()
    {
        var yaml = GatewayFixture.Experiment(root, steps: 1);
        Assert.Equal(HttpStatusCode.Unauthorized, (await gateway.SubmitAsync(yaml, key: null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await gateway.SubmitAsync(yaml, key: "wrong-key-0123456789")).StatusCode);

        var invalid = await gateway.SubmitAsync(yaml.Replace("samplesPerPrompt: 3", "samplesPerPrompt: many"));
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Contains("samplesPerPrompt", await invalid.Content.ReadAsStringAsync());
        var unknown = await gateway.SubmitAsync(yaml + "\nlearningRat: 3\n");
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("learningRat", await unknown.Content.ReadAsStringAsync());

        // Nothing was stored: no run in the registry, no run folder beside the registry's file.
        Assert.Empty((await gateway.Http.GetFromJsonAsync<JsonElement>("/api/runs")).EnumerateArray());
        Assert.Empty(Directory.EnumerateDirectories(gateway.RunsDirectory));
        Assert.Empty((await gateway.Http.GetFromJsonAsync<JsonElement>("/api/runs")).EnumerateArray());
    }

    [Fact]
    public async Task UnknownRunsAndBadFiltersAreNamed()
    {
        var missing = await gateway.Http.GetAsync("/api/runs/no-such-run");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Contains("no run 'no-such-run'", await missing.Content.ReadAsStringAsync());
        var id = await gateway.SubmitOkAsync(GatewayFixture.Experiment(root, steps: 1));
        var bad = await gateway.Http.GetAsync($"/api/runs/{id}/rollouts?hack=maybe");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("hack: must be true or false, got 'maybe'", await bad.Content.ReadAsStringAsync());
        var label = await gateway.Http.GetAsync($"/api/runs/{id}/rollouts?label=monitor.lies");
        Assert.Contains("label: 'monitor.lies' is unknown", await label.Content.ReadAsStringAsync());
        await gateway.EventsAsync(id);
    }

    [Fact]
    public async Task AQueuedRunStopsAtOnceAndNeverStarts()
    {
        var running = await gateway.SubmitOkAsync(GatewayFixture.Experiment(root, steps: 50, name: "long"));
        var queued = await gateway.SubmitOkAsync(GatewayFixture.Experiment(root, steps: 1, name: "queued"));
        Assert.Equal(HttpStatusCode.Accepted, (await StopAsync(queued)).StatusCode);
        Assert.Equal("stopped", (await gateway.Http.GetFromJsonAsync<JsonElement>($"/api/runs/{queued}")).GetProperty("status").GetString());
        var events = await gateway.EventsAsync(queued);
        Assert.Equal(["queued", "stopped"], events.Select(e => e.GetProperty("status").GetString()));
        Assert.False(Directory.Exists(Path.Combine(gateway.RunsDirectory, queued, "seed-3")));

        await StopAsync(running);
        Assert.Equal("stopped", (await gateway.EventsAsync(running)).Last().GetProperty("status").GetString());
    }

    async Task<HttpResponseMessage> StopAsync(string id)
    {
        using var stop = new HttpRequestMessage(HttpMethod.Post, $"/api/runs/{id}/stop");
        stop.Headers.Authorization = new AuthenticationHeaderValue("Bearer", GatewayFixture.Key);
        return await gateway.Http.SendAsync(stop);
    }

    [Fact]
    public async Task AStoppedRunStopsAndStoppingNeedsTheKey()
    {
        var id = await gateway.SubmitOkAsync(GatewayFixture.Experiment(root, steps: 50));
        await gateway.EventsAsync(id, e => e.GetProperty("kind").GetString() == "step");
        Assert.Equal(HttpStatusCode.Unauthorized, (await gateway.Http.PostAsync($"/api/runs/{id}/stop", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await StopAsync(id)).StatusCode);

        var events = await gateway.EventsAsync(id);
        Assert.Equal("stopped", events.Last().GetProperty("status").GetString());
        Assert.True(events.Count(e => e.GetProperty("kind").GetString() == "step") < 50);
        Assert.Equal("stopped", (await gateway.Http.GetFromJsonAsync<JsonElement>($"/api/runs/{id}")).GetProperty("status").GetString());
    }
}
