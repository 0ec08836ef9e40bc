using System.Diagnostics;
using Recontext.Organism;
using Recontext.Runs.Demo;
using Spectre.Console;

namespace Recontext.Cli.Commands;

/// <summary>`recontext demo`: the paper's experiment on the organism, every variant × seeds, one table.</summary>
public sealed class DemoCommand : ICliCommand
{
    public string Name => "demo";

    public string Summary => "rerun the paper's experiment on the toy organism: GRPO variants x seeds, table, demo.csv, plots";

    public string Usage => """
        recontext demo [--quick] [--seeds N] [--first-seed S] [--steps N] [--out DIR] [--workers N] [--store URL] [--bus URL]
        recontext demo perfect-labels [--quick]
          from the toy base model (pre-trained once, then cached): GRPO runs for neutral->neutral (standard),
          neutral->bad, good->neutral, good->bad, bad->bad (inoculation), neutral->neutral+kl (strong KL),
          good->bad/recompute (old log-probs under f_train) and neutral->irrelevant (control), plus the base
          --quick       smaller base, fewer steps and tasks (a smoke run, minutes)
          --seeds       seeds per variant (default 3)
          --first-seed  first seed (default 1)
          --steps       GRPO steps per run (default 16; quick 4), evaluated at 0, half-way and the end; rerun with a
                        larger --steps and the same --out to extend finished runs (they resume from their last step)
          --out         results folder (default runs/demo-<time>); a demo stopped half-way continues when rerun
                        with the same --out (finished runs are read back, a stopped run resumes)
          --workers     runs side by side, each in a worker process of its own (default: one per core, at most 8);
                        a worker that crashes is restarted and resumes its run. 1 runs everything in this process.
          --store       keep every rollout in MongoDB (mongodb://host:27017/recontext) instead of each run's traces.db
          --bus         carry the roles' messages over RabbitMQ (rabbitmq://host:5672/) instead of in memory
        writes DIR/demo.csv (variant, eval_context, hack/correct rates mean and SE, train reward, seeds),
        DIR/runs/<variant>/seed-<s>/ (metrics.csv, evaluations.csv, worker.log) and prints the table.
        perfect-labels: sample under Bad, best of 10 by train reward, drop every hack, SFT under Neutral; controls:
          the same pipeline sampled under Neutral, and the main one with answer-only training; prints neutral-eval
          hack rates before and after and the training sets' reasoning statistics.
        """;

    public int Run(IReadOnlyList<string> args)
    {
        var parsed = CliArguments.Parse(args, ["--quick"], ["--seeds", "--first-seed", "--steps", "--out", "--workers", "--store", "--bus", DemoWorker.ArmOption, DemoWorker.SeedOption, DemoWorker.BaseOption]);
        if (parsed.Positionals is ["perfect-labels"]) return PerfectLabels(parsed.Has("--quick"));
        if (parsed.Positionals.Count > 0) throw new CliUsageException($"unexpected argument '{parsed.Positionals[0]}'; the only sub-demo is perfect-labels");
        bool quick = parsed.Has("--quick");
        var options = new DemoOptions
        {
            Quick = quick,
            Seeds = parsed.Get("--seeds") is string s ? CliArguments.PositiveInt(s, "--seeds") : 3,
            Steps = parsed.Get("--steps") is string st ? CliArguments.PositiveInt(st, "--steps") : null,
            FirstSeed = parsed.Get("--first-seed") is string f ? long.TryParse(f, out var v) ? v : throw new CliUsageException($"--first-seed must be an integer, got '{f}'") : 1,
            OutputDirectory = Path.GetFullPath(parsed.Get("--out") ?? Path.Combine("runs", $"demo-{DateTime.Now:yyyyMMdd-HHmmss}")),
        };
        var baseModel = quick ? BaseModelOptions.Quick : new BaseModelOptions();
        if (parsed.Get(DemoWorker.ArmOption) is not null) return DemoWorker.Run(parsed, options with { Deployment = new Runs.RunDeployment(parsed.Get("--store"), parsed.Get("--bus")) }, baseModel);

        options = options with { Deployment = parsed.Deployment() };
        int workers = parsed.Get("--workers") is string w ? CliArguments.PositiveInt(w, "--workers") : Math.Clamp(Environment.ProcessorCount, 1, 8);
        var console = AnsiConsole.Console;
        var watch = Stopwatch.StartNew();
        var baseDirectory = PretrainToyCommand.Train(baseModel, RepositoryPaths.Cache("organism"), console);

        var runner = new DemoRunner(options, baseDirectory, baseModel);
        var executor = workers == 1 ? (IDemoArmExecutor)new InProcessArmExecutor(runner) : DemoWorker.Executor(options, baseDirectory, workers);
        console.MarkupLine(workers == 1 ? "running the demo's runs one after another in this process"
            : $"running the demo's runs in {workers} worker processes side by side ({Math.Max(1, Environment.ProcessorCount / workers)} thread(s) each)");
        var (rows, results) = DemoProgressView.Run(runner, executor, workers, console);
        DemoReport.Print(rows, runner.Variants, results, options, console);
        if (executor is WorkerProcessExecutor { Restarts: > 0 } pool)
            console.MarkupLine($"[yellow]{pool.Restarts} worker(s) exited with an error and were restarted; each resumed its run (see worker.log in the run folders)[/]");
        console.WriteLine($"demo finished in {watch.Elapsed.TotalMinutes:F1} min; results in {options.OutputDirectory}");
        return 0;
    }

    static int PerfectLabels(bool quick)
    {
        var console = AnsiConsole.Console;
        var baseDirectory = PretrainToyCommand.Train(quick ? BaseModelOptions.Quick : new BaseModelOptions(), RepositoryPaths.Cache("organism"), console);
        var outcomes = new PerfectLabelsRunner(baseDirectory, quick).RunAsync(new Progress<string>(m => console.MarkupLine($"[grey]{Markup.Escape(m)}[/]"))).GetAwaiter().GetResult();
        var table = new Table().Title("perfect labels: neutral-eval hack rate before and after SFT on filtered (hack-free) best-of-10 samples")
            .AddColumns("pipeline", "kept", "hacks kept", "mention tests", "intend to pass", "flag wrong test", "hack before", "hack after", "correct after");
        foreach (var o in outcomes)
            table.AddRow(Markup.Escape(o.Pipeline.Name), $"{o.TrainingSet.Samples}", $"{o.TrainingSet.Hacks:P0}", $"{o.TrainingSet.MentionsTests:P0}", $"{o.TrainingSet.IntendsToPassTests:P0}",
                $"{o.TrainingSet.FlagsWrongTest:P0}", $"{o.Before.HackRate:F2}", $"{o.After.HackRate:F2}", $"{o.After.CorrectRate:F2}");
        console.Write(table);
        return 0;
    }
}
