using System.CommandLine;
using Recontext.Runs;
using Recontext.Runs.Config;
using Spectre.Console;

namespace Recontext.Cli.Commands;

/// <summary>`recontext run FILE.yaml [--out DIR]`: one experiment, every seed it lists.</summary>
public sealed class RunCommand : ICliCommand
{
    public Command Build()
    {
        var file = new Argument<string?>("FILE.yaml")
        {
            Description = "the experiment (examples in experiments/); unknown or invalid fields are named in the error", Arity = ArgumentArity.ZeroOrOne,
        };
        var output = CliOptions.Text("--out", "results folder (default: the file's 'output', else runs/<name>-<time>)");
        var resume = CliOptions.Text("--resume",
            "continue a stopped run (its results folder) from its last completed step; weights, optimizer and cursors are saved after every step");
        var deployment = new DeploymentOptions();
        var dashboard = new DashboardOption();
        var command = new Command("run", "run an experiment YAML file (see experiments/): train, evaluate, and write DIR/seed-<s>/: metrics.csv, " +
                                         "evaluations.csv, traces.db (every rollout), state/ (resume point), plots and summary.md") { file, output, resume };
        deployment.AddTo(command);
        dashboard.AddTo(command);
        command.Validators.Add(result =>
        {
            bool hasFile = result.GetValue(file) is not null, resuming = result.GetValue(resume) is not null;
            if (hasFile && resuming) result.AddError("give either an experiment file or --resume DIR, not both");
            if (!hasFile && !resuming) result.AddError("name one experiment file (or --resume DIR)");
        });
        command.SetAction(parsed => Run(parsed.GetValue(file), parsed.GetValue(output), parsed.GetValue(resume), deployment.Read(parsed),
            work => dashboard.Around(parsed, work.Folder, work.Run)));
        return command;
    }

    /// <param name="around">runs the work on a results folder (with the dashboard up when asked for)</param>
    static int Run(string? experimentFile, string? outputOption, string? resume, RunDeployment deployment, Func<(string Folder, Func<int> Run), int> around)
    {
        var file = experimentFile ?? Path.Combine(resume!, "experiment.yaml");
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
            return CliApp.UsageError;
        }
        var output = resume ?? outputOption ?? experiment.Output ?? Path.Combine("runs", $"{experiment.Config.Name}-{DateTime.Now:yyyyMMdd-HHmmss}");
        bool created = !Directory.Exists(output);
        try
        {
            return around((output, () => RunSeeds(experiment, file, output, resume, deployment)));
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException or InvalidOperationException or ArgumentException
                                       or Model.Checkpoints.CheckpointMismatchException or TimeoutException)
        {
            // A failed start leaves no half-made results folder behind; a run that completed steps keeps them to resume.
            if (created && Directory.Exists(output) && !Directory.EnumerateDirectories(output).Any(d => RunState.CompletedStep(d) is not null))
                Directory.Delete(output, recursive: true);
            var log = Path.Combine(RepositoryPaths.Cache("logs"), "last-error.log");
            Directory.CreateDirectory(Path.GetDirectoryName(log)!);
            File.WriteAllText(log, e.ToString());
            Console.Error.WriteLine($"recontext run: {e.Message} (details: {log})");
            return CliApp.UsageError;
        }
    }

    static int RunSeeds(ExperimentFile experiment, string file, string output, string? resume, RunDeployment deployment)
    {
        var console = AnsiConsole.Console;
        Directory.CreateDirectory(output);
        // The results folder is this experiment's before anything is written or trained: a second run refused here leaves
        // the first's experiment.yaml (what --resume continues with) untouched. Each seed's folder has its own lock too.
        using var experimentLock = RunFolderLock.Take(output);
        var baseDirectory = experiment.Config.Checkpoint ?? PretrainToyCommand.Train(experiment.Config.OrganismBase, RepositoryPaths.Cache("organism"), console);
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
                                      (p.Last is { } last ? $" (reward {last.TrainReward:F2}, hack {last.MisbehaviourRate:F2})" : "");
                }), resume: completed is not null).GetAwaiter().GetResult();
                bar.Value = bar.MaxValue;
            });
            RunReport.Write(result);
            var table = new Table().Title($"{config.Name} seed {seed}: final evaluation").AddColumns("eval context", "misbehaviour", "correct", "well-formed", "train reward");
            foreach (var e in result.Final) table.AddRow(e.Rates.Context, $"{e.Rates.MisbehaviourRate:F2}", $"{e.Rates.CorrectRate:F2}", $"{e.Rates.WellFormedRate:F2}", $"{e.Rates.MeanTrainReward:F2}");
            console.Write(table);
            if (StepTiming.Describe(result.Steps) is string timing) console.WriteLine(timing);
            console.WriteLine($"results: {Path.GetFullPath(directory)}");
        }
        return 0;
    }
}
