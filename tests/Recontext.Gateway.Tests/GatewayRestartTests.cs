using System.Net.Http.Json;
using System.Text.Json;
using Recontext.Store;

namespace Recontext.Gateway.Tests;

/// <summary>A gateway that stops mid-run leaves the run "running" in its registry; the next gateway on the same store
/// resumes the run, which ends as an uninterrupted run of the same experiment does.</summary>
public sealed class GatewayRestartTests : IDisposable
{
    readonly string root = Directory.CreateTempSubdirectory("recontext-gateway-restart-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Fact]
    public async Task ARestartedGatewayResumesItsRunsToTheUninterruptedResult()
    {
        var yaml = GatewayFixture.Experiment(root, steps: 12);
        string interrupted;
        await using (var first = await GatewayFixture.StartAsync(root))
        {
            interrupted = await first.SubmitOkAsync(yaml);
            await first.EventsAsync(interrupted, e => e.GetProperty("kind").GetString() == "step");
        }
        using (var registry = new LiteDbRunStore(Path.Combine(root, "runs", GatewayRegistry.EmbeddedFile)))
            Assert.Equal(RunStatus.Running, registry.FindExperiment(interrupted)!.Status);

        await using var second = await GatewayFixture.StartAsync(root);
        var resumedEvents = await second.EventsAsync(interrupted);
        Assert.Equal("completed", resumedEvents.Last().GetProperty("status").GetString());
        var fresh = await second.SubmitOkAsync(yaml);
        await second.EventsAsync(fresh);

        static IEnumerable<string> Metrics(string dir) => File.ReadLines(Path.Combine(dir, "metrics.csv")).Select(l => string.Join(",", l.Split(',')[..10]));
        var (a, b) = (Path.Combine(root, "runs", interrupted, "seed-3"), Path.Combine(root, "runs", fresh, "seed-3"));
        Assert.Equal(13, Metrics(a).Count());
        Assert.Equal(Metrics(b), Metrics(a));
        Assert.Equal(File.ReadLines(Path.Combine(b, "evaluations.csv")), File.ReadLines(Path.Combine(a, "evaluations.csv")));
        Assert.Equal("completed", (await second.Http.GetFromJsonAsync<JsonElement>($"/api/runs/{interrupted}")).GetProperty("status").GetString());

        // The run's document in its store holds the same metrics and evaluations as its CSV files: every step once,
        // though the run was cut off and resumed.
        using var traces = new LiteDbRunStore(Path.Combine(a, RunStores.EmbeddedFile));
        var document = traces.FindRun(File.ReadAllText(Path.Combine(a, "run-id")).Trim())!;
        Assert.Equal((RunStatus.Completed, 12), (document.Status, document.CompletedStep));
        Assert.Equal(Enumerable.Range(1, 12), document.Steps.Select(r => r.Step));
        Assert.Equal(File.ReadLines(Path.Combine(a, "metrics.csv")).Skip(1).Select(l => l.Split(',')[2]),
            document.Steps.Select(r => r.Values["misbehaviour_rate"].ToString("0.######", System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(File.ReadLines(Path.Combine(a, "evaluations.csv")).Skip(1).Select(l => string.Join(",", l.Split(',')[..2])),
            document.Evaluations.Select(r => $"{r.Step},{r.Context}"));
    }
}
