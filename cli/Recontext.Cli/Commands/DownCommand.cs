using System.CommandLine;
using Recontext.Cli.Cluster;

namespace Recontext.Cli.Commands;

/// <summary>`recontext down`: stops exactly what `recontext up` started (by the process ids it recorded).</summary>
public sealed class DownCommand : ICliCommand
{
    public Command Build()
    {
        var directory = CliOptions.Text("--dir", "the folder `up` used (default .cache/cluster)");
        var command = new Command("down", "stop what `recontext up` started (by the process ids it recorded)") { directory };
        command.SetAction(parsed =>
        {
            var folder = Path.GetFullPath(parsed.GetValue(directory) ?? RepositoryPaths.Cache("cluster"));
            try
            {
                var stopped = new LocalCluster(folder, Path.GetDirectoryName(RepositoryPaths.Cache("cluster"))!, [Environment.ProcessPath!], Console.WriteLine).Down();
                Console.WriteLine(stopped.Count == 0 ? "nothing was running" : $"stopped: {string.Join(", ", stopped)}");
                return 0;
            }
            catch (ClusterException e)
            {
                Console.Error.WriteLine($"recontext down: {e.Message}");
                return CliApp.UsageError;
            }
        });
        return command;
    }
}
