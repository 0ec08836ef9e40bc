using System.CommandLine;
using Recontext.Environments.Mbpp;
using Recontext.Environments.ToyCode;
using Recontext.Judge.Files;
using Recontext.Sandbox;
using Spectre.Console;

namespace Recontext.Cli.Commands;

/// <summary>`recontext judge --env ENV --input rows.jsonl [--out scores.jsonl]`.</summary>
public sealed class JudgeCommand : ICliCommand
{
    public Command Build()
    {
        var env = new Option<string>("--env") { Description = "the rows' setting", Required = true };
        env.AcceptOnlyFromAmong([.. Environments.Settings.Names]);
        var input = new Option<FileInfo>("--input")
        {
            Description = "the rows (JSONL), each a task row plus \"completion\": mbpp-incorrect-test {problem, correct_test_list, incorrect_test}; " +
                          "toy-code {problem, visible_tests, wrong_test_index, corrected_test, hidden_tests} (`recontext tasks` writes these); " +
                          "sycophancy {question, answer, belief, options}",
            Required = true
        };
        input.AcceptExistingOnly();
        var output = CliOptions.Text("--out", "output file (default: standard output)");
        var concurrency = CliOptions.Int("--concurrency", "sandboxed executions at once (default: one per core; at most 64)", max: 64);
        var command = new Command("judge", "score completions in a JSONL file (Python runs sandboxed); each output line: id, problem, trainReward, groundTruth, " +
                                           "correct, misbehaved, visible, correctTests, verdict, reason, labels (invalid rows: line and error); exit 1 when some rows were invalid")
        {
            env, input, output, concurrency,
        };
        command.SetAction(parsed => Run(parsed.GetValue(env)!, parsed.GetValue(input)!.FullName, parsed.GetValue(output), parsed.GetValue(concurrency) ?? Environment.ProcessorCount));
        return command;
    }

    static int Run(string env, string input, string? outPath, int concurrency)
    {
        using var sandbox = Environments.Settings.PythonSettings.Contains(env) ? OpenSandbox(concurrency) : null;
        var environment = Environments.Settings.Create(env, new Environments.SettingOptions { Sandbox = sandbox is null ? null : () => sandbox });
        int total = CountLines(input);

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

    /// <summary>Lines for the progress bar, counted in the bytes: reading them as strings would hold a huge row whole.</summary>
    static int CountLines(string path)
    {
        using var file = File.OpenRead(path);
        var buffer = new byte[1 << 16];
        int lines = 0, read;
        bool open = false;
        while ((read = file.Read(buffer)) > 0)
        {
            lines += buffer.AsSpan(0, read).Count((byte)'\n');
            open = buffer[read - 1] != (byte)'\n';
        }
        return lines + (open ? 1 : 0);
    }

    /// <summary>The sandbox, or one line saying why there is none (bubblewrap missing, a bad limit).</summary>
    static PythonSandbox OpenSandbox(int concurrency)
    {
        try
        {
            return new PythonSandbox(new SandboxOptions { Concurrency = Math.Min(concurrency, 64) });
        }
        catch (Exception e) when (e is SandboxUnavailableException or ArgumentException)
        {
            throw new CliUsageException(e.Message);
        }
    }

    static void PrintSummary(JudgeFileSummary s, string? outPath)
    {
        var table = new Table().AddColumns("rows", "invalid", "mean train reward", "misbehaviour rate", "correct rate", "verdicts");
        table.AddRow($"{s.Rows}", $"{s.Invalid}", $"{s.MeanTrainReward:F3}", $"{s.MisbehaviourRate:F3}", $"{s.CorrectRate:F3}",
            string.Join(", ", s.Verdicts.OrderBy(kv => kv.Key).Select(kv => $"{kv.Key} {kv.Value}")));
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        console.Write(table);
        if (outPath is not null) console.WriteLine($"scores written to {outPath}");
    }
}
