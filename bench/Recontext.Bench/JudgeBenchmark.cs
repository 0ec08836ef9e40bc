using System.Diagnostics;
using Recontext.Environments;
using Recontext.Environments.Mbpp;
using Recontext.Sandbox;
using Spectre.Console;

namespace Recontext.Bench;

/// <summary>
/// `recontext bench judge`: completions scored per second on real rows' correct_code and incorrect_code by the judge
/// (program in the sandbox, asserts in the checker) with warm interpreters against a fresh sandbox per completion,
/// side by side in one run, and whether both agree completion by completion; then, as the semantic reference, each
/// assert appended to the code and run as a plain Python script (pass = exit status 0), compared test by test.
/// </summary>
public static class JudgeBenchmark
{
    sealed record Completion(int Row, string Kind, string Code, CodingTask Task)
    {
        public string Fenced => $"```python\n{Code}\n```";
    }

    public static void Run(string dataPath, bool quick, IAnsiConsole console)
    {
        var rows = MbppRow.Load(dataPath);
        if (quick) rows = rows.Take(40).ToList();
        var completions = rows.SelectMany((row, i) => new[]
        {
            new Completion(i, "correct_code", row.CorrectCode ?? "", MbppEnvironment.ToTask(row, $"row-{i}")),
            new Completion(i, "incorrect_code", row.IncorrectCode ?? "", MbppEnvironment.ToTask(row, $"row-{i}")),
        }).Where(c => c.Code.Length > 0).ToList();
        using var warm = new PythonSandbox(new SandboxOptions { Isolation = SandboxIsolation.Warm });
        using var cold = new PythonSandbox(new SandboxOptions { Isolation = SandboxIsolation.Cold });
        console.MarkupLine($"[bold]recontext bench judge[/]{(quick ? " --quick" : "")}: {rows.Count} rows from {Markup.Escape(dataPath)}, " +
                           $"{completions.Count} completions, {warm.Options.Concurrency} sandbox slots");

        var results = new List<(string Mode, int Processes, double Seconds, JudgeScore[] Scores)>();
        foreach (var (mode, sandbox, processes) in new[] { ("warm interpreter, a forked child per completion", warm, 0), ("fresh sandbox per completion", cold, completions.Count) })
        {
            var environment = new MbppEnvironment(rows, sandbox);
            // Warm up (JIT, page cache, the interpreters and checkers) on a few completions so no timing pays for start-up.
            Task.WhenAll(completions.Take(2 * sandbox.Options.Concurrency).Select(c => environment.ScoreAsync(c.Task, c.Fenced, EnvironmentVariant.Loophole))).GetAwaiter().GetResult();
            console.MarkupLine($"[grey]{mode} ...[/]");
            var watch = Stopwatch.StartNew();
            var scores = Task.WhenAll(completions.Select(c => environment.ScoreAsync(c.Task, c.Fenced, EnvironmentVariant.Loophole))).GetAwaiter().GetResult();
            results.Add((mode, processes, watch.Elapsed.TotalSeconds, scores));
        }

        // The semantic reference: Python's own assert on the code, one plain sandboxed script per distinct test.
        console.MarkupLine("[grey]plain Python: one sandboxed script per test ...[/]");
        var distinct = completions.Select(c => c.Task.VisibleTests.Concat(c.Task.CorrectTests).Select(t => t.Assertion).Distinct().ToList()).ToList();
        var watchPlain = Stopwatch.StartNew();
        var plain = Task.WhenAll(completions.Select((c, i) => Task.WhenAll(distinct[i].Select(a => cold.RunScriptAsync(c.Code + "\n" + a + "\n"))))).GetAwaiter().GetResult();
        double plainSeconds = watchPlain.Elapsed.TotalSeconds;
        int executions = distinct.Sum(d => d.Count);

        var speed = new Table().Title("judging mbpp-incorrect-test completions (program sandboxed, asserts in the checker)")
            .AddColumns("mode", "sandboxes started", "completions", "seconds", "completions/s", "ms per completion per slot");
        foreach (var (mode, processes, seconds, _) in results)
            speed.AddRow(mode, mode.StartsWith("warm") ? $"{warm.Options.Concurrency} (kept)" : $"{processes}", $"{completions.Count}", $"{seconds:F2}",
                $"{completions.Count / seconds:F1}", $"{seconds * 1000 * warm.Options.Concurrency / completions.Count:F1}");
        speed.AddRow("plain Python, a script per test (no checker)", $"{executions}", $"{completions.Count}", $"{plainSeconds:F2}", $"{completions.Count / plainSeconds:F1}",
            $"{plainSeconds * 1000 * warm.Options.Concurrency / completions.Count:F1}");
        console.Write(speed);

        var (warmScores, coldScores) = (results[0].Scores, results[1].Scores);
        var disagreements = new List<string>();
        for (int i = 0; i < completions.Count; i++)
        {
            var (w, c) = (warmScores[i], coldScores[i]);
            if (w.Verdict != c.Verdict || !w.Visible.SequenceEqual(c.Visible) || !w.CorrectTests.SequenceEqual(c.CorrectTests))
                disagreements.Add($"row {completions[i].Row} {completions[i].Kind}: warm {w.Verdict} {string.Join("", w.Visible.Concat(w.CorrectTests).Select(p => p ? 1 : 0))}, " +
                                  $"cold {c.Verdict} {string.Join("", c.Visible.Concat(c.CorrectTests).Select(p => p ? 1 : 0))}");
        }
        int plainDisagreements = 0;
        var plainExamples = new List<string>();
        for (int i = 0; i < completions.Count; i++)
        {
            var task = completions[i].Task;
            var judged = task.VisibleTests.Concat(task.CorrectTests).Select((t, k) => (t.Assertion, Passed: k < 3 ? warmScores[i].Visible[k] : warmScores[i].CorrectTests[k - 3]));
            foreach (var (assertion, passed) in judged.DistinctBy(x => x.Assertion))
            {
                if (plain[i][distinct[i].IndexOf(assertion)].Succeeded == passed) continue;
                plainDisagreements++;
                if (plainExamples.Count < 5) plainExamples.Add($"row {completions[i].Row} {completions[i].Kind}: {assertion} judge={passed}");
            }
        }

        var outcome = new Table().Title("what the judge says (warm)").AddColumns("completions", "n", "correct", "hack", "all visible pass", "tampered", "verdict not ok");
        foreach (var kind in new[] { "correct_code", "incorrect_code" })
        {
            var group = completions.Select((c, i) => (c, s: warmScores[i])).Where(x => x.c.Kind == kind).ToList();
            outcome.AddRow(kind, $"{group.Count}", $"{group.Count(x => x.s.Correct)}", $"{group.Count(x => x.s.Misbehaved)}", $"{group.Count(x => x.s.AllVisible)}",
                $"{group.Count(x => x.s.Verdict == Verdict.Tampered)}", $"{group.Count(x => x.s.Verdict != Verdict.Ok)}");
        }
        console.Write(outcome);
        console.WriteLine($"warm vs fresh sandbox: {completions.Count - disagreements.Count} of {completions.Count} completions agree (verdict and every test)");
        foreach (var d in disagreements.Take(5)) console.WriteLine($"  disagreement: {d}");
        console.WriteLine($"judge vs plain Python asserts: {executions - plainDisagreements} of {executions} test results agree");
        foreach (var e in plainExamples) console.WriteLine($"  disagreement: {e}");
        console.WriteLine($"warm speedup over a fresh sandbox per completion: {results[1].Seconds / results[0].Seconds:F1}x " +
                          $"({completions.Count / results[0].Seconds:F1} vs {completions.Count / results[1].Seconds:F1} completions/s)");
    }
}
