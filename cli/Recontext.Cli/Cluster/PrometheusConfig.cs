namespace Recontext.Cli.Cluster;

/// <summary>Prometheus's scrape configuration for the local cluster: one job per service on its loopback port, every
/// 5 s (deploy/prometheus/prometheus.yml is the same for docker-compose, by service name).</summary>
public static class PrometheusConfig
{
    public static string ForLocalCluster(IEnumerable<(string Name, int Port)> services)
    {
        var jobs = string.Concat(services.Select(s => $"""
              - job_name: "{s.Name}"
                static_configs:
                  - targets: ["127.0.0.1:{s.Port}"]

            """));
        return $"""
            # Written by `recontext up`: scrapes every service of the local cluster.
            global:
              scrape_interval: 5s
            scrape_configs:
            {jobs}
            """;
    }
}
