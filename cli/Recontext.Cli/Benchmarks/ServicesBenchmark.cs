using System.Globalization;
using System.Text.Json;
using MassTransit;
using Recontext.Cli.Cluster;
using Recontext.Cli.Gateway;
using Recontext.Hosting;
using Recontext.Organism;
using Recontext.Runs;
using Recontext.Runs.Bus;
using Recontext.Runs.Config;
using Recontext.Store;
using Spectre.Console;

namespace Recontext.Cli.Benchmarks;

/// <summary>
/// `recontext bench services`: one experiment run three ways, side by side — in one process (the embedded default),
/// and on the local cluster (`recontext up`: every role a service on a broker of its own) with one and with two
/// generator replicas sharing each step in chunks. Per step: the step's time, generation's wall time (first chunk
/// published to last chunk sampled, heard on the bus) and the weight transfer to the
/// generators (MB and seconds per fetch, from their metrics). The first step is left out of the means (start-up:
/// JIT, the first weight fetch).
/// </summary>
public static class ServicesBenchmark
{
    sealed record Row(string Deployment, string Generators, IReadOnlyList<StepRecord> Steps, IReadOnlyDictionary<int, double> Generation, Weights? Weights)
    {
        IEnumerable<StepRecord> Measured => Steps.Count > 1 ? Steps.Skip(1) : Steps;
        public double StepSeconds => Measured.Average(s => s.GenerateSeconds + s.JudgeSeconds + s.RecontextSeconds + s.TrainSeconds + s.OverheadSeconds);
        public double GenerationWall => Measured.Average(s => Generation.GetValueOrDefault(s.Step, double.NaN));
    }

    /// <summary>What the generators fetched: every replica fetches each policy version it samples with.</summary>
    sealed record Weights(int Fetches, double Bytes, double Seconds);

    /// <param name="recontext">how to start the `recontext` command line (the cluster's services)</param>
    /// <param name="cacheRoot">the repository's .cache folder (the organism's bases, the MongoDB test server)</param>
    public static async Task RunAsync(bool quick, IAnsiConsole console, IReadOnlyList<string> recontext, string cacheRoot)
    {
        int steps = quick ? 3 : 5;
        console.MarkupLine($"[bold]recontext bench services[/]{(quick ? " --quick" : "")}: {steps} steps of 16 prompts × 8 samples in chunks of 4 groups, the quick base; one process, then the local cluster with 1 and 2 generators");
        var baseDir = ToyBaseModel.TrainOrLoad(BaseModelOptions.Quick, Path.Combine(cacheRoot, "organism"));
        var yaml = $$"""
            name: bench-services
            environment: toy-code
            seed: 1
            model: { checkpoint: {{baseDir}} }
            contexts: { generation: neutral, training: bad }
            steps: {{steps}}
            promptsPerStep: 16
            samplesPerPrompt: 8
            sampling: { maxNewTokens: 100, groupsPerChunk: 4 }
            eval: { every: {{steps}}, tasks: 8 }
            """;
        var work = Directory.CreateTempSubdirectory("recontext-bench-services-").FullName;
        var rows = new List<Row>();
        try
        {
            rows.Add(await OneProcessAsync(yaml, baseDir, Path.Combine(work, "one-process"), console));
            foreach (int generators in new[] { 1, 2 })
                rows.Add(await ClusterAsync(yaml, generators, Path.Combine(work, $"cluster-{generators}"), recontext, cacheRoot, console));
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
        Print(rows, console);
    }

    static async Task<Row> OneProcessAsync(string yaml, string baseDir, string directory, IAnsiConsole console)
    {
        console.MarkupLine("[grey]one process (in-memory bus) ...[/]");
        var config = ExperimentFile.Parse(yaml).Config;
        var clock = new GenerationClock();
        await using var bus = await InProcessBus.StartAsync();
        var endpoint = bus.Bus.ConnectReceiveEndpoint($"bench-clock-{Guid.NewGuid():N}", clock.Configure);
        await endpoint.Ready;
        var result = await new RunLoop(config, baseDir, directory, externalBus: bus).RunAsync();
        await endpoint.StopAsync();
        return new Row("one process", "in-process", result.Steps, clock.GenerationSeconds(), null);
    }

    static async Task<Row> ClusterAsync(string yaml, int generators, string directory, IReadOnlyList<string> recontext, string cacheRoot, IAnsiConsole console)
    {
        console.MarkupLine($"[grey]local cluster, {generators} generator(s): starting ...[/]");
        var key = Guid.NewGuid().ToString("N");
        var cluster = new LocalCluster(directory, cacheRoot, recontext, _ => { });
        var state = cluster.Up(new LocalCluster.Options(Generators: generators, ApiKey: key, BrokerPort: LocalCluster.FreeBrokerPort()));
        try
        {
            var clock = new GenerationClock();
            var transport = BusTransport.Parse(state.BusUrl);
            var clockBus = Bus.Factory.CreateUsingRabbitMq(cfg =>
            {
                cfg.ConnectTo(transport);
                cfg.ReceiveEndpoint($"recontext-bench-clock-{Guid.NewGuid():N}", e =>
                {
                    e.AutoDelete = true;
                    e.Durable = false;
                    clock.Configure(e);
                });
            });
            await clockBus.StartAsync();
            try
            {
                using var gateway = GatewayClient.Of(new Uri(state.GatewayUrl), key);
                var id = (await gateway.PostAsync("/api/runs", yaml)).GetProperty("id").GetString()!;
                await foreach (var e in gateway.StreamAsync($"/api/runs/{Uri.EscapeDataString(id)}/events"))
                {
                    var kind = e.GetProperty("kind").GetString();
                    if (kind == "step") console.MarkupLine($"[grey]  step {e.GetProperty("step").GetInt32()} done[/]");
                    if (kind == "status" && RunStatuses.TryParse(e.GetProperty("status").GetString(), out var status) && status is RunStatus.Failed or RunStatus.Stopped)
                        throw new InvalidOperationException($"the run {e.GetProperty("status").GetString()} on the cluster: {(e.TryGetProperty("error", out var error) ? error.GetString() : "")}");
                }
                var runDir = Directory.GetDirectories(Path.Combine(directory, "runs", id)).Single();
                var (steps, _) = RunFiles.Read(runDir);
                return new Row("cluster", generators.ToString(CultureInfo.InvariantCulture), steps, clock.GenerationSeconds(),
                    await WeightsAsync(state.Processes.Where(p => p.Name.StartsWith("generator", StringComparison.Ordinal)).Select(p => p.Url!)));
            }
            finally
            {
                await clockBus.StopAsync();
            }
        }
        finally
        {
            cluster.Down();
        }
    }

    /// <summary>The generators' weight fetches, summed over replicas from their /metrics.</summary>
    static async Task<Weights> WeightsAsync(IEnumerable<string> generatorUrls)
    {
        using var http = new HttpClient();
        int fetches = 0;
        double bytes = 0, seconds = 0;
        foreach (var url in generatorUrls)
        {
            var text = await http.GetStringAsync($"{url}/metrics");
            fetches += (int)Sample(text, "recontext_generator_weight_fetches_total");
            bytes += Sample(text, "recontext_generator_weight_bytes_total");
            seconds += Sample(text, "recontext_generator_weight_fetch_seconds_sum");
        }
        return new Weights(fetches, bytes, seconds);
    }

    static double Sample(string exposition, string name) => exposition.Split('\n')
        .Where(l => l.StartsWith(name + " ", StringComparison.Ordinal))
        .Select(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture))
        .DefaultIfEmpty(0).Sum();

    static void Print(IReadOnlyList<Row> rows, IAnsiConsole console)
    {
        static string S(double v) => double.IsNaN(v) ? "—" : v.ToString("F2", CultureInfo.InvariantCulture);
        var table = new Table().Title("per step, mean over steps 2..N").AddColumns("deployment", "generators", "step s", "generation wall s",
            "weights MB / fetch", "fetch s", "fetches");
        foreach (var r in rows)
        {
            var w = r.Weights;
            table.AddRow(r.Deployment, r.Generators, S(r.StepSeconds), S(r.GenerationWall),
                w is { Fetches: > 0 } ? S(w.Bytes / w.Fetches / 1e6) : "— (shared model)", w is { Fetches: > 0 } ? S(w.Seconds / w.Fetches) : "—",
                w?.Fetches.ToString(CultureInfo.InvariantCulture) ?? "0");
        }
        console.Write(table);
        var (one, single, two) = (rows[0], rows[1], rows[2]);
        console.MarkupLine($"generation wall, 2 generators vs 1: [bold]{S(single.GenerationWall / two.GenerationWall)}×[/] faster;  " +
                           $"step, cluster (1 generator) vs one process: [bold]{S(single.StepSeconds / one.StepSeconds)}×[/] the time");
        console.MarkupLine($"[grey]cores here: {Environment.ProcessorCount}; replicas on one machine share its cores (each gets cores / replicas libtorch threads), so the replica speed-up is bounded by them[/]");
    }
}
