using Recontext.Cli.Cluster;
using Spectre.Console;

namespace Recontext.Cli.Commands;

/// <summary>`recontext up`: the whole system on this machine (broker, store, Prometheus when installed, the five
/// services as processes), recorded so that `recontext down` stops exactly it.</summary>
public sealed class UpCommand : ICliCommand
{
    public string Name => "up";

    public string Summary => "start the whole system on this machine: RabbitMQ, the store, Prometheus, the five services";

    public string Usage => $"""
        recontext up [--generators N] [--judges N] [--store mongodb://...] [--api-key KEY] [--dir DIR] [--broker-port N]
          --generators, --judges  replicas (default 1 each); they compete on their role's queue
          --broker-port  start a RabbitMQ node of the cluster's own on this port (data under DIR/rabbitmq) instead of
                     using (or starting) the machine's broker on 5672
          --store    a real MongoDB for the traces; default: the MongoDB-wire test server (keeps them in memory only)
          --api-key  the gateway's key for submit and stop (default: a random one, printed)
          --dir      the cluster's folder: state, logs, runs (default .cache/cluster)
        Ports (loopback): gateway {LocalCluster.GatewayPort}, judge {LocalCluster.JudgePort}, generator {LocalCluster.GeneratorPort}, recontextualizer {LocalCluster.RecontextualizerPort},
        trainer {LocalCluster.TrainerPort} (weights gRPC {LocalCluster.WeightsPort}), Prometheus {LocalCluster.PrometheusPort}; replica i of a role adds 100 × i.
        """;

    public int Run(IReadOnlyList<string> args)
    {
        var parsed = CliArguments.Parse(args, [], ["--generators", "--judges", "--store", "--api-key", "--dir", "--broker-port"]);
        int Count(string option) => parsed.Get(option) is not { } v ? 1
            : int.TryParse(v, out int n) && n is >= 1 and <= 8 ? n : throw new CliUsageException($"{option} must be an integer from 1 to 8, got '{v}'");
        int? brokerPort = parsed.Get("--broker-port") is not { } given ? null
            : int.TryParse(given, out int port) && port is >= 1024 and <= 45535 ? port : throw new CliUsageException($"--broker-port must be a port from 1024 to 45535, got '{given}'");
        var options = new LocalCluster.Options(Count("--generators"), Count("--judges"), parsed.Get("--store"), parsed.Get("--api-key"), BrokerPort: brokerPort);
        if (options.StoreUrl is { } store)
        {
            try
            {
                Store.RunStores.Check(store);
            }
            catch (ArgumentException e)
            {
                throw new CliUsageException($"--{e.Message}");
            }
        }
        var directory = Path.GetFullPath(parsed.Get("--dir") ?? RepositoryPaths.Cache("cluster"));
        var cluster = new LocalCluster(directory, Path.GetDirectoryName(RepositoryPaths.Cache("cluster"))!, [Environment.ProcessPath!], m => AnsiConsole.MarkupLine($"[grey]{Markup.Escape(m)}[/]"));
        ClusterState state;
        try
        {
            state = cluster.Up(options);
        }
        catch (ClusterException e)
        {
            Console.Error.WriteLine($"recontext up: {e.Message}");
            return 2;
        }
        var table = new Table().AddColumns("process", "pid", "url", "log");
        foreach (var p in state.Processes) table.AddRow(Markup.Escape(p.Name), p.Pid.ToString(), Markup.Escape(p.Url ?? ""), Markup.Escape(p.Log));
        AnsiConsole.Write(table);
        Console.WriteLine($"gateway: {state.GatewayUrl}   API key: {state.ApiKey}");
        Console.WriteLine($"try: recontext submit experiments/quick-smoke.yaml --gateway {state.GatewayUrl} --api-key {state.ApiKey}");
        Console.WriteLine("stop everything with: recontext down");
        return 0;
    }
}
