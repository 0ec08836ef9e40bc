using Recontext.Runs;
using Recontext.Runs.Config;
using Spectre.Console;

namespace Recontext.Cli.Commands;

/// <summary>`recontext run FILE.yaml [--out DIR]`: one experiment, every seed it lists.</summary>
public sealed class RunCommand : ICliCommand
{
    public string Name => "run";

    public string Summary => "run an experiment YAML file (see experiments/): train, evaluate, write metrics, plots, summary";

    public string Usage => """
        recontext run FILE.yaml [--out DIR] [--store URL] [--bus URL [--remote ROLES] [--weights-url URL]]
        recontext run --resume DIR [--store URL] [--bus URL [--remote ROLES] [--weights-url URL]]
          FILE.yaml  experiment (examples in experiments/); unknown or invalid fields are named in the error
          --out      results folder (default: the file's 'output', else runs/<name>-<time>)
          --resume   continue a stopped run from its last completed step (weights, optimizer, cursors are saved
                     after every step; on CPU the result equals an uninterrupted run's)
          --store    where every rollout is kept: absent = DIR/seed-<s>/traces.db (embedded LiteDB), or a MongoDB
                     connection string (mongodb://host:27017/recontext); the run id is kept in DIR/seed-<s>/run-id
          --bus      the roles' message transport: absent = in memory, or a RabbitMQ broker (rabbitmq://host:5672/)
          --remote   roles served by their own services on that broker instead of this process, comma-separated:
                     judge (recontext-judge --bus URL), generator (recontext-generator --bus URL),
                     recontextualizer (recontext-recontextualizer --bus URL)
          --wait-limit   seconds a step may wait for a role served elsewhere before the run fails naming it (default 300)
          --weights-url  where this run serves policy versions to a remote generator over gRPC (default
                     http://127.0.0.1:0, a free port on this machine; http://0.0.0.0:7070 for other machines)
        writes DIR/experiment.yaml and DIR/seed-<s>/: run-config.json, metrics.csv, evaluations.csv, traces.db (every
        rollout), state/ (resume point), hack-rate.png, correct-rate.png, train-reward.png, summary.md
        """;

    public int Run(IReadOnlyList<string> args)
    {
        var parsed = CliArguments.Parse(args, [], ["--out", "--resume", "--store", "--bus", "--remote", "--weights-url", "--wait-limit"]);
        var deployment = parsed.Deployment();
        var resume = parsed.Get("--resume");
        if (resume is not null && parsed.Positionals.Count > 0) throw new CliUsageException("give either an experiment file or --resume DIR, not both");
        if (resume is null && parsed.Positionals.Count != 1) throw new CliUsageException("name one experiment file (or --resume DIR)");
        var file = resume is null ? parsed.Positionals[0] : Path.Combine(resume, "experiment.yaml");
        if (resume is not null && !File.Exists(file)) throw new CliUsageException($"--resume: {resume} has no experiment.yaml (is it a `recontext run` results folder?)");
        ExperimentFile experiment;
        try
        {
            experiment = ExperimentFile.Load(file);
            // Every bound is checked before any work: nothing is trained, written or allocated for a run that breaks one.
            foreach (var seed in experiment.Seeds) RunLimits.Check((experiment.Config with { Seed = seed }).Validate());
        }
        catch (Exception e) when (e is ExperimentException or ArgumentException)
        {
            Console.Error.WriteLine($"recontext run: {file}: {e.Message}");
            return 2;
        }
        var output = resume ?? parsed.Get("--out") ?? experiment.Output ?? Path.Combine("runs", $"{experiment.Config.Name}-{DateTime.Now:yyyyMMdd-HHmmss}");
        bool created = !Directory.Exists(output);
        try
        {
            return RunSeeds(experiment, file, output, resume, deployment);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException or InvalidOperationException or ArgumentException
                                       or Model.Checkpoints.CheckpointMismatchException)
        {
            // A failed start leaves no half-made results folder behind; a run that completed steps keeps them to resume.
            if (created && Directory.Exists(output) && !Directory.EnumerateDirectories(output).Any(d => RunState.CompletedStep(d) is not null))
                Directory.Delete(output, recursive: true);
            var log = Path.Combine(RepositoryPaths.Cache("logs"), "last-error.log");
            Directory.CreateDirectory(Path.GetDirectoryName(log)!);
            File.WriteAllText(log, e.ToString());
            Console.Error.WriteLine($"recontext run: {e.Message} (details: {log})");
            return 2;
        }
    }

    static int RunSeeds(ExperimentFile experiment, string file, string output, string? resume, RunDeployment deployment)
    {
        var console = AnsiConsole.Console;
        var baseDirectory = experiment.Config.Checkpoint ?? PretrainToyCommand.Train(experiment.Config.Base, RepositoryPaths.Cache("organism"), console);
        Directory.CreateDirectory(output);
        if (resume is null) File.Copy(file, Path.Combine(output, "experiment.yaml"), overwrite: true);

        foreach (var seed in experiment.Seeds)
        {
            var config = experiment.Config with { Seed = seed };
            var directory = Path.Combine(output, $"seed-{seed}");
            int? completed = resume is null ? null : RunState.CompletedStep(directory);
            if (completed is int c && c >= config.Steps && File.Exists(Path.Combine(directory, "summary.md")))
            {
                console.WriteLine($"seed {seed}: already complete ({c} steps)");
                continue;
            }
            if (completed is int from) console.WriteLine($"seed {seed}: resuming after step {from}");
            RunResult result = null!;
            console.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn()).Start(ctx =>
            {
                var bar = ctx.AddTask($"{config.Name} seed {seed}", maxValue: Math.Max(1, config.Steps));
                result = new RunLoop(config, baseDirectory, directory, deployment: deployment).RunAsync(new Progress<RunLoop.Progress>(p =>
                {
                    bar.Value = Math.Max(0, p.Step - 1);
                    bar.Description = $"{config.Name} seed {seed} step {p.Step}/{p.Steps} {p.Phase}" +
                                      (p.Last is { } last ? $" (reward {last.TrainReward:F2}, hack {last.HackRate:F2})" : "");
                }), resume: completed is not null).GetAwaiter().GetResult();
                bar.Value = bar.MaxValue;
            });
            RunReport.Write(result);
            var table = new Table().Title($"{config.Name} seed {seed}: final evaluation").AddColumns("eval context", "hack", "correct", "well-formed", "train reward");
            foreach (var e in result.Final) table.AddRow(e.Rates.Context, $"{e.Rates.HackRate:F2}", $"{e.Rates.CorrectRate:F2}", $"{e.Rates.WellFormedRate:F2}", $"{e.Rates.MeanTrainReward:F2}");
            console.Write(table);
            if (StepTiming.Describe(result.Steps) is string timing) console.WriteLine(timing);
            console.WriteLine($"results: {Path.GetFullPath(directory)}");
        }
        return 0;
    }
}
