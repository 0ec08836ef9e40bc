using System.Net.Sockets;

namespace Recontext.Cli.Cluster;

/// <summary>
/// The whole system on one machine without Docker: a RabbitMQ broker (Debian's rabbitmq-server, unless one already
/// answers), the MongoDB store (a real one given by URL, else the MongoDB-wire test server, in memory only), Prometheus
/// when installed, and the five services as processes on loopback ports, each with its log file. Everything it
/// starts is recorded in <see cref="ClusterState"/> so that <see cref="Down"/> stops exactly that.
/// </summary>
/// <param name="directory">the cluster's folder: its state, logs, runs and the trainer's versions</param>
/// <param name="cacheRoot">the repository's .cache folder (the test server from scripts/fetch-test-assets.sh, the organism's bases)</param>
/// <param name="recontext">how to start the `recontext` command line (program and leading arguments)</param>
public sealed class LocalCluster(string directory, string cacheRoot, IReadOnlyList<string> recontext, Action<string> say)
{
    public const int GatewayPort = 8080, JudgePort = 8081, GeneratorPort = 8082, RecontextualizerPort = 8083, TrainerPort = 8084, WeightsPort = 8094, PrometheusPort = 9090;

    /// <summary>A free loopback port for a broker node of the cluster's own (<see cref="Options.BrokerPort"/>) whose
    /// Erlang distribution port, 20000 above it, is free too.</summary>
    public static int FreeBrokerPort()
    {
        for (int attempt = 0; attempt < 100; attempt++)
        {
            int port = Random.Shared.Next(20_000, 45_000);
            if (!Answers(port) && Bindable(port) && Bindable(port + 20_000)) return port;
        }
        throw new ClusterException("rabbitmq: found no free pair of ports for a broker node (tried 100)");

        static bool Bindable(int port)
        {
            try
            {
                using var listener = new TcpListener(System.Net.IPAddress.Loopback, port);
                listener.Start();
                return true;
            }
            catch (SocketException)
            {
                return false;
            }
        }
    }

    /// <summary>Port of the i-th replica (0-based) of a role whose first replica listens on <paramref name="first"/>.</summary>
    public static int ReplicaPort(int first, int replica) => first + 100 * replica;

    /// <param name="BusUrl">a broker to use instead of the local one on 5672 (started when none answers)</param>
    /// <param name="BrokerPort">start a broker node of the cluster's own on this port (its data under the cluster's
    /// folder), even when one answers on 5672: a cluster that must not share, or restart, the machine's broker</param>
    /// <param name="GatewayHost">how to start the standalone gateway host (recontext-gateway, without libtorch) instead of
    /// `recontext serve gateway`</param>
    public sealed record Options(int Generators = 1, int Judges = 1, string? StoreUrl = null, string? ApiKey = null, string? BusUrl = null, int? BrokerPort = null,
        IReadOnlyList<string>? GatewayHost = null);

    /// <exception cref="ClusterException">something could not start (the message names it and its log); whatever
    /// had started is stopped again</exception>
    /// <summary>The gateway reads its keys from this variable when no --api-keys is given.</summary>
    const string ApiKeysVariable = "RECONTEXT_API_KEYS";

    public ClusterState Up(Options options)
    {
        if (ClusterState.Load(directory) is { } running && running.Processes.Any(p => ProcessGroups.Alive(p.Pid)))
            throw new ClusterException($"a cluster is already up (see {Path.Combine(directory, ClusterState.FileName)}); `recontext down` stops it");
        // Checked before anything starts: a refused key used to surface only when the gateway, last, failed to start.
        if (options.ApiKey is { Length: < 16 }) throw new ClusterException("--api-key: the key must have at least 16 characters");
        Directory.CreateDirectory(Path.Combine(directory, "logs"));
        var started = new List<ClusterProcess>();
        try
        {
            var bus = options.BusUrl ?? (options.BrokerPort is int brokerPort ? StartOwnBroker(started, brokerPort) : StartBroker(started));
            var store = options.StoreUrl ?? StartTestStore(started);
            var apiKey = options.ApiKey ?? Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
            string[] busArgs = ["--bus", bus];
            for (int i = 0; i < options.Judges; i++) Service(started, $"judge-{i + 1}", ReplicaPort(JudgePort, i), ["serve", "judge", .. busArgs]);
            // Generator replicas sample at the same time: each gets its share of the cores for libtorch's threads, or
            // they oversubscribe them (measured: 2 replicas with 2 threads each on 2 cores sampled 6× slower than one).
            var generatorThreads = Math.Max(1, Environment.ProcessorCount / options.Generators);
            for (int i = 0; i < options.Generators; i++)
                Service(started, $"generator-{i + 1}", ReplicaPort(GeneratorPort, i), ["serve", "generator", .. busArgs], threads: generatorThreads);
            Service(started, "recontextualizer", RecontextualizerPort, ["serve", "recontextualizer", .. busArgs]);
            Service(started, "trainer", TrainerPort, ["serve", "trainer", .. busArgs, "--state", Path.Combine(directory, "trainer-state"),
                "--weights-url", $"http://127.0.0.1:{WeightsPort}"]);
            // The key travels in the gateway's environment, not on its command line (which every user of the machine can read).
            string[] gatewayArgs = [.. busArgs, "--store", store, "--remote", "generator,judge,recontextualizer,trainer",
                "--runs", Path.Combine(directory, "runs"), "--cache", Path.Combine(cacheRoot, "organism")];
            var secrets = new Dictionary<string, string> { [ApiKeysVariable] = apiKey };
            if (options.GatewayHost is { } host) Service(started, "gateway", GatewayPort, [.. gatewayArgs], program: host, environment: secrets);
            else Service(started, "gateway", GatewayPort, ["serve", "gateway", .. gatewayArgs], environment: secrets);
            StartPrometheus(started);
            foreach (var p in started.Where(p => p.Health is not null)) AwaitHealthy(p);
            var state = new ClusterState(bus, store, $"http://127.0.0.1:{GatewayPort}", apiKey, started);
            state.Save(directory);
            return state;
        }
        catch
        {
            foreach (var p in Enumerable.Reverse(started)) ProcessGroups.Stop(p.Pid, TimeSpan.FromSeconds(10));
            throw;
        }
    }

    /// <summary>Starts a process of the cluster again with its own command (after it crashed, or was killed by a
    /// fault test), waits until it is healthy and records its new process id.</summary>
    public ClusterState Restart(string name)
    {
        var state = ClusterState.Load(directory) ?? throw new ClusterException($"no cluster is recorded in {directory}");
        var old = state.Processes.SingleOrDefault(p => p.Name == name) ?? throw new ClusterException($"the cluster has no process '{name}'");
        ProcessGroups.Stop(old.Pid, TimeSpan.FromSeconds(10));
        var restarted = old with { Pid = ProcessGroups.Start(old.Command[0], old.Command.Skip(1), old.Log, new Dictionary<string, string> { [ApiKeysVariable] = state.ApiKey }) };
        if (restarted.Health is not null) AwaitHealthy(restarted);
        if (name == "rabbitmq" && Uri.TryCreate(restarted.Url, UriKind.Absolute, out var broker)) AwaitBroker(restarted, broker.Port);
        var updated = state with { Processes = state.Processes.Select(p => p.Name == name ? restarted : p).ToList() };
        updated.Save(directory);
        return updated;
    }

    /// <summary>Stops what <see cref="Up"/> recorded, services first, the broker last.</summary>
    /// <returns>the names of the processes that were still running</returns>
    public IReadOnlyList<string> Down()
    {
        var state = ClusterState.Load(directory) ?? throw new ClusterException($"no cluster is recorded in {directory} (was `recontext up` run here?)");
        var stopped = Enumerable.Reverse(state.Processes).Where(p => ProcessGroups.Stop(p.Pid, TimeSpan.FromSeconds(15))).Select(p => p.Name).ToList();
        File.Delete(Path.Combine(directory, ClusterState.FileName));
        return stopped;
    }

    string StartBroker(List<ClusterProcess> started)
    {
        const string url = "rabbitmq://127.0.0.1:5672/";
        if (Answers(5672))
        {
            say("rabbitmq: a broker already answers on 127.0.0.1:5672; using it (`down` leaves it running)");
            return url;
        }
        if (!File.Exists("/usr/sbin/rabbitmq-server")) throw new ClusterException("rabbitmq: no broker answers on 127.0.0.1:5672 and rabbitmq-server is not installed (apt-get install rabbitmq-server)");
        var log = LogOf("rabbitmq");
        string[] command = ["/usr/bin/env", .. LoopbackBroker, "/usr/sbin/rabbitmq-server"];
        int pid = ProcessGroups.Start(command[0], command.Skip(1), log);
        started.Add(new ClusterProcess("rabbitmq", pid, log, url, null, command));
        Await(() => Answers(5672), TimeSpan.FromSeconds(120), $"rabbitmq did not accept connections on 127.0.0.1:5672 within 120 s; see {log}");
        say($"rabbitmq: started (pid {pid}), {url}");
        return url;
    }

    /// <summary>A broker of `up` listens on loopback only: AMQP, the Erlang distribution port and epmd (which, started by
    /// this node, binds where ERL_EPMD_ADDRESS says) listen on every interface by default.</summary>
    static readonly string[] LoopbackBroker =
    [
        "RABBITMQ_NODE_IP_ADDRESS=127.0.0.1", "ERL_EPMD_ADDRESS=127.0.0.1",
        "RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS=-kernel inet_dist_use_interface {127,0,0,1}",
    ];

    /// <summary>A RabbitMQ node of this cluster's own: its own node name, port and data folder (queues and persistent
    /// messages survive its restart, like any broker's), run by Debian's rabbitmq-server scripts as the current user.</summary>
    string StartOwnBroker(List<ClusterProcess> started, int port)
    {
        const string server = "/usr/lib/rabbitmq/bin/rabbitmq-server";
        if (!File.Exists(server)) throw new ClusterException($"rabbitmq: {server} is not installed (apt-get install rabbitmq-server)");
        if (Answers(port)) throw new ClusterException($"rabbitmq: port {port} is in use; give another --broker-port");
        var data = Path.Combine(directory, "rabbitmq");
        Directory.CreateDirectory(data);
        // env(1) carries the node's settings in the recorded command, so a restart starts the very same node.
        string[] command =
        [
            "/usr/bin/env", .. LoopbackBroker, $"RABBITMQ_NODENAME=recontext-{port}@localhost", $"RABBITMQ_NODE_PORT={port}", $"RABBITMQ_DIST_PORT={port + 20000}",
            $"RABBITMQ_MNESIA_BASE={Path.Combine(data, "mnesia")}", $"RABBITMQ_LOG_BASE={Path.Combine(data, "log")}",
            $"RABBITMQ_ENABLED_PLUGINS_FILE={Path.Combine(data, "enabled_plugins")}", $"RABBITMQ_PID_FILE={Path.Combine(data, "pid")}", server,
        ];
        var url = $"rabbitmq://127.0.0.1:{port}/";
        var log = LogOf("rabbitmq");
        var broker = new ClusterProcess("rabbitmq", ProcessGroups.Start(command[0], command.Skip(1), log), log, url, null, command);
        started.Add(broker);
        AwaitBroker(broker, port);
        say($"rabbitmq: started a node of this cluster's own (pid {broker.Pid}), {url}");
        return url;
    }

    void AwaitBroker(ClusterProcess broker, int port) =>
        Await(() => Answers(port), TimeSpan.FromSeconds(120), $"rabbitmq did not accept connections on 127.0.0.1:{port} within 120 s; see {broker.Log}");

    string StartTestStore(List<ClusterProcess> started)
    {
        var binary = Path.Combine(cacheRoot, "test-assets", "jongodb", "jongodb");
        if (!File.Exists(binary)) throw new ClusterException($"store: give a MongoDB with --store mongodb://..., or run scripts/fetch-test-assets.sh for the test server ({binary})");
        var log = LogOf("mongodb");
        int port = FreePort();
        string[] command = [binary, "--host=127.0.0.1", $"--port={port}"];
        int pid = ProcessGroups.Start(command[0], command[1..], log);
        var url = $"mongodb://127.0.0.1:{port}/recontext";
        started.Add(new ClusterProcess("mongodb (test server)", pid, log, url, null, command));
        Await(() => Answers(port), TimeSpan.FromSeconds(30), $"the MongoDB test server did not answer on port {port} within 30 s; see {log}");
        say($"mongodb: WARNING: no --store given, so the MongoDB-wire test server keeps the traces in memory only (pid {pid}), {url}");
        return url;
    }

    void StartPrometheus(List<ClusterProcess> started)
    {
        if (!File.Exists("/usr/bin/prometheus"))
        {
            say("prometheus: not installed (apt-get install prometheus); the services' /metrics are there to scrape");
            return;
        }
        var config = Path.Combine(directory, "prometheus.yml");
        File.WriteAllText(config, PrometheusConfig.ForLocalCluster(started.Where(p => p.Health is not null).Select(p => (p.Name, new Uri(p.Url!).Port))));
        var log = LogOf("prometheus");
        string[] command = ["/usr/bin/prometheus", $"--config.file={config}", $"--storage.tsdb.path={Path.Combine(directory, "prometheus-data")}",
            $"--web.listen-address=127.0.0.1:{PrometheusPort}"];
        int pid = ProcessGroups.Start(command[0], command[1..], log);
        started.Add(new ClusterProcess("prometheus", pid, log, $"http://127.0.0.1:{PrometheusPort}", $"http://127.0.0.1:{PrometheusPort}/-/ready", command));
    }

    /// <param name="threads">libtorch's intra-op threads for the service (OMP_NUM_THREADS); null: all cores</param>
    /// <param name="program">how to start the process (default: the `recontext` command line)</param>
    /// <param name="environment">variables the process starts with beyond its command (secrets, which a command line would show)</param>
    void Service(List<ClusterProcess> started, string name, int port, string[] arguments, int? threads = null, IReadOnlyList<string>? program = null,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        if (Answers(port)) throw new ClusterException($"{name}: port {port} is in use (another cluster? `recontext down` stops the recorded one)");
        var log = LogOf(name);
        var url = $"http://127.0.0.1:{port}";
        // env(1) carries the setting in the recorded command, so a restart starts the service the same way.
        string[] command = [.. threads is int n ? new[] { "/usr/bin/env", $"OMP_NUM_THREADS={n}" } : [], .. program ?? recontext, .. arguments, "--urls", url];
        int pid = ProcessGroups.Start(command[0], command[1..], log, environment);
        started.Add(new ClusterProcess(name, pid, log, url, $"{url}/health", command));
    }

    static void AwaitHealthy(ClusterProcess p)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        Await(() =>
        {
            if (!ProcessGroups.Alive(p.Pid)) throw new ClusterException($"{p.Name} exited during start-up; see {p.Log}:\n{Tail(p.Log)}");
            try
            {
                return http.GetAsync(p.Health).GetAwaiter().GetResult().IsSuccessStatusCode;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(90), $"{p.Name} did not report healthy at {p.Health} within 90 s; see {p.Log}");
    }

    static string Tail(string log) => File.Exists(log) ? string.Join("\n", File.ReadLines(log).TakeLast(5)) : "";

    static void Await(Func<bool> ready, TimeSpan limit, string failure)
    {
        var deadline = DateTime.UtcNow + limit;
        while (!ready())
        {
            if (DateTime.UtcNow > deadline) throw new ClusterException(failure);
            Thread.Sleep(250);
        }
    }

    string LogOf(string name) => Path.Combine(directory, "logs", $"{name.Split(' ')[0]}.log");

    static bool Answers(int port)
    {
        using var client = new TcpClient();
        try
        {
            return client.ConnectAsync("127.0.0.1", port).Wait(TimeSpan.FromMilliseconds(500));
        }
        catch (AggregateException)
        {
            return false;
        }
    }

    static int FreePort()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        int port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}

/// <summary>Why the local cluster could not start or stop (one line for the user).</summary>
public sealed class ClusterException(string message) : Exception(message);
