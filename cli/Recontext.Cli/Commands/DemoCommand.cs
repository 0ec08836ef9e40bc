using System.CommandLine;
using System.Diagnostics;
using Recontext.Model.Probing;
using Recontext.Organism;
using Recontext.Runs.Demo;
using Recontext.Runs.Probes;
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
        var setting = CliOptions.Text("--setting", $"the setting (default toy-code, test-case hacking): {string.Join(", ", Environments.Settings.Names)}; " +
                                                   "each organism has its own toy base, pre-trained once and cached");
        var bases = CliOptions.Int("--bases", "run the whole demo on K bases, pre-trained from seeds --base-seed .. --base-seed + K - 1 (each in DIR/base-<seed>/): " +
                                              "comparisons are paired within base and seed and summarised with the base as the unit, beside the spread of bases " +
                                              "and of seeds (DIR/bases.csv); default 1");
        var baseSeed = new Option<long>("--base-seed") { Description = "pre-training seed of the (first) base (default 1: the default base, shipped in organisms/bases)", DefaultValueFactory = _ => 1 };
        var only = CliOptions.Text("--variants", "only these variants, comma-separated (e.g. base,neutral->neutral,neutral->bad); default: all of them");
        var deployment = new DeploymentOptions();
        var dashboard = new DashboardOption();
        var worker = DemoWorker.Options();
        var command = new Command("demo", "rerun the paper's experiment on a toy organism (--setting: test-case hacking by default, sycophancy, ...): GRPO variants (neutral->neutral, neutral->bad, good->neutral, " +
                                          "good->bad, bad->bad, strong KL, recomputed old log-probs, an irrelevant control) x seeds from the cached toy base; " +
                                          "writes DIR/demo.csv (mean and SE per variant and eval context), each run's files and plots, and prints the table")
        {
            quick, seeds, firstSeed, steps, output, workers, setting, bases, baseSeed, only,
        };
        deployment.AddTo(command, all: false);
        dashboard.AddTo(command);
        worker.AddTo(command);
        command.SetAction(parsed =>
        {
            bool isQuick = parsed.GetValue(quick);
            var settingName = parsed.GetValue(setting) ?? Environments.ToyCode.ToyCodeEnvironment.EnvironmentName;
            if (!Environments.Settings.Exists(settingName)) throw new CliUsageException($"--setting: {Environments.Settings.Unknown(settingName)}");
            var baseModel = (isQuick ? BaseModelOptions.Quick : new BaseModelOptions()) with { Setting = settingName, Seed = parsed.GetValue(baseSeed) };
            try { OrganismStories.For(baseModel); }
            catch (ArgumentException e) { throw new CliUsageException($"--setting: {e.Message}"); }
            var options = new DemoOptions
            {
                Quick = isQuick, Setting = settingName, Seeds = parsed.GetValue(seeds) ?? 3, Steps = parsed.GetValue(steps), FirstSeed = parsed.GetValue(firstSeed),
                BaseSeed = parsed.GetValue(baseSeed),
                VariantNames = parsed.GetValue(only)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                OutputDirectory = Path.GetFullPath(parsed.GetValue(output) ?? Path.Combine("runs", settingName == Environments.ToyCode.ToyCodeEnvironment.EnvironmentName ? $"demo-{DateTime.Now:yyyyMMdd-HHmmss}" : $"demo-{settingName}-{DateTime.Now:yyyyMMdd-HHmmss}")),
            };
            // Named variants are checked before any pre-training (the detector is trained later, but its arms are known now).
            try { DemoVariant.Of(options, NeedsDetector(options)); }
            catch (ArgumentException e) { throw new CliUsageException(e.Message); }
            if (worker.Requested(parsed))
            {
                var arm = worker.Read(parsed);
                var workerOptions = WithDetector(options, arm.BaseDirectory) with { Deployment = new Runs.RunDeployment(parsed.GetValue(deployment.Store), parsed.GetValue(deployment.Bus)) };
                return DemoWorker.Run(new DemoRunner(workerOptions, arm.BaseDirectory, baseModel), arm);
            }
            var read = deployment.Read(parsed);
            return dashboard.Around(parsed, options.OutputDirectory,
                () => Run(options with { Deployment = read }, baseModel, parsed.GetValue(workers) ?? Math.Clamp(Environment.ProcessorCount, 1, 8), parsed.GetValue(bases) ?? 1));
        });

        var perfectQuick = CliOptions.Flag("--quick", "the quick base and fewer samples");
        var perfectSeeds = CliOptions.Int("--seeds", "seeds 1..N, each its own task sample, sampling and evaluation (default 1); with more, paired differences", min: 1);
        var perfectPipelines = CliOptions.Text("--pipelines", "only the pipelines whose name contains this text (e.g. 'hidden'), with the pipelines they are compared with");
        var perfectLabels = new Command("perfect-labels", "sample under Bad, keep the best of 10 by train reward, drop every hack, SFT under Neutral " +
                                                          "(controls: sampled under Neutral; answer-only training; the loophole hidden; reasoning without tests picked first); " +
                                                          "prints hack rates before and after") { perfectQuick, perfectSeeds, perfectPipelines };
        perfectLabels.SetAction(parsed => PerfectLabels(parsed.GetValue(perfectQuick), parsed.GetValue(perfectSeeds) ?? 1, parsed.GetValue(perfectPipelines)));
        command.Subcommands.Add(perfectLabels);
        return command;
    }

    static int Run(DemoOptions options, BaseModelOptions baseModel, int workers, int bases)
    {
        var console = AnsiConsole.Console;
        var watch = Stopwatch.StartNew();
        if (bases == 1)
        {
            RunOnBase(options, baseModel, workers, console);
            console.WriteLine($"demo finished in {watch.Elapsed.TotalMinutes:F1} min; results in {options.OutputDirectory}");
            return 0;
        }
        return OnSeveralBases.Run("demo", options.OutputDirectory, options.BaseSeed, bases, options.SeedValues.Count,
            [("neutral->neutral", "standard"), ("neutral->irrelevant", "control")],
            (seed, folder) => RunOnBase(options with { BaseSeed = seed, OutputDirectory = folder }, baseModel with { Seed = seed }, workers, console), console);
    }

    /// <summary>The demo on one base (pre-trained or read from the cache): every variant × seed, its tables printed.</summary>
    static (DemoRunner Runner, IReadOnlyList<Runs.RunResult> Results) RunOnBase(DemoOptions options, BaseModelOptions baseModel, int workers, IAnsiConsole console)
    {
        var baseDirectory = PretrainToyCommand.Train(baseModel, RepositoryPaths.Cache("organism"), console);
        if (NeedsDetector(options))
        {
            var probe = DemoDetector.TrainOrLoadAsync(baseDirectory, baseModel, options.Quick, new Progress<string>(m => console.MarkupLine($"[grey]{Markup.Escape(m)}[/]")))
                .GetAwaiter().GetResult();
            var loaded = LinearProbe.Load(probe);
            console.MarkupLine($"detector: [grey]{Markup.Escape(probe)}[/] (layer {loaded.Layer}, {loaded.Pooling.Name()}; held-out AUROC {loaded.HeldOut.Auroc:F3}); " +
                               $"weak at target TPR {options.WeakDetectorTpr}, strong at {options.StrongDetectorTpr}");
            options = WithDetector(options, baseDirectory);
        }

        var runner = new DemoRunner(options, baseDirectory, baseModel);
        var executor = workers == 1 ? (IDemoArmExecutor)new InProcessArmExecutor(runner) : DemoWorker.Executor(baseDirectory, workers, _ => DemoWorker.DemoCommand(options));
        console.MarkupLine(workers == 1 ? "running the demo's runs one after another in this process"
            : $"running the demo's runs in {workers} worker processes side by side ({Math.Max(1, Environment.ProcessorCount / workers)} thread(s) each)");
        var (rows, results) = DemoProgressView.Run(runner, executor, workers, console);
        DemoReport.Print(rows, runner.Variants, results, options, console);
        if (executor is WorkerProcessExecutor { Restarts: > 0 } pool)
            console.MarkupLine($"[yellow]{pool.Restarts} worker(s) exited with an error and were restarted; each resumed its run (see worker.log in the run folders)[/]");
        return (runner, results);
    }

    /// <summary>Whether the setting's reward reads a detector (the lying setting): its demo trains one on the base.</summary>
    static bool NeedsDetector(DemoOptions options) => Environments.Settings.Create(options.Setting) is Environments.IDetectorRewarded;

    /// <summary>The demo's weak detector in every arm (the strong-detector arms raise its threshold), found in the base's folder.</summary>
    static DemoOptions WithDetector(DemoOptions options, string baseDirectory) => NeedsDetector(options)
        ? options with { Detector = new Runs.DetectorOptions { Probe = DemoDetector.PathIn(Path.GetFullPath(baseDirectory)), TargetTpr = options.WeakDetectorTpr } }
        : options;

    static int PerfectLabels(bool quick, int seeds, string? pipelineFilter)
    {
        var console = AnsiConsole.Console;
        IReadOnlyList<PerfectLabelsRunner.Pipeline> pipelines;
        try { pipelines = PerfectLabelsRunner.Matching(pipelineFilter); }
        catch (ArgumentException e) { throw new CliUsageException(e.Message); }
        var baseDirectory = PretrainToyCommand.Train(quick ? BaseModelOptions.Quick : new BaseModelOptions(), RepositoryPaths.Cache("organism"), console);
        var bySeed = new Dictionary<long, IReadOnlyList<PerfectLabelsRunner.Outcome>>();
        for (long seed = 1; seed <= seeds; seed++)
        {
            var s = seed;
            bySeed[seed] = new PerfectLabelsRunner(baseDirectory, quick, seed, pipelines: pipelines)
                .RunAsync(new Progress<string>(m => console.MarkupLine($"[grey]seed {s}/{seeds}: {Markup.Escape(m)}[/]"))).GetAwaiter().GetResult();
            console.Write(PerfectLabelsReport.OneSeed(bySeed[seed], seeds > 1 ? $"seed {seed}: " : ""));
        }
        if (seeds > 1) console.Write(PerfectLabelsReport.Paired(bySeed));
        return 0;
    }
}
