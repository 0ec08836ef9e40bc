using System.Net.Sockets;

namespace Recontext.TestSupport;

/// <summary>
/// The RabbitMQ broker for the bus tests: the one <see cref="UrlVariable"/> names, else a local broker on the default
/// port, which scripts/start-rabbitmq.sh starts (.ci/run does). Never skips: without a broker the tests fail and say
/// how to get one.
/// </summary>
public sealed class RabbitMqTestBroker
{
    public const string UrlVariable = "RECONTEXT_RABBITMQ_URL";

    public string Url { get; }

    public RabbitMqTestBroker()
    {
        Url = Environment.GetEnvironmentVariable(UrlVariable) is { Length: > 0 } external ? external : "rabbitmq://localhost:5672/";
        var uri = new Uri(Url);
        using var client = new TcpClient();
        bool reached;
        try
        {
            reached = client.ConnectAsync(uri.Host, uri.IsDefaultPort || uri.Port <= 0 ? 5672 : uri.Port).Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            reached = false;
        }
        if (!reached)
            throw new InvalidOperationException($"no RabbitMQ at {Url} for the bus tests: run scripts/start-rabbitmq.sh (needs Debian's rabbitmq-server; " +
                                                $".ci/run installs and starts it) or set {UrlVariable}");
    }

    /// <summary>Messages waiting in a queue of the local broker's default virtual host (0 when the queue does not
    /// exist), read with rabbitmqctl.</summary>
    public static int QueueDepth(string queue)
    {
        var start = new System.Diagnostics.ProcessStartInfo("rabbitmqctl", ["-q", "list_queues", "name", "messages"]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = System.Diagnostics.Process.Start(start) ?? throw new InvalidOperationException("rabbitmqctl did not start (install rabbitmq-server)");
        var output = process.StandardOutput.ReadToEnd();
        process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"rabbitmqctl list_queues failed with exit code {process.ExitCode}");
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('\t')).Where(f => f.Length == 2 && f[0] == queue)
            .Select(f => int.Parse(f[1], System.Globalization.CultureInfo.InvariantCulture)).SingleOrDefault();
    }
}
