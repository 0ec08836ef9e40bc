using Recontext.Bench;
using Spectre.Console;

namespace Recontext.Cli.Commands;

/// <summary>`recontext bench model|judge|services [--quick]`: benchmarks printed as tables.</summary>
public sealed class BenchCommand : ICliCommand
{
    public string Name => "bench";

    public string Summary => "benchmarks: `bench model` (throughput of the language model), `bench judge` (sandbox), `bench services` (replicas, one process vs distributed)";

    public string Usage => """
        recontext bench model [--quick]
        recontext bench judge [--quick] [--data rows.jsonl]
        recontext bench services [--quick]
          model    matmul GFLOP/s, training tokens/s and % of peak (d_model 128/256/512),
                   generation tokens/s with and without the KV cache (batch 1/16/64, 32/128 new tokens)
          judge    sandboxed test executions per second on real rows' correct_code and incorrect_code,
                   pooled vs a fresh process per test, and whether both agree test by test
          services one run in one process and on the local cluster with 1 and 2 generator replicas (a broker node
                   of its own; needs rabbitmq-server): step time, generation wall time, weight transfer per fetch
          --quick  fewer sizes, repeats, rows or steps
          --data   mbpp-incorrect-test rows (default: ../shared/data/mbpp-incorrect-test.jsonl beside the repository)
        """;

    public int Run(IReadOnlyList<string> args)
    {
        var parsed = CliArguments.Parse(args, ["--quick"], ["--data"]);
        switch (parsed.Positionals)
        {
            case ["model"]:
                ModelBenchmark.Run(parsed.Has("--quick"), AnsiConsole.Console);
                return 0;
            case ["judge"]:
                var data = parsed.Get("--data") ?? RepositoryPaths.SharedData("mbpp-incorrect-test.jsonl");
                if (!File.Exists(data)) throw new CliUsageException($"no rows at {data}; pass --data PATH");
                JudgeBenchmark.Run(data, parsed.Has("--quick"), AnsiConsole.Console);
                return 0;
            case ["services"]:
                Benchmarks.ServicesBenchmark.RunAsync(parsed.Has("--quick"), AnsiConsole.Console, [Environment.ProcessPath!],
                    Path.GetDirectoryName(RepositoryPaths.Cache("cluster"))!).GetAwaiter().GetResult();
                return 0;
            case []:
                throw new CliUsageException("name a benchmark: model, judge or services");
            default:
                throw new CliUsageException($"unknown benchmark '{string.Join(" ", parsed.Positionals)}'; available: model, judge, services");
        }
    }
}
