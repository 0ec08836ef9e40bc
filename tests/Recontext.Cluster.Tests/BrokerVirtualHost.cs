using System.Diagnostics;

namespace Recontext.Cluster.Tests;

/// <summary>A RabbitMQ virtual host of the local broker made for one test (rabbitmqctl), deleted afterwards.</summary>
sealed class BrokerVirtualHost : IDisposable
{
    readonly string name;

    public string Url => $"rabbitmq://127.0.0.1:5672/{name}";

    BrokerVirtualHost(string name) => this.name = name;

    public static BrokerVirtualHost Create()
    {
        var name = $"recontext-test-{Guid.NewGuid():N}"[..28];
        Ctl("add_vhost", name);
        Ctl("set_permissions", "-p", name, "guest", ".*", ".*", ".*");
        return new BrokerVirtualHost(name);
    }

    static void Ctl(params string[] args)
    {
        var start = new ProcessStartInfo("rabbitmqctl") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("rabbitmqctl did not start (install rabbitmq-server)");
        var error = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"rabbitmqctl {string.Join(' ', args)} failed: {error.Result}");
    }

    public void Dispose() => Ctl("delete_vhost", name);
}
