using System.CommandLine;
using Recontext.Cli.Cluster;

namespace Recontext.Cli.Commands;

/// <summary>`recontext restart NAME`: starts one process of the cluster `up` started again (a service that crashed, or
/// one to reload), with the very command `up` recorded, and records its new process id so that `down` stops it.</summary>
public sealed class RestartCommand : ICliCommand
{
    public Command Build()
    {
        var name = new Argument<string>("NAME") { Description = "the process as `up` named it: judge-1, generator-2, recontextualizer, trainer, gateway, rabbitmq, ..." };
        var directory = CliOptions.Text("--dir", "the folder `up` used (default .cache/cluster)");
        var command = new Command("restart", "start one process of the cluster `up` started again (stopping it first if it runs), and wait until it is healthy")
        {
            name, directory,
        };
        command.SetAction(parsed =>
        {
            var folder = Path.GetFullPath(parsed.GetValue(directory) ?? RepositoryPaths.Cache("cluster"));
            var which = parsed.GetValue(name)!;
            try
            {
                if (ClusterState.Load(folder) is { } state && state.Processes.All(p => p.Name != which))
                    throw new ClusterException($"the cluster has no process '{which}'; it has: {string.Join(", ", state.Processes.Select(p => p.Name))}");
                var updated = new LocalCluster(folder, Path.GetDirectoryName(RepositoryPaths.Cache("cluster"))!, [Environment.ProcessPath!], Console.WriteLine).Restart(which);
                Console.WriteLine($"{which}: restarted (pid {updated.Processes.Single(p => p.Name == which).Pid})");
                return 0;
            }
            catch (ClusterException e)
            {
                Console.Error.WriteLine($"recontext restart: {e.Message}");
                return CliApp.UsageError;
            }
        });
        return command;
    }
}
