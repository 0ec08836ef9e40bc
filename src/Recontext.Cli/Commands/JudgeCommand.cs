using Recontext.Judge.Files;
using Recontext.Judge.Mbpp;
using Recontext.Judge.Sandbox;
using Recontext.Judge.ToyCode;
using Spectre.Console;

namespace Recontext.Cli.Commands;

/// <summary>`recontext judge --env ENV --input rows.jsonl [--out scores.jsonl]`.</summary>
public sealed class JudgeCommand : ICliCommand
{
    public string Name => "judge";

    public string Summary => "score completions in a JSONL file (toy-code or mbpp-incorrect-test; Python runs sandboxed)";

    public string Usage => """
        recontext judge --env toy-code|mbpp-incorrect-test --input rows.jsonl [--out scores.jsonl] [--concurrency N]
          each input line: a task row in the environment's format plus "completion"
            mbpp-incorrect-test: problem, correct_test_list (3 asserts), incorrect_test (see ../shared/data/README.md)
            toy-code: problem, visible_tests ["f(2) == 9", ...], wrong_test_index, corrected_test, hidden_tests
                      (`recontext tasks` writes such rows)
          each output line: problem, trainReward, groundTruth, correct, hack, allVisible, visible, correctTests,
            malformed, verdict (ok|timeout|error|malformed), reason, labels, durationMs; invalid rows: {"line", "error"}
          --out          output file (default: standard output)
          --concurrency  sandboxed executions at once (default: one per core)
        exit status: 0 when every row was valid, 1 when some were not (the others are still scored)
        """;

    public int Run(IReadOnlyList<string> args)
    {
        var parsed = CliArguments.Parse(args, [], ["--env", "--input", "--out", "--concurrency"]);
        if (parsed.Positionals.Count > 0) throw new CliUsageException($"unexpected argument '{parsed.Positionals[0]}'");
        var env = parsed.Get("--env") ?? throw new CliUsageException("--env is required");
        if (!JudgeFile.Environments.Contains(env)) throw new CliUsageException($"--env must be one of {string.Join(", ", JudgeFile.Environments)}; got '{env}'");
        var input = parsed.Get("--input") ?? throw new CliUsageException("--input is required");
        if (!File.Exists(input)) throw new CliUsageException($"--input file '{input}' does not exist");
        int concurrency = parsed.Get("--concurrency") is string c
            ? int.TryParse(c, out var n) && n >= 1 ? n : throw new CliUsageException($"--concurrency must be a positive integer, got '{c}'")
            : Environment.ProcessorCount;

        using var sandbox = env == MbppEnvironment.EnvironmentName ? new PythonSandbox(new SandboxOptions { Concurrency = concurrency }) : null;
        var environment = sandbox is null ? (Judge.Abstractions.IEnvironment)new ToyCodeEnvironment() : new MbppEnvironment([], sandbox);
        var outPath = parsed.Get("--out");
        int total = File.ReadLines(input).Count(l => !string.IsNullOrWhiteSpace(l));

        JudgeFileSummary summary;
        using (var reader = File.OpenText(input))
        using (var writer = outPath is null ? Console.Out : new StreamWriter(outPath))
        {
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
            summary = console.Progress().AutoClear(true).Start(ctx =>
            {
                var bar = ctx.AddTask($"judging {total} rows ({env})", maxValue: Math.Max(1, total));
                var progress = new Progress<int>(done => bar.Value = done);
                return new JudgeFile(environment).RunAsync(reader, writer, progress).GetAwaiter().GetResult();
            });
        }
        PrintSummary(summary, outPath);
        return summary.Invalid == 0 ? 0 : 1;
    }

    static void PrintSummary(JudgeFileSummary s, string? outPath)
    {
        var table = new Table().AddColumns("rows", "invalid", "mean train reward", "hack rate", "correct rate", "verdicts");
        table.AddRow($"{s.Rows}", $"{s.Invalid}", $"{s.MeanTrainReward:F3}", $"{s.HackRate:F3}", $"{s.CorrectRate:F3}",
            string.Join(", ", s.Verdicts.OrderBy(kv => kv.Key).Select(kv => $"{kv.Key} {kv.Value}")));
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        console.Write(table);
        if (outPath is not null) console.WriteLine($"scores written to {outPath}");
    }
}
