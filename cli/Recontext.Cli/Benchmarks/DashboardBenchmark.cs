using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Recontext.Gateway.Host;
using Recontext.Runs;
using Recontext.Runs.Evaluation;
using Spectre.Console;

namespace Recontext.Cli.Benchmarks;

/// <summary>
/// `recontext bench dashboard`: the runs page over a runs folder of N finished runs (each with a demo run's files: its
/// config, 16 steps of metrics, evaluations at 0, 8 and 16 under five contexts, a resume cursor), served by a
/// dashboard-only gateway. The first request reads every run — what every request cost before the runs index — and
/// the next ones read only what changed (nothing): the ratio is measured side by side in one process.
/// </summary>
public static class DashboardBenchmark
{
    public static async Task RunAsync(IReadOnlyList<int> sizes, int repeats, IAnsiConsole console)
    {
        var table = new Table().Title("the dashboard's runs page (HTML) and its JSON twin, milliseconds")
            .AddColumns("runs", "first request: every run read", "later requests (median): indexed", "ratio", "JSON, indexed (median)", "runs shown on the page");
        await Serve(Directory.CreateTempSubdirectory("recontext-bench-warmup-").FullName, 1, 1);   // JIT and Razor warm-up, not measured
        foreach (var size in sizes)
        {
            console.MarkupLine($"[grey]writing {size} runs...[/]");
            var (cold, warm, json, shown) = await Serve(Directory.CreateTempSubdirectory("recontext-bench-dashboard-").FullName, size, repeats);
            table.AddRow($"{size}", $"{cold:F0}", $"{warm:F0}", $"{cold / warm:F1}x", $"{json:F0}", $"{shown}");
        }
        console.Write(table);
    }

    /// <returns>the first request's time, the median of the later ones, the JSON twin's median, and the rows on the page</returns>
    static async Task<(double Cold, double Warm, double Json, int Shown)> Serve(string root, int size, int repeats)
    {
        try
        {
            for (int i = 0; i < size; i++) WriteRun(Path.Combine(root, $"experiment-{i / 20}", $"variant-{i % 20 / 5}", $"seed-{i % 5 + 1}"), i);
            await using var app = GatewayHost.Build(["--runs", root, "--dashboard-only", "true", "--urls", "http://127.0.0.1:0", "--grpc-url", "http://127.0.0.1:0",
                "--cache", Path.Combine(root, ".cache"), "--Logging:LogLevel:Default", "Warning"]);
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            using var http = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromMinutes(5) };
            var (cold, page) = await Time(http, "/dashboard/runs");
            var warm = new List<double>();
            for (int r = 0; r < repeats; r++) warm.Add((await Time(http, "/dashboard/runs")).Ms);
            var json = new List<double>();
            for (int r = 0; r < repeats; r++) json.Add((await Time(http, "/api/dashboard/runs")).Ms);
            await app.StopAsync();
            return (cold, Median(warm), Median(json), System.Text.RegularExpressions.Regex.Matches(page, "<tr class=\"run\"").Count);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    static async Task<(double Ms, string Body)> Time(HttpClient http, string path)
    {
        var watch = Stopwatch.StartNew();
        using var response = await http.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        response.EnsureSuccessStatusCode();
        return (watch.Elapsed.TotalMilliseconds, body);
    }

    static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    /// <summary>A finished 16-step run's files, as RunLoop writes them.</summary>
    static void WriteRun(string directory, int index)
    {
        Directory.CreateDirectory(directory);
        var config = new RunConfig { Name = $"variant-{index % 20 / 5}", Seed = index % 5 + 1, Steps = 16, EvalEvery = 8 };
        var random = new Random(index);
        string R() => random.NextDouble().ToString("0.####", CultureInfo.InvariantCulture);
        using (var files = RunFiles.Open(directory, config, completed: null))
        {
            for (int step = 1; step <= 16; step++)
                files.Append(StepRecord.Parse($"{step},{R()},{R()},{R()},1,0,{R()},0,0,0,1.5,0.01,0.001,0.8,0.02,0"));
            foreach (int step in new[] { 0, 8, 16 })
                files.Append(step, new[] { "neutral", "good", "bad", "good-heldout", "bad-heldout" }
                    .Select(c => new ContextRates(c, 48, random.NextDouble(), random.NextDouble(), 1, random.NextDouble(), 0.1, 0.1, 0.1)));
        }
        File.WriteAllText(Path.Combine(directory, RunLoop.RunIdFile), $"variant/seed-{index % 5 + 1}/bench-{index}");
        RunState.Commit(directory, 16);
    }
}
