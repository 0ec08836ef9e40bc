using Recontext.Bench;
using Spectre.Console;

namespace Recontext.Cli.Commands;

/// <summary>`recontext bench model [--quick]`: throughput benchmarks printed as tables.</summary>
public sealed class BenchCommand : ICliCommand
{
    public string Name => "bench";

    public string Summary => "benchmarks: `bench model` (matmul peak, training and generation throughput)";

    public string Usage => """
        recontext bench model [--quick]
          model    matmul GFLOP/s, training tokens/s and % of peak (d_model 128/256/512),
                   generation tokens/s with and without the KV cache (batch 1/16/64, 32/128 new tokens)
          --quick  fewer sizes and repeats (about a minute)
        """;

    public int Run(IReadOnlyList<string> args)
    {
        var parsed = CliArguments.Parse(args, ["--quick"], []);
        if (parsed.Positionals is not ["model"])
            throw new CliUsageException(parsed.Positionals.Count == 0 ? "name a benchmark: model" : $"unknown benchmark '{string.Join(" ", parsed.Positionals)}'; available: model");
        ModelBenchmark.Run(parsed.Has("--quick"), AnsiConsole.Console);
        return 0;
    }
}
