using System.Net.Http.Json;
using System.Text.Json;

namespace Recontext.Gateway.Tests;

/// <summary>A gateway that stops mid-run leaves the run's folder behind; the next gateway on the same folder resumes
/// the run, which ends as an uninterrupted run of the same experiment does.</summary>
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
        var left = JsonDocument.Parse(File.ReadAllText(Path.Combine(root, "runs", interrupted, GatewayRun.FileName))).RootElement;
        Assert.Equal("running", left.GetProperty("status").GetString());

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
    }
}
