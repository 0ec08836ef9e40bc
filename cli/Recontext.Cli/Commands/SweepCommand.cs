using System.CommandLine;
using System.Diagnostics;
using Recontext.Runs.Config;
using Recontext.Runs.Demo;
using Recontext.Runs.Sweeps;
using Spectre.Console;

namespace Recontext.Cli.Commands;

/// <summary>`recontext sweep FILE.yaml`: an experiment over a grid or list of settings × seeds, like the demo.</summary>
public sealed class SweepCommand : ICliCommand
{
    public Command Build()
    {
        var file = new Argument<string?>("FILE.yaml")
        {
            Description = "an experiment file with a sweep section: grid (field path → values) and/or points (see experiments/README.md); " +
                          "absent with --out: continue the sweep in that folder",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var output = CliOptions.Text("--out", "the sweep's folder (default: the file's 'output', else runs/sweep-<name>-<time>); rerun with the same " +
                                              "--out to continue a stopped sweep (finished runs are read back, a stopped run resumes)");
        var workers = CliOptions.Int("--workers", "runs side by side in worker processes (default: one per core, at most 8); 1 runs them in this process");
        var bases = CliOptions.Int("--bases", "run the whole sweep on K organism bases pre-trained from seeds --base-seed .. --base-seed + K - 1 (each in " +
                                              "DIR/base-<seed>/), every comparison paired within base and seed and summarised with the base as the unit (DIR/bases.csv); default 1");
        var baseSeed = new Option<long?>("--base-seed") { Description = "pre-training seed of the (first) organism base (default: the experiment's, 1)" };
        var deployment = new DeploymentOptions();
        var dashboard = new DashboardOption();
        var worker = DemoWorker.Options();
        var command = new Command("sweep", "run an experiment over a grid or list of settings × seeds (worker processes, resumable): sweep.csv (mean ± SE " +
                                           "per point and eval context), paired.csv (each point minus each reference point — sweep.references, by default the first — seed by seed, with a 95 % interval), " +
                                           "paired-steps.csv (the same at every evaluation step), plots")
        {
            file, output, workers, bases, baseSeed,
        };
        command.Subcommands.Add(SweepCompareCommand.Build());
        deployment.AddTo(command, all: false);
        worker.AddTo(command);
        command.Validators.Add(result =>
        {
            if (result.GetValue(file) is null && result.GetValue(output) is null) result.AddError("name a sweep file (or --out DIR of a sweep to continue)");
        });
        command.SetAction(parsed =>
        {
            var folder = parsed.GetValue(output);
            var path = parsed.GetValue(file) ?? Path.Combine(folder!, SweepRuns.FileName);
            SweepFile sweep;
            try
            {
                sweep = SweepFile.Load(path);
            }
            catch (ExperimentException e)
            {
                throw new CliUsageException($"{path}: {e.Message}");
            }
            var directory = Path.GetFullPath(folder ?? sweep.Output ?? Path.Combine("runs", $"sweep-{DemoRunner.Sanitize(sweep.Name)}-{DateTime.Now:yyyyMMdd-HHmmss}"));
            if (worker.Requested(parsed))
            {
                var arm = worker.Read(parsed);
                var store = new Runs.RunDeployment(parsed.GetValue(deployment.Store), parsed.GetValue(deployment.Bus));
                var onBase = parsed.GetValue(baseSeed) is long s ? sweep.OnBase(s) : sweep;
                return DemoWorker.Run(SweepRuns.Runner(onBase, directory, arm.BaseDirectory, store), arm);
            }
            var read = deployment.Read(parsed);
            int count = parsed.GetValue(bases) ?? 1;
            if ((count > 1 || parsed.GetValue(baseSeed) is not null) && sweep.Points[0].Config.Checkpoint is not null)
                throw new CliUsageException("--bases and --base-seed pre-train organism bases; this sweep starts from model.checkpoint");
            int runners = parsed.GetValue(workers) ?? Math.Clamp(Environment.ProcessorCount, 1, 8);
            return dashboard.Around(parsed, directory, () =>
            {
                if (count > 1 || parsed.GetValue(baseSeed) is not null)
                    return OnSeveralBases.Run("sweep", directory, parsed.GetValue(baseSeed) ?? sweep.Points[0].Config.Base.Seed, count, sweep.Seeds.Count,
                        sweep.References.Select(r => (r, r)).ToList(), (seed, folder) => Run(sweep, path, folder, read, runners, seed, keptIn: directory), AnsiConsole.Console);
                Run(sweep, path, directory, read, runners);
                return 0;
            });
        });
        return command;
    }

    /// <summary>The sweep on one base (the experiment's, or the one pre-trained from <paramref name="baseSeed"/>, in
    /// <paramref name="directory"/>); its tables printed.</summary>
    /// <param name="keptIn">the folder keeping the sweep file its workers read (the sweep's own, above the bases' folders)</param>
    static (DemoRunner Runner, IReadOnlyList<Runs.RunResult> Results) Run(SweepFile sweep, string path, string directory, Runs.RunDeployment deployment, int workers,
        long? baseSeed = null, string? keptIn = null)
    {
        var console = AnsiConsole.Console;
        var watch = Stopwatch.StartNew();
        Directory.CreateDirectory(directory);
        // The folder keeps the sweep as it runs: the workers read this copy, and a rerun with --out alone continues it.
        var kept = Path.Combine(keptIn ?? directory, SweepRuns.FileName);
        if (Path.GetFullPath(path) != kept) File.Copy(path, kept, overwrite: true);
        var onBase = baseSeed is long seed ? sweep.OnBase(seed) : sweep;
        var first = onBase.Points[0].Config;
        var baseDirectory = first.Checkpoint ?? PretrainToyCommand.Train(first.OrganismBase, RepositoryPaths.Cache("organism"), console);
        var runner = SweepRuns.Runner(onBase, directory, baseDirectory, deployment);
        console.MarkupLine($"sweep [bold]{Markup.Escape(sweep.Name)}[/]: {sweep.Points.Count} point(s) × {sweep.Seeds.Count} seed(s), {workers} at a time, into {Markup.Escape(directory)}");
        string[] baseArgs = baseSeed is long b ? ["--base-seed", b.ToString(System.Globalization.CultureInfo.InvariantCulture)] : [];
        var executor = workers == 1 ? (IDemoArmExecutor)new InProcessArmExecutor(runner)
            : DemoWorker.Executor(baseDirectory, workers, _ => ["sweep", kept, "--out", directory, .. baseArgs, .. DemoWorker.DeploymentArgs(deployment)]);
        var (rows, results) = DemoProgressView.Run(runner, executor, workers, console, "sweep");
        Print(rows, PairedRow.Of(results.Select(r => (r.Config.Name, r.Config.Seed, r.Final)).ToList(), runner.References), sweep, console);
        console.WriteLine($"sweep finished in {watch.Elapsed.TotalMinutes:F1} min; results in {directory} ({SweepRuns.Table}, {DemoRunner.PairedFile}, {DemoRunner.PairedStepsFile}, plots)");
        return (runner, results);
    }

    static void Print(IReadOnlyList<DemoRow> rows, IReadOnlyList<PairedRow> paired, SweepFile sweep, IAnsiConsole console)
    {
        var contexts = rows.Select(r => r.EvalContext).Distinct().ToList();
        var table = new Table().Title($"final evaluation, mean ± standard error over {sweep.Seeds.Count} seed(s); Δ: paired difference of the misbehaviour rate from a reference point, 95 % interval")
            .AddColumn("point");
        foreach (var c in contexts)
        {
            table.AddColumn($"misbehaviour ({c})");
            foreach (var reference in sweep.References) table.AddColumn($"Δ vs {Markup.Escape(reference)} ({c})");
            table.AddColumn($"correct ({c})");
        }
        foreach (var point in sweep.Points)
        {
            var cells = new List<string> { Markup.Escape(point.Name) };
            foreach (var c in contexts)
            {
                var row = rows.Single(r => r.Variant == point.Name && r.EvalContext == c);
                cells.Add($"{row.MisbehaviourMean:F2} ± {row.MisbehaviourSe:F2}");
                foreach (var reference in sweep.References)
                {
                    var diff = paired.SingleOrDefault(p => p.Variant == point.Name && p.Reference == reference && p.EvalContext == c && p.Metric == "misbehaviour_rate")?.Difference;
                    cells.Add(diff is null ? "(reference)" : Markup.Escape(diff.Describe()));
                }
                cells.Add($"{row.CorrectMean:F2} ± {row.CorrectSe:F2}");
            }
            table.AddRow(cells.ToArray());
        }
        console.Write(table);
    }
}
