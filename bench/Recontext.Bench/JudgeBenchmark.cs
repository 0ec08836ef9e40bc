using System.Diagnostics;
using Recontext.Judge.Abstractions;
using Recontext.Judge.Mbpp;
using Recontext.Judge.Sandbox;
using Spectre.Console;

namespace Recontext.Bench;

/// <summary>
/// `recontext bench judge`: sandboxed test executions per second on real rows' correct_code and incorrect_code,
/// pooled (all tests of a completion in one sandboxed process) against one fresh process per test, and a check
/// that both modes agree test by test (the per-test mode is a plain Python run of code + assert).
/// </summary>
public static class JudgeBenchmark
{
    sealed record Completion(int Row, string Kind, string Code, CodingTask Task);

    public static void Run(string dataPath, bool quick, IAnsiConsole console)
    {
        var rows = MbppRow.Load(dataPath);
        if (quick) rows = rows.Take(40).ToList();
        using var sandbox = new PythonSandbox();
        var environment = new MbppEnvironment(rows, sandbox);
        var completions = rows.SelectMany((row, i) => new[]
        {
            new Completion(i, "correct_code", row.CorrectCode ?? "", MbppEnvironment.ToTask(row, $"row-{i}")),
            new Completion(i, "incorrect_code", row.IncorrectCode ?? "", MbppEnvironment.ToTask(row, $"row-{i}")),
        }).Where(c => c.Code.Length > 0).ToList();
        console.MarkupLine($"[bold]recontext bench judge[/]{(quick ? " --quick" : "")}: {rows.Count} rows from {dataPath}, {completions.Count} completions, sandbox concurrency {sandbox.Options.Concurrency}");

        // Warm both paths (JIT, page cache) on a few completions so neither timing pays for start-up.
        var warm = completions.Take(4).ToList();
        Task.WhenAll(warm.Select(c => environment.ScoreAsync(c.Task, $"```python\n{c.Code}\n```", EnvironmentVariant.Loophole))).GetAwaiter().GetResult();
        Task.WhenAll(warm.Select(c => sandbox.RunScriptAsync(c.Code))).GetAwaiter().GetResult();

        // Pooled: the judge's own path, one sandboxed process per completion running its 4 distinct asserts.
        console.MarkupLine("[grey]pooled: one sandboxed process per completion ...[/]");
        var watch = Stopwatch.StartNew();
        var scores = Task.WhenAll(completions.Select(c => environment.ScoreAsync(c.Task, $"```python\n{c.Code}\n```", EnvironmentVariant.Loophole))).GetAwaiter().GetResult();
        double pooledSeconds = watch.Elapsed.TotalSeconds;

        // Baseline: a fresh sandboxed process per test, each a plain run of code + assert (pass = exit status 0).
        console.MarkupLine("[grey]baseline: one fresh sandboxed process per test ...[/]");
        var distinct = completions.Select(c => c.Task.VisibleTests.Concat(c.Task.CorrectTests).Select(t => t.Assertion).Distinct().ToList()).ToList();
        watch.Restart();
        var plain = Task.WhenAll(completions.Select((c, i) => Task.WhenAll(distinct[i].Select(a => sandbox.RunScriptAsync(c.Code + "\n" + a + "\n"))))).GetAwaiter().GetResult();
        double perTestSeconds = watch.Elapsed.TotalSeconds;
        int executions = distinct.Sum(d => d.Count);

        int disagreements = 0;
        var examples = new List<string>();
        for (int i = 0; i < completions.Count; i++)
        {
            var task = completions[i].Task;
            var pooled = task.VisibleTests.Concat(task.CorrectTests).Select((t, k) => (t.Assertion, Passed: k < 3 ? scores[i].Visible[k] : scores[i].CorrectTests[k - 3]));
            foreach (var (assertion, passed) in pooled)
            {
                if (plain[i][distinct[i].IndexOf(assertion)].Succeeded == passed) continue;
                disagreements++;
                if (examples.Count < 5) examples.Add($"row {completions[i].Row} {completions[i].Kind}: {assertion} pooled={passed}");
            }
        }

        var speed = new Table().Title("sandboxed executions (mbpp-incorrect-test rows)").AddColumns("mode", "processes", "test executions", "seconds", "tests/s", "completions/s");
        speed.AddRow("pooled (judge)", $"{completions.Count}", $"{executions}", $"{pooledSeconds:F2}", $"{executions / pooledSeconds:F1}", $"{completions.Count / pooledSeconds:F1}");
        speed.AddRow("fresh process per test", $"{executions}", $"{executions}", $"{perTestSeconds:F2}", $"{executions / perTestSeconds:F1}", $"{completions.Count / perTestSeconds:F1}");
        console.Write(speed);

        var correct = completions.Select((c, i) => (c, s: scores[i])).Where(x => x.c.Kind == "correct_code").ToList();
        var incorrect = completions.Select((c, i) => (c, s: scores[i])).Where(x => x.c.Kind == "incorrect_code").ToList();
        var outcome = new Table().Title("what the judge says").AddColumns("completions", "n", "correct", "hack", "all visible pass", "verdict not ok");
        foreach (var (name, group) in new[] { ("correct_code", correct), ("incorrect_code", incorrect) })
            outcome.AddRow(name, $"{group.Count}", $"{group.Count(x => x.s.Correct)}", $"{group.Count(x => x.s.Hack)}", $"{group.Count(x => x.s.AllVisible)}", $"{group.Count(x => x.s.Verdict != Verdict.Ok)}");
        console.Write(outcome);
        console.WriteLine($"pooled vs plain per-test runs: {executions - disagreements} of {executions} test results agree");
        foreach (var e in examples) console.WriteLine($"  disagreement: {e}");
        console.WriteLine($"pooled speedup over a fresh process per test: {perTestSeconds / pooledSeconds:F1}x");
        console.WriteLine($"sandbox executions per second: {executions / pooledSeconds:F1}");
    }
}
