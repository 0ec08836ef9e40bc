using System.CommandLine;
using Recontext.Bench;
using Spectre.Console;

namespace Recontext.Cli.Commands;

/// <summary>`recontext bench model|judge|services [--quick]`: benchmarks printed as tables.</summary>
public sealed class BenchCommand : ICliCommand
{
    public Command Build()
    {
        var command = new Command("bench", "benchmarks: `bench model` (the language model), `bench judge` (the sandbox), `bench services` (replicas, one process vs distributed)");

        var modelQuick = Quick();
        var model = new Command("model", "matmul GFLOP/s, training tokens/s and % of peak (d_model 128/256/512), generation tokens/s with and " +
                                         "without the KV cache (batch 1/16/64, 32/128 new tokens)") { modelQuick };
        model.SetAction(parsed => ModelBenchmark.Run(parsed.GetValue(modelQuick), AnsiConsole.Console));

        var judgeQuick = Quick();
        var data = CliOptions.Text("--data", "mbpp-incorrect-test rows (default: ../shared/data/mbpp-incorrect-test.jsonl beside the repository)");
        var judge = new Command("judge", "sandboxed test executions per second on real rows' correct_code and incorrect_code, pooled vs a fresh " +
                                         "process per test, and whether both agree test by test") { judgeQuick, data };
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

        command.Subcommands.Add(model);
        command.Subcommands.Add(judge);
        command.Subcommands.Add(services);
        return command;
    }

    static Option<bool> Quick() => CliOptions.Flag("--quick", "fewer sizes, repeats, rows or steps");
}
