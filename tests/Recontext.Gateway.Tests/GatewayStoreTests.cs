using System.Net.Http.Json;
using System.Text.Json;
using Recontext.Store;
using Recontext.TestSupport;

namespace Recontext.Gateway.Tests;

/// <summary>
/// A gateway on a MongoDB store keeps its runs there: a gateway of the same name started on another (empty) runs
/// folder lists them with their status, and each run's document holds its cursor, metrics and evaluations; a gateway
/// of another name on the same store sees none of them.
/// </summary>
public sealed class GatewayStoreTests : IDisposable
{
    readonly string root = Directory.CreateTempSubdirectory("recontext-gateway-store-").FullName;
    readonly MongoTestServer mongo = new();

    public void Dispose()
    {
        mongo.Dispose();
        Directory.Delete(root, recursive: true);
    }

    [Fact]
    public async Task TheRunsLiveInTheStoreAndAGatewayElsewhereFindsThem()
    {
        var store = mongo.NewDatabaseUrl("recontext-gateway");
        var yaml = GatewayFixture.Experiment(root, steps: 2);
        string id;
        await using (var first = await GatewayFixture.StartAsync(root, "--store", store, "--name", "lab-a"))
        {
            id = await first.SubmitOkAsync(yaml);
            Assert.Equal("completed", (await first.EventsAsync(id)).Last().GetProperty("status").GetString());
        }

        var elsewhere = Path.Combine(root, "elsewhere");
        await using (var second = await GatewayFixture.StartAsync(elsewhere, "--store", store, "--name", "lab-a"))
        {
            var listed = await second.Http.GetFromJsonAsync<JsonElement>("/api/runs");
            var run = Assert.Single(listed.EnumerateArray());
            Assert.Equal((id, "completed"), (run.GetProperty("id").GetString(), run.GetProperty("status").GetString()));
            // Its rollouts come from the store too: 2 steps × 2 prompts × 3 samples, the hacks among them by filter.
            Assert.False(Directory.Exists(Path.Combine(elsewhere, "runs", id)));
            var rollouts = await second.Http.GetFromJsonAsync<JsonElement>($"/api/runs/{id}/rollouts?pageSize=100");
            Assert.Equal(12, rollouts.GetProperty("total").GetInt32());
            var hacks = await second.Http.GetFromJsonAsync<JsonElement>($"/api/runs/{id}/rollouts?hack=true&pageSize=100");
            Assert.All(hacks.GetProperty("rollouts").EnumerateArray(), r => Assert.True(r.GetProperty("misbehaved").GetBoolean()));
        }
        await using (var other = await GatewayFixture.StartAsync(Path.Combine(root, "other"), "--store", store, "--name", "lab-b"))
            Assert.Empty((await other.Http.GetFromJsonAsync<JsonElement>("/api/runs")).EnumerateArray());

        using var traces = RunStores.Open(store, root);
        var experiment = traces.FindExperiment(id)!;
        Assert.Equal(("lab-a", RunStatus.Completed, yaml), (experiment.Owner, experiment.Status, experiment.Yaml));
        var runId = RunManager.TraceId(id, 3);
        Assert.Equal(runId, File.ReadAllText(Path.Combine(root, "runs", id, "seed-3", "run-id")).Trim());
        var document = traces.FindRun(runId)!;
        Assert.Equal(2, document.CompletedStep);
        Assert.Equal([1, 2], document.Steps.Select(s => s.Step));
        Assert.Equal(File.ReadLines(Path.Combine(root, "runs", id, "seed-3", "metrics.csv")).Skip(1).Select(l => l.Split(',')[1]),
            document.Steps.Select(s => s.Values["train_reward"].ToString("0.######", System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(2 * 3, document.Evaluations.Count);   // after steps 0 and 2, under 3 eval contexts
        Assert.Equal(2 * 2 * 3, traces.Rollouts(runId).Count);
    }
}
