using System.CommandLine;
using Recontext.Bench;
using Spectre.Console;

namespace Recontext.Cli.Commands;

/// <summary>`recontext bench model|judge|services [--quick]`: benchmarks printed as tables.</summary>
public sealed class BenchCommand : ICliCommand
{
    public Command Build()
    {
        var command = new Command("bench", "benchmarks: `bench model` (the language model), `bench checkpoints` (a real model's shapes), `bench judge` (the sandbox), `bench dashboard` (the runs page), " +
                                           "`bench services` (replicas, one process vs distributed)");

        var modelQuick = Quick();
        var model = new Command("model", "matmul GFLOP/s, training tokens/s and % of peak (d_model 128/256/512), generation tokens/s with and " +
                                         "without the KV cache (batch 1/16/64, 32/128 new tokens)") { modelQuick };
        model.SetAction(parsed => ModelBenchmark.Run(parsed.GetValue(modelQuick), AnsiConsole.Console));

        var judgeQuick = Quick();
        var data = CliOptions.Text("--data", "mbpp-incorrect-test rows (default: ../shared/data/mbpp-incorrect-test.jsonl beside the repository)");
        var judge = new Command("judge", "completions judged per second on real rows' correct_code and incorrect_code, warm interpreters vs a fresh sandbox per " +
                                         "completion, whether they agree completion by completion, and the judge against plain Python asserts") { judgeQuick, data };
        judge.SetAction(parsed =>
        {
            var rows = parsed.GetValue(data) ?? RepositoryPaths.SharedData("mbpp-incorrect-test.jsonl");
            if (!File.Exists(rows)) throw new CliUsageException($"no rows at {rows}; pass --data PATH");
            JudgeBenchmark.Run(rows, parsed.GetValue(judgeQuick), AnsiConsole.Console);
        });

        var servicesQuick = Quick();
        var services = new Command("services", "one run in one process and on the local cluster with 1 and 2 generator replicas (a broker node of " +
                                               "its own; needs rabbitmq-server): step time, generation wall time, weight transfer per fetch") { servicesQuick };
        services.SetAction(parsed => Benchmarks.ServicesBenchmark.RunAsync(parsed.GetValue(servicesQuick), AnsiConsole.Console, [Environment.ProcessPath!],
            Path.GetDirectoryName(RepositoryPaths.Cache("cluster"))!));

        var checkpointsQuick = Quick();
        var size = new Option<string>("--size") { Description = "tiny, small or 0.6b (default: Qwen3-0.6B's shapes)" };
        size.AcceptOnlyFromAmong([.. Model.Checkpoints.ModelPresets.Sizes]);
        var checkpoints = new Command("checkpoints", "a random Hugging Face Qwen3 folder (0.6b shapes by default): load time and memory, generation " +
                                                     "tokens/s at batch 1 and 8, one LoRA GRPO step, scoring tokens/s against the PyTorch reference") { checkpointsQuick, size };
        checkpoints.SetAction(parsed =>
        {
            var script = RepositoryPaths.Root() is { } root ? Path.Combine(root, "tests", "reference", "causal_lm_reference.py") : null;
            CheckpointBenchmark.Run(parsed.GetValue(size) ?? "0.6b", parsed.GetValue(checkpointsQuick), RepositoryPaths.Cache("bench"), WriteFolder,
                script is not null && File.Exists(script) ? script : null, AnsiConsole.Console);
        });

        var dashboardQuick = Quick();
        var dashboard = new Command("dashboard", "the dashboard's runs page over 23, 323 and 1,000 finished runs (--quick: 23 and 323): the first request, " +
                                                 "which reads every run, against later ones served from the runs index") { dashboardQuick };
        dashboard.SetAction(parsed => Benchmarks.DashboardBenchmark.RunAsync(parsed.GetValue(dashboardQuick) ? [23, 323] : [23, 323, 1000], 5, AnsiConsole.Console));

        command.Subcommands.Add(model);
        command.Subcommands.Add(dashboard);
        command.Subcommands.Add(checkpoints);
        command.Subcommands.Add(judge);
        command.Subcommands.Add(services);
        return command;
    }

    /// <summary>`recontext model init` in a process of its own (see <see cref="CheckpointBenchmark.Run"/>).</summary>
    static void WriteFolder(string family, string size, string directory)
    {
        var start = new System.Diagnostics.ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true };
        // Run as `dotnet recontext.dll` (the tests do), the process is dotnet itself: name the assembly first.
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet") start.ArgumentList.Add(typeof(BenchCommand).Assembly.Location);
        foreach (var a in new[] { "model", "init", "--family", family, "--size", size, "--out", directory, "--dtype", "bf16", "--seed", "1", "--force" })
            start.ArgumentList.Add(a);
        using var process = System.Diagnostics.Process.Start(start)!;
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new CliUsageException($"model init for the benchmark's folder failed (exit {process.ExitCode}); see its message above");
    }

    static Option<bool> Quick() => CliOptions.Flag("--quick", "fewer sizes, repeats, rows or steps");
}
