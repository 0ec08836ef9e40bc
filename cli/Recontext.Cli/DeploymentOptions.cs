using System.CommandLine;
using Recontext.Runs;

namespace Recontext.Cli;

/// <summary>Where a run's traces and messages go (<see cref="RunDeployment"/>): --store, --bus, --remote,
/// --weights-url, --wait-limit, for the commands that run experiments.</summary>
public sealed class DeploymentOptions
{
    public Option<string?> Store { get; } = CliOptions.Text("--store",
        "where every rollout is kept: absent = each run's traces.db (embedded LiteDB), or MongoDB (mongodb://host:27017/recontext)");

    public Option<string?> Bus { get; } = CliOptions.Text("--bus", "the roles' message transport: absent = in memory, or a RabbitMQ broker (rabbitmq://host:5672/)");

    public Option<string?> Remote { get; } = CliOptions.Text("--remote",
        "roles served by their own services on that broker, comma-separated: generator, judge, recontextualizer, trainer");

    public Option<string?> WeightsUrl { get; } = CliOptions.Text("--weights-url",
        "where this run serves policy versions to a remote generator over gRPC (default http://127.0.0.1:0, a free port)");

    public Option<int?> WaitLimit { get; } = CliOptions.Int("--wait-limit", "seconds a step may wait for a role served elsewhere before the run fails naming it (default 300)");

    /// <param name="all">false: only --store and --bus (the demo's)</param>
    public void AddTo(Command command, bool all = true)
    {
        command.Options.Add(Store);
        command.Options.Add(Bus);
        if (!all) return;
        command.Options.Add(Remote);
        command.Options.Add(WeightsUrl);
        command.Options.Add(WaitLimit);
    }

    /// <summary>The deployment, checked by reaching the store and the broker once; an error names the option.</summary>
    public RunDeployment Read(ParseResult parsed)
    {
        var remote = parsed.GetValue(Remote)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet();
        var deployment = new RunDeployment(parsed.GetValue(Store), parsed.GetValue(Bus), remote, parsed.GetValue(WeightsUrl),
            parsed.GetValue(WaitLimit) is int seconds ? TimeSpan.FromSeconds(seconds) : null);
        try
        {
            deployment.Check();
            return deployment;
        }
        catch (ArgumentException e)
        {
            // The messages name "store", "bus" or "remote"; on the command line they are --store, --bus and --remote.
            throw new CliUsageException("--" + e.Message.Replace(" (Parameter 'url')", ""));
        }
    }
}
