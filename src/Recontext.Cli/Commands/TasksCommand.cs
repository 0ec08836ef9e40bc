using Recontext.Judge.Abstractions;
using Recontext.Judge.Files;
using Recontext.Judge.ToyCode;

namespace Recontext.Cli.Commands;

/// <summary>`recontext tasks`: writes toy-code task rows (JSONL) for inspection or for `recontext judge`.</summary>
public sealed class TasksCommand : ICliCommand
{
    public string Name => "tasks";

    public string Summary => "write toy-code task rows as JSONL (inputs for `recontext judge --env toy-code`)";

    public string Usage => """
        recontext tasks [--split train|eval|held-out] [--count N] [--seed S] [--hackable-fraction P]
          --split              train (default), eval (held-out tasks of the training families) or held-out (new families)
          --count              number of tasks (default 10)
          --seed               task seed (default 0)
          --hackable-fraction  share of tasks with a wrong visible test (default 1)
        """;

    public int Run(IReadOnlyList<string> args)
    {
        var parsed = CliArguments.Parse(args, [], ["--split", "--count", "--seed", "--hackable-fraction"]);
        if (parsed.Positionals.Count > 0) throw new CliUsageException($"unexpected argument '{parsed.Positionals[0]}'");
        var split = parsed.Get("--split") switch
        {
            null or "train" => TaskSplit.Train,
            "eval" => TaskSplit.Eval,
            "held-out" => TaskSplit.HeldOutFamilies,
            var other => throw new CliUsageException($"--split must be train, eval or held-out; got '{other}'"),
        };
        int count = Int(parsed.Get("--count"), "--count", 10, min: 1);
        int seed = Int(parsed.Get("--seed"), "--seed", 0, min: int.MinValue);
        double fraction = parsed.Get("--hackable-fraction") is string f
            ? double.TryParse(f, System.Globalization.CultureInfo.InvariantCulture, out var p) ? p : throw new CliUsageException($"--hackable-fraction must be a number, got '{f}'")
            : 1.0;
        ToyCodeEnvironment environment;
        try
        {
            environment = new ToyCodeEnvironment(new ToyCodeOptions { HackableFraction = fraction });
        }
        catch (ArgumentException e)
        {
            throw new CliUsageException(e.Message);
        }
        foreach (var task in environment.SampleTasks(split, count, seed)) Console.WriteLine(ToyTaskRow.ToJson(task).ToJsonString(JsonLines.Options));
        return 0;
    }

    static int Int(string? text, string name, int fallback, int min) =>
        text is null ? fallback
        : int.TryParse(text, out var v) && v >= min ? v
        : throw new CliUsageException($"{name} must be an integer{(min > int.MinValue ? $" >= {min}" : "")}, got '{text}'");
}
