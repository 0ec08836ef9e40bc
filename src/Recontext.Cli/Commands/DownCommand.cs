using Recontext.Cli.Cluster;

namespace Recontext.Cli.Commands;

/// <summary>`recontext down`: stops exactly what `recontext up` started (by the process ids it recorded).</summary>
public sealed class DownCommand : ICliCommand
{
    public string Name => "down";

    public string Summary => "stop what `recontext up` started";

    public string Usage => "recontext down [--dir DIR]   (the folder `up` used; default .cache/cluster)";

    public int Run(IReadOnlyList<string> args)
    {
        var parsed = CliArguments.Parse(args, [], ["--dir"]);
        var directory = Path.GetFullPath(parsed.Get("--dir") ?? RepositoryPaths.Cache("cluster"));
        try
        {
            var stopped = new LocalCluster(directory, Path.GetDirectoryName(RepositoryPaths.Cache("cluster"))!, [Environment.ProcessPath!], Console.WriteLine).Down();
            Console.WriteLine(stopped.Count == 0 ? "nothing was running" : $"stopped: {string.Join(", ", stopped)}");
            return 0;
        }
        catch (ClusterException e)
        {
            Console.Error.WriteLine($"recontext down: {e.Message}");
            return 2;
        }
    }
}
