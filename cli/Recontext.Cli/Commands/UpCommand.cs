using System.CommandLine;
using Recontext.Cli.Cluster;
using Spectre.Console;

namespace Recontext.Cli.Commands;

/// <summary>`recontext up`: the whole system on this machine (broker, store, Prometheus when installed, the five
/// services as processes), recorded so that `recontext down` stops exactly it.</summary>
public sealed class UpCommand : ICliCommand
{
    public Command Build()
    {
        var generators = CliOptions.Int("--generators", "generator replicas (default 1); they compete on their queue and share steps sent in chunks", min: 1, max: 8);
        var judges = CliOptions.Int("--judges", "judge replicas (default 1)", min: 1, max: 8);
        var store = CliOptions.Text("--store", "a real MongoDB for the runs and traces; default: the MongoDB-wire test server (keeps them in memory only)");
        var apiKey = CliOptions.Text("--api-key", "the gateway's key for submit and stop (default: a random one, printed)");
        var directory = CliOptions.Text("--dir", "the cluster's folder: state, logs, runs (default .cache/cluster)");
        var brokerPort = CliOptions.Int("--broker-port", "start a RabbitMQ node of the cluster's own on this port (data under DIR/rabbitmq) instead of using " +
                                                         "(or starting) the machine's broker on 5672", min: 1024, max: 45535);
        var command = new Command("up", "start the whole system on this machine: RabbitMQ, the store, Prometheus and the five services on loopback ports " +
                                        $"(gateway {LocalCluster.GatewayPort}, judge {LocalCluster.JudgePort}, generator {LocalCluster.GeneratorPort}, recontextualizer " +
                                        $"{LocalCluster.RecontextualizerPort}, trainer {LocalCluster.TrainerPort}, Prometheus {LocalCluster.PrometheusPort}; replica i adds 100 × i)")
        {
            generators, judges, store, apiKey, directory, brokerPort,
        };
        command.Validators.Add(result =>
        {
            if (result.GetValue(store) is not { } url) return;
            try
            {
                Store.RunStores.Check(url);
            }
            catch (ArgumentException e)
            {
                result.AddError($"--{e.Message}");
            }
        });
        command.SetAction(parsed => Run(
            new LocalCluster.Options(parsed.GetValue(generators) ?? 1, parsed.GetValue(judges) ?? 1, parsed.GetValue(store), parsed.GetValue(apiKey),
                BrokerPort: parsed.GetValue(brokerPort)),
            Path.GetFullPath(parsed.GetValue(directory) ?? RepositoryPaths.Cache("cluster"))));
        return command;
    }

    static int Run(LocalCluster.Options options, string directory)
    {
        var cluster = new LocalCluster(directory, Path.GetDirectoryName(RepositoryPaths.Cache("cluster"))!, [Environment.ProcessPath!], m => AnsiConsole.MarkupLine($"[grey]{Markup.Escape(m)}[/]"));
        ClusterState state;
        try
        {
            state = cluster.Up(options);
        }
        catch (ClusterException e)
        {
            Console.Error.WriteLine($"recontext up: {e.Message}");
            return CliApp.UsageError;
        }
        var table = new Table().AddColumns("process", "pid", "url", "log");
        foreach (var p in state.Processes) table.AddRow(Markup.Escape(p.Name), p.Pid.ToString(), Markup.Escape(p.Url ?? ""), Markup.Escape(p.Log));
        AnsiConsole.Write(table);
        Console.WriteLine($"gateway: {state.GatewayUrl}   API key: {state.ApiKey}");
        Console.WriteLine($"dashboard: {state.GatewayUrl.TrimEnd('/')}/dashboard/runs");
        Console.WriteLine($"try: recontext submit experiments/quick-smoke.yaml --gateway {state.GatewayUrl} --api-key {state.ApiKey}");
        Console.WriteLine("stop everything with: recontext down");
        return 0;
    }
}
