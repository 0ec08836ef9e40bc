using System.Net;
using Recontext.Organism;
using Recontext.TestSupport;

namespace Recontext.Cli.Tests;

/// <summary>`recontext run FILE --dashboard URL`: the dashboard is up over the run's results while it trains, and
/// goes with the command.</summary>
public sealed class DashboardOptionTests : IDisposable
{
    readonly string root = Directory.CreateTempSubdirectory("recontext-cli-dashboard-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Fact]
    public void ARunServesItsDashboardWhileItTrainsAndStopsItAfter()
    {
        var checkpoint = ToyBaseModel.TrainOrLoad(new BaseModelOptions { DModel = 32, Layers = 1, Steps = 3, BatchSize = 4 }, Path.Combine(root, "cache"));
        var experiment = Path.Combine(root, "tiny.yaml");
        File.WriteAllText(experiment, $$"""
            name: watched
            environment: toy-code
            seed: 4
            model: { checkpoint: {{checkpoint}} }
            steps: 12
            promptsPerStep: 2
            samplesPerPrompt: 2
            sampling: { maxNewTokens: 12 }
            eval: { every: 4, tasks: 2 }
            """);
        var url = $"http://127.0.0.1:{UnusedPort.Next()}";
        using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(5) };
        string? seen = null;
        var result = RecontextCli.Run(["run", experiment, "--out", Path.Combine(root, "runs", "watched-run"), "--dashboard", url], whileRunning: () =>
        {
            try
            {
                var page = http.GetStringAsync("/api/dashboard/runs?experiment=watched-run").Result;
                if (page.Contains("\"key\":\"watched-run/seed-4\"")) seen = page;
                return seen is not null;
            }
            catch (AggregateException)
            {
                return false;   // not up yet
            }
        });
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.NotNull(seen);
        Assert.Contains($"dashboard: {url}/dashboard/runs?experiment=watched-run", result.Out);
        var after = Assert.ThrowsAny<Exception>(() => http.GetAsync("/dashboard/runs").Result);
        Assert.IsType<HttpRequestException>(after is AggregateException a ? a.InnerException : after);
    }
}
