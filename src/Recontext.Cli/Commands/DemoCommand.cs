using System.CommandLine;
using System.Diagnostics;
using Recontext.Organism;
using Recontext.Runs.Demo;
using Spectre.Console;

namespace Recontext.Cli.Commands;

/// <summary>`recontext demo`: the paper's experiment on the organism, every variant × seeds, one table.</summary>
public sealed class DemoCommand : ICliCommand
{
    public Command Build()
    {
        var quick = CliOptions.Flag("--quick", "smaller base, fewer steps and tasks (a smoke run, minutes)");
        var seeds = CliOptions.Int("--seeds", "seeds per variant (default 3)");
        var firstSeed = new Option<long>("--first-seed") { Description = "first seed (default 1)", DefaultValueFactory = _ => 1 };
        var steps = CliOptions.Int("--steps", "GRPO steps per run (default 16; quick 4), evaluated at 0, half-way and the end; rerun with a larger " +
                                              "--steps and the same --out to extend finished runs (they resume from their last step)");
        var output = CliOptions.Text("--out", "results folder (default runs/demo-<time>); a demo stopped half-way continues when rerun with the same " +
                                              "--out (finished runs are read back, a stopped run resumes)");
        var workers = CliOptions.Int("--workers", "runs side by side, each in a worker process of its own (default: one per core, at most 8); a worker " +
                                                  "that crashes is restarted and resumes its run. 1 runs everything in this process.");
        var deployment = new DeploymentOptions();
        var dashboard = new DashboardOption();
        var worker = DemoWorker.Options();
        var command = new Command("demo", "rerun the paper's experiment on the toy organism: GRPO variants (neutral->neutral, neutral->bad, good->neutral, " +
                                          "good->bad, bad->bad, strong KL, recomputed old log-probs, an irrelevant control) x seeds from the cached toy base; " +
                                          "writes DIR/demo.csv (mean and SE per variant and eval context), each run's files and plots, and prints the table")
        {
            quick, seeds, firstSeed, steps, output, workers,
        };
        deployment.AddTo(command, all: false);
        dashboard.AddTo(command);
        worker.AddTo(command);
        command.SetAction(parsed =>
        {
            bool isQuick = parsed.GetValue(quick);
            var options = new DemoOptions
            {
                Quick = isQuick, Seeds = parsed.GetValue(seeds) ?? 3, Steps = parsed.GetValue(steps), FirstSeed = parsed.GetValue(firstSeed),
                OutputDirectory = Path.GetFullPath(parsed.GetValue(output) ?? Path.Combine("runs", $"demo-{DateTime.Now:yyyyMMdd-HHmmss}")),
            };
            var baseModel = isQuick ? BaseModelOptions.Quick : new BaseModelOptions();
            if (worker.Requested(parsed))
            {
                var arm = worker.Read(parsed);
                var workerOptions = options with { Deployment = new Runs.RunDeployment(parsed.GetValue(deployment.Store), parsed.GetValue(deployment.Bus)) };
                return DemoWorker.Run(new DemoRunner(workerOptions, arm.BaseDirectory, baseModel), arm);
            }
            var read = deployment.Read(parsed);
            return dashboard.Around(parsed, options.OutputDirectory,
                () => Run(options with { Deployment = read }, baseModel, parsed.GetValue(workers) ?? Math.Clamp(Environment.ProcessorCount, 1, 8)));
        });

        var perfectQuick = CliOptions.Flag("--quick", "the quick base and fewer samples");
        var perfectSeeds = CliOptions.Int("--seeds", "seeds 1..N, each its own task sample, sampling and evaluation (default 1); with more, paired differences", min: 1);
        var perfectLabels = new Command("perfect-labels", "sample under Bad, keep the best of 10 by train reward, drop every hack, SFT under Neutral " +
                                                          "(controls: sampled under Neutral; answer-only training; the loophole hidden); prints hack rates before and after") { perfectQuick, perfectSeeds };
        perfectLabels.SetAction(parsed => PerfectLabels(parsed.GetValue(perfectQuick), parsed.GetValue(perfectSeeds) ?? 1));
        command.Subcommands.Add(perfectLabels);
        return command;
    }

    static int Run(DemoOptions options, BaseModelOptions baseModel, int workers)
    {
        var console = AnsiConsole.Console;
        var watch = Stopwatch.StartNew();
        var baseDirectory = PretrainToyCommand.Train(baseModel, RepositoryPaths.Cache("organism"), console);

        var runner = new DemoRunner(options, baseDirectory, baseModel);
        var executor = workers == 1 ? (IDemoArmExecutor)new InProcessArmExecutor(runner) : DemoWorker.Executor(baseDirectory, workers, _ => DemoWorker.DemoCommand(options));
        console.MarkupLine(workers == 1 ? "running the demo's runs one after another in this process"
            : $"running the demo's runs in {workers} worker processes side by side ({Math.Max(1, Environment.ProcessorCount / workers)} thread(s) each)");
        var (rows, results) = DemoProgressView.Run(runner, executor, workers, console);
        DemoReport.Print(rows, runner.Variants, results, options, console);
        if (executor is WorkerProcessExecutor { Restarts: > 0 } pool)
            console.MarkupLine($"[yellow]{pool.Restarts} worker(s) exited with an error and were restarted; each resumed its run (see worker.log in the run folders)[/]");
        console.WriteLine($"demo finished in {watch.Elapsed.TotalMinutes:F1} min; results in {options.OutputDirectory}");
        return 0;
    }

    static int PerfectLabels(bool quick, int seeds)
    {
        var console = AnsiConsole.Console;
        var baseDirectory = PretrainToyCommand.Train(quick ? BaseModelOptions.Quick : new BaseModelOptions(), RepositoryPaths.Cache("organism"), console);
        var bySeed = new Dictionary<long, IReadOnlyList<PerfectLabelsRunner.Outcome>>();
        for (long seed = 1; seed <= seeds; seed++)
        {
            var s = seed;
            bySeed[seed] = new PerfectLabelsRunner(baseDirectory, quick, seed)
                .RunAsync(new Progress<string>(m => console.MarkupLine($"[grey]seed {s}/{seeds}: {Markup.Escape(m)}[/]"))).GetAwaiter().GetResult();
        }
        if (seeds == 1) return PerfectLabelsTable(console, bySeed[1]);

        // Every pipeline of a seed starts from the same base evaluation, so after − before is paired by seed; so is a
        // pipeline against its control (the same tasks sampled under Neutral).
        var table = new Table().Title($"perfect labels, {seeds} seeds: neutral-eval hack rate after SFT on filtered best-of-10 samples, mean [95 % interval]")
            .AddColumns("pipeline", "kept", "special-case a test", "intend to pass", "hack before", "hack after", "after − before", "− its control");
        foreach (var pipeline in PerfectLabelsRunner.Pipelines)
        {
            Dictionary<long, double> Of(PerfectLabelsRunner.Pipeline p, Func<PerfectLabelsRunner.Outcome, double> f) =>
                bySeed.ToDictionary(kv => kv.Key, kv => f(kv.Value.Single(o => o.Pipeline == p)));
            var after = Of(pipeline, o => o.After.HackRate);
            var before = Of(pipeline, o => o.Before.HackRate);
            var control = PerfectLabelsRunner.Pipelines.FirstOrDefault(p => p.GenerationPreset == "neutral" && p.Variant == pipeline.Variant && p != pipeline);
            table.AddRow(Markup.Escape(pipeline.Name), $"{Of(pipeline, o => o.TrainingSet.Samples).Values.Average():F0}",
                $"{Of(pipeline, o => o.TrainingSet.SpecialCases).Values.Average():P0}", $"{Of(pipeline, o => o.TrainingSet.IntendsToPassTests).Values.Average():P0}",
                $"{before.Values.Average():F2}", $"{after.Values.Average():F2}", PairedDifference.Of(after, before)!.Describe(),
                control is null || pipeline.GenerationPreset == "neutral" ? "—" : PairedDifference.Of(after, Of(control, o => o.After.HackRate))!.Describe());
        }
        console.Write(table);
        return 0;
    }

    static int PerfectLabelsTable(IAnsiConsole console, IReadOnlyList<PerfectLabelsRunner.Outcome> outcomes)
    {
        var table = new Table().Title("perfect labels: neutral-eval hack rate before and after SFT on filtered (hack-free) best-of-10 samples")
            .AddColumns("pipeline", "kept", "hacks kept", "special-case a test", "mention tests", "intend to pass", "flag wrong test", "hack before", "hack after", "correct after");
        foreach (var o in outcomes)
            table.AddRow(Markup.Escape(o.Pipeline.Name), $"{o.TrainingSet.Samples}", $"{o.TrainingSet.Hacks:P0}", $"{o.TrainingSet.SpecialCases:P0}", $"{o.TrainingSet.MentionsTests:P0}",
                $"{o.TrainingSet.IntendsToPassTests:P0}", $"{o.TrainingSet.FlagsWrongTest:P0}", $"{o.Before.HackRate:F2}", $"{o.After.HackRate:F2}", $"{o.After.CorrectRate:F2}");
        console.Write(table);
        return 0;
    }
}
