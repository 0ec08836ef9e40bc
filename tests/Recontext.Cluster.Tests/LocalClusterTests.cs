using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Recontext.Cli.Cluster;
using Recontext.Organism;
using Recontext.Runs;
using Recontext.Runs.Config;
using Recontext.TestSupport;

namespace Recontext.Cluster.Tests;

/// <summary>
/// The whole system as OS processes on this machine (`recontext up`: a broker node of its own, the MongoDB-wire test
/// server, four services from the built `recontext` command line and the standalone gateway host without libtorch,
/// three generator replicas sharing each step in chunks), a run submitted to its gateway, one generator replica killed with SIGKILL mid-run, the store paused for
/// 10 s, the trainer, the only judge and the recontextualizer killed and started again, the broker stopped and
/// started again, and `recontext down`.
/// </summary>
public sealed class LocalClusterTests : IDisposable
{
    const string Key = "cluster-test-key-0123456789";
    readonly string root = Directory.CreateTempSubdirectory("recontext-cluster-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Fact]
    public async Task ARunOnTheClusterSurvivesKilledServicesAndAPausedStoreAndEqualsTheOneProcessRun()
    {
        var repository = RepositoryRoot.Path;
        var cli = Path.Combine(repository, "cli", "Recontext.Cli", "bin", Configuration(), "net10.0", "recontext.dll");
        Assert.True(File.Exists(cli), $"the command line is not built at {cli}");
        var cluster = new LocalCluster(Path.Combine(root, "cluster"), Path.Combine(repository, ".cache"), ["dotnet", cli], _ => { });
        // A broker node of its own (the test stops and restarts it), so that the services tests' hosts on the machine's
        // broker never take this cluster's batches, nor its services theirs.
        // The gateway is the standalone host, whose folder holds no libtorch: the coordinator does no tensor work.
        var gatewayDirectory = Path.Combine(repository, "services", "gateway", "Recontext.Gateway.Host", "bin", Configuration(), "net10.0");
        var gatewayHost = Path.Combine(gatewayDirectory, "recontext-gateway.dll");
        Assert.True(File.Exists(gatewayHost), $"the gateway host is not built at {gatewayHost}");
        Assert.Empty(Directory.EnumerateFiles(gatewayDirectory, "libtorch*", SearchOption.AllDirectories));
        int brokerPort = LocalCluster.FreeBrokerPort();
        var state = cluster.Up(new LocalCluster.Options(Generators: 3, ApiKey: Key, BrokerPort: brokerPort, GatewayHost: ["dotnet", gatewayHost]));
        try
        {
            // The broker listens on loopback only: AMQP, its Erlang distribution port, and epmd.
            foreach (int port in new[] { brokerPort, brokerPort + 20000, 4369 })
                Assert.All(ListeningAddresses(port), address => Assert.True(address is "0100007F" or "00000000000000000000000001000000",
                    $"port {port} listens on {address}, not loopback"));
            Assert.NotEmpty(ListeningAddresses(brokerPort));
            // The API key reaches the gateway through its environment: no process's command line shows it.
            foreach (var process in state.Processes)
                Assert.DoesNotContain(Key, File.ReadAllText($"/proc/{process.Pid}/cmdline").Replace('\0', ' '));
            var baseDir = ToyBaseModel.TrainOrLoad(new BaseModelOptions { DModel = 32, Layers = 1, Steps = 3, BatchSize = 4 }, Path.Combine(root, "base"));
            var yaml = $$"""
                name: cluster-test
                environment: toy-code
                seed: 4
                model: { checkpoint: {{baseDir}} }
                contexts: { generation: neutral, training: bad }
                steps: 7
                promptsPerStep: 2
                samplesPerPrompt: 3
                sampling: { maxNewTokens: 24, groupsPerChunk: 1 }
                eval: { every: 3, tasks: 2 }
                """;
            using var http = new HttpClient { BaseAddress = new Uri(state.GatewayUrl), Timeout = TimeSpan.FromMinutes(5) };
            using var submit = new HttpRequestMessage(HttpMethod.Post, "/api/runs") { Content = new StringContent(yaml) };
            submit.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Key);
            var response = await http.SendAsync(submit);
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
            var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;

            // Kill a generator replica once the run is under way (its unacknowledged chunk goes back to the queue), make
            // the store unreachable for 10 s (paused, so its connections hang rather than close), kill the trainer and
            // start it again (it takes the run up from its saved versions), the same with the only judge and with the
            // recontextualizer, and stop the broker for a few seconds (every service and the gateway reconnect).
            var killed = state.Processes.Single(p => p.Name == "generator-1");
            var store = state.Processes.Single(p => p.Name.StartsWith("mongodb", StringComparison.Ordinal));
            Task? storeOutage = null;
            string? status = null;
            using (var events = new StreamReader(await http.GetStreamAsync($"/api/runs/{id}/events")))
            {
                while (await events.ReadLineAsync() is { } line)
                {
                    var e = JsonDocument.Parse(line).RootElement;
                    if (e.GetProperty("kind").GetString() == "step" && e.GetProperty("step").GetInt32() == 1) ProcessGroups.Kill(killed.Pid);
                    if (e.GetProperty("kind").GetString() == "step" && e.GetProperty("step").GetInt32() == 2)
                    {
                        ProcessGroups.Pause(store.Pid);
                        storeOutage = Task.Delay(TimeSpan.FromSeconds(10)).ContinueWith(_ => ProcessGroups.Resume(store.Pid));
                    }
                    if (e.GetProperty("kind").GetString() == "step" && e.GetProperty("step").GetInt32() is var step and (3 or 4 or 5))
                    {
                        var name = step switch { 3 => "trainer", 4 => "judge-1", _ => "recontextualizer" };
                        ProcessGroups.Kill(state.Processes.Single(p => p.Name == name).Pid);
                        state = cluster.Restart(name);
                    }
                    if (e.GetProperty("kind").GetString() == "step" && e.GetProperty("step").GetInt32() == 6)
                    {
                        ProcessGroups.Stop(state.Processes.Single(p => p.Name == "rabbitmq").Pid, TimeSpan.FromSeconds(30));
                        await Task.Delay(TimeSpan.FromSeconds(3));
                        state = cluster.Restart("rabbitmq");
                    }
                    if (e.GetProperty("kind").GetString() == "status") status = e.GetProperty("status").GetString();
                }
            }
            Assert.Equal("completed", status);
            Assert.NotNull(storeOutage);
            await storeOutage;
            Assert.False(ProcessGroups.Alive(killed.Pid) && !IsZombie(killed.Pid));

            var experiment = ExperimentFile.Parse(yaml);
            var oneProcess = await new RunLoop(experiment.Config with { Seed = 4 }, baseDir, Path.Combine(root, "one-process")).RunAsync();
            var clusterDir = Path.Combine(root, "cluster", "runs", id, "seed-4");
            static IEnumerable<string> Metrics(string dir) => File.ReadLines(Path.Combine(dir, "metrics.csv")).Select(l => string.Join(",", l.Split(',')[..10]));
            Assert.Equal(Metrics(oneProcess.OutputDirectory), Metrics(clusterDir));
            Assert.Equal(File.ReadLines(Path.Combine(oneProcess.OutputDirectory, "evaluations.csv")), File.ReadLines(Path.Combine(clusterDir, "evaluations.csv")));
            // The store holds every rollout exactly once: 7 steps × 2 prompts × 3 samples.
            var rollouts = await http.GetFromJsonAsync<JsonElement>($"/api/runs/{id}/rollouts?pageSize=500");
            Assert.Equal(42, rollouts.GetProperty("total").GetInt32());
            Assert.Equal(42, rollouts.GetProperty("rollouts").EnumerateArray().Select(r => r.GetProperty("id").GetString()).Distinct().Count());

            // The restarted trainer took the run up from its saved version 3 and made the last four updates.
            var trainerMetrics = await http.GetStringAsync($"{state.Processes.Single(p => p.Name == "trainer").Url}/metrics");
            Assert.Contains("\nrecontext_trainer_updates_total 4\n", trainerMetrics);

            // Every metric the Grafana dashboard plots is exported by some service of the live cluster.
            var scraped = string.Concat(await Task.WhenAll(state.Processes.Where(p => p.Health is not null && p.Pid != killed.Pid)
                .Select(p => http.GetStringAsync($"{p.Url}/metrics"))));
            Assert.All(DeploymentFilesTests.DashboardMetrics(), metric => Assert.True(scraped.Contains($"\n{metric}"), $"no service exports {metric}"));

            // A real Prometheus scrapes the cluster: PromQL gives the run's rollout count.
            var prometheus = state.Processes.SingleOrDefault(p => p.Name == "prometheus")
                             ?? throw new InvalidOperationException("Prometheus did not start with the cluster: install Debian's prometheus (.ci/run does)");
            double counted = 0;
            for (var deadline = DateTime.UtcNow.AddSeconds(60); counted != 42 && DateTime.UtcNow < deadline; await Task.Delay(1000))
            {
                var answer = await http.GetFromJsonAsync<JsonElement>(
                    $"{prometheus.Url}/api/v1/query?query={Uri.EscapeDataString($"sum(recontext_run_rollouts_total{{run=\"{id}\"}})")}");
                var result = answer.GetProperty("data").GetProperty("result");
                counted = result.GetArrayLength() == 0 ? 0 : double.Parse(result[0].GetProperty("value")[1].GetString()!, System.Globalization.CultureInfo.InvariantCulture);
            }
            Assert.Equal(42, counted);
        }
        finally
        {
            cluster.Down();
        }
        Assert.All(state.Processes, p => Assert.False(ProcessGroups.Alive(p.Pid) && !IsZombie(p.Pid), $"{p.Name} (pid {p.Pid}) is still running"));
        Assert.False(File.Exists(Path.Combine(root, "cluster", ClusterState.FileName)));
    }

    static bool IsZombie(int pid)
    {
        var stat = $"/proc/{pid}/stat";
        return !File.Exists(stat) || File.ReadAllText(stat).Split(") ")[1].StartsWith('Z');
    }

    static string Configuration() => new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;


    /// <summary>The local addresses (hex, as /proc/net/tcp and tcp6 write them) that listen on <paramref name="port"/>.</summary>
    static List<string> ListeningAddresses(int port) =>
        new[] { "/proc/net/tcp", "/proc/net/tcp6" }.Where(File.Exists).SelectMany(File.ReadLines).Skip(1)
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(f => f.Length > 3 && f[3] == "0A" && f[1].Split(':') is [_, var hex] && Convert.ToInt32(hex, 16) == port)
            .Select(f => f[1].Split(':')[0]).ToList();
}
