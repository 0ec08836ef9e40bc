using System.Text.Json;
using System.Text.RegularExpressions;
using Recontext.Cli.Cluster;
using Recontext.TestSupport;
using YamlDotNet.RepresentationModel;

namespace Recontext.Cluster.Tests;

/// <summary>
/// No Docker engine runs here, so docker-compose.yml, the Dockerfiles and Prometheus's configuration are held
/// against the code: every image builds a project that exists and runs the program it builds, every environment
/// variable set is one the hosts read, and every scrape target is the port its service listens on.
/// </summary>
public sealed partial class DeploymentFilesTests
{
    static readonly string Root = RepositoryRoot.Path;

    static YamlMappingNode Yaml(string path)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(File.ReadAllText(Path.Combine(Root, path))));
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    static YamlMappingNode Services => (YamlMappingNode)Yaml("docker-compose.yml")["services"];

    static IEnumerable<(string Name, YamlMappingNode Node)> Built =>
        Services.Children.Select(kv => (((YamlScalarNode)kv.Key).Value!, (YamlMappingNode)kv.Value)).Where(s => s.Item2.Children.ContainsKey("build"));

    [Fact]
    public void EveryServiceImageBuildsAProjectThatExistsAndRunsWhatItBuilds()
    {
        Assert.Equal(["gateway", "generator", "judge", "recontextualizer", "trainer"], Built.Select(s => s.Name).Order());
        foreach (var (name, node) in Built)
        {
            var dockerfile = ((YamlScalarNode)((YamlMappingNode)node["build"])["dockerfile"]).Value!;
            var text = File.ReadAllText(Path.Combine(Root, dockerfile));
            var project = PublishedProject().Match(text).Groups[1].Value;
            Assert.True(File.Exists(Path.Combine(Root, project)), $"{dockerfile} publishes {project}, which does not exist");
            var assembly = AssemblyName().Match(File.ReadAllText(Path.Combine(Root, project))).Groups[1].Value;
            Assert.Equal($"recontext-{name}", assembly);
            Assert.Contains($"ENTRYPOINT [\"./{assembly}\"]", text);
        }
    }

    [Fact]
    public void EveryEnvironmentVariableComposeSetsIsOneTheHostsRead()
    {
        var sources = string.Concat(Directory.EnumerateFiles(Path.Combine(Root, "services"), "*.cs", SearchOption.AllDirectories)
            .Concat(Directory.EnumerateFiles(Path.Combine(Root, "src"), "*.cs", SearchOption.AllDirectories))
            .Concat(Directory.EnumerateFiles(Path.Combine(Root, "cli"), "*.cs", SearchOption.AllDirectories))
            .Where(f => !f.Contains("/obj/") && !f.Contains("/bin/")).Select(File.ReadAllText));
        var set = Built.SelectMany(s => Environment(s.Node).Keys).Distinct().ToList();
        Assert.Contains("RECONTEXT_BUS_URL", set);
        foreach (var variable in set.Where(v => v != "ASPNETCORE_URLS"))
            Assert.True(sources.Contains($"\"{variable}\""), $"docker-compose.yml sets {variable}, which no host reads");
    }

    [Fact]
    public void PrometheusScrapesEachServiceOnThePortItListensOnAndTheLocalClusterUsesTheSamePorts()
    {
        var listens = Built.ToDictionary(s => s.Name, s => new Uri(Environment(s.Node)["ASPNETCORE_URLS"]).Port);
        var jobs = ((YamlSequenceNode)Yaml("deploy/prometheus/prometheus.yml")["scrape_configs"]).Children.Cast<YamlMappingNode>()
            .ToDictionary(j => ((YamlScalarNode)j["job_name"]).Value!, j => j);
        foreach (var (service, port) in listens)
        {
            Assert.True(jobs.TryGetValue(service, out var job), $"Prometheus has no job for {service}");
            var target = job.Children.ContainsKey("static_configs")
                ? ((YamlScalarNode)((YamlSequenceNode)((YamlMappingNode)((YamlSequenceNode)job["static_configs"])[0])["targets"])[0]).Value!
                : $"{service}:{((YamlScalarNode)((YamlMappingNode)((YamlSequenceNode)job["dns_sd_configs"])[0])["port"]).Value}";
            Assert.Equal($"{service}:{port}", target);
        }
        Assert.Equal(new Dictionary<string, int>
        {
            ["gateway"] = LocalCluster.GatewayPort, ["judge"] = LocalCluster.JudgePort, ["generator"] = LocalCluster.GeneratorPort,
            ["recontextualizer"] = LocalCluster.RecontextualizerPort, ["trainer"] = LocalCluster.TrainerPort,
        }, listens);
    }

    /// <summary>The recontext_* metric names the Grafana dashboard queries (checked against a live scrape in
    /// <see cref="LocalClusterTests"/>).</summary>
    public static IReadOnlyList<string> DashboardMetrics()
    {
        using var dashboard = JsonDocument.Parse(File.ReadAllText(Path.Combine(Root, "deploy", "grafana", "dashboards", "recontext.json")));
        return dashboard.RootElement.GetProperty("panels").EnumerateArray()
            .SelectMany(p => p.GetProperty("targets").EnumerateArray().Select(t => t.GetProperty("expr").GetString()!))
            .SelectMany(e => MetricName().Matches(e).Select(m => m.Value)).Distinct().Order().ToList();
    }

    [Fact]
    public void TheDashboardQueriesOurMetrics() => Assert.True(DashboardMetrics().Count >= 10);

    static Dictionary<string, string> Environment(YamlMappingNode service)
    {
        var result = new Dictionary<string, string>();
        if (!service.Children.TryGetValue("environment", out var environment)) return result;
        foreach (var (key, value) in ((YamlMappingNode)environment).Children)
        {
            var name = ((YamlScalarNode)key).Value!;
            if (name == "<<") foreach (var (k, v) in (YamlMappingNode)value) result[((YamlScalarNode)k).Value!] = ((YamlScalarNode)v).Value!;
            else result[name] = ((YamlScalarNode)value).Value!;
        }
        return result;
    }

    [GeneratedRegex(@"dotnet publish (\S+\.csproj)")]
    private static partial Regex PublishedProject();

    [GeneratedRegex(@"<AssemblyName>([^<]+)</AssemblyName>")]
    private static partial Regex AssemblyName();

    [GeneratedRegex(@"recontext_[a-z_]+")]
    private static partial Regex MetricName();

}
