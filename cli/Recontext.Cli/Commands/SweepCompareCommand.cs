using System.CommandLine;
using Recontext.Runs.Sweeps;
using Spectre.Console;

namespace Recontext.Cli.Commands;

/// <summary>`recontext sweep compare FOLDER AGAINST`: two sweep (or demo) folders paired by seed, point against point.</summary>
static class SweepCompareCommand
{
    public static Command Build()
    {
        var folder = new Argument<string>("FOLDER") { Description = "a sweep or demo folder (its points are the variants)" };
        var against = new Argument<string>("AGAINST") { Description = "the folder whose points are the references (same base, seeds and tasks, so seed n pairs with seed n)" };
        var output = CliOptions.Text("--out", $"where to write the comparison (default: FOLDER/{SweepComparison.DefaultFile})");
        var command = new Command("compare", "every point of FOLDER minus every point of AGAINST, paired by seed at every evaluation step both reached " +
                                             "(mean, standard error, 95 % interval; runs still going count as far as they got); prints each run's last evaluation and the paired misbehaviour-rate differences")
        {
            folder, against, output,
        };
        command.SetAction(parsed =>
        {
            SweepFolder left, right;
            try
            {
                left = SweepFolder.Read(parsed.GetValue(folder)!);
                right = SweepFolder.Read(parsed.GetValue(against)!);
            }
            catch (ArgumentException e)
            {
                throw new CliUsageException(e.Message);
            }
            var rows = SweepComparison.Of(left, right);
            var path = parsed.GetValue(output) ?? Path.Combine(left.Directory, SweepComparison.DefaultFile);
            SweepComparison.Write(path, rows);
            var console = AnsiConsole.Console;
            PrintRuns(console, left, right);
            PrintPaired(console, rows);
            console.WriteLine($"{rows.Count} rows written to {path}");
            return 0;
        });
        return command;
    }

    /// <summary>Each run's hack rate at its last evaluation, seed by seed: where outcomes split (a run that stops
    /// hacking, one that saturates) a mean hides it.</summary>
    static void PrintRuns(IAnsiConsole console, params SweepFolder[] folders)
    {
        var seeds = folders.SelectMany(f => f.Runs.Select(r => r.Seed)).Distinct().Order().ToList();
        var table = new Table().Title("misbehaviour rate at each run's last evaluation (step), neutral / bad eval").AddColumn("point");
        foreach (var seed in seeds) table.AddColumn($"seed {seed}");
        foreach (var folder in folders)
            foreach (var point in folder.Points)
            {
                var cells = new List<string> { Markup.Escape($"{folder.Label}/{point}") };
                foreach (var seed in seeds)
                {
                    var run = folder.Runs.SingleOrDefault(r => r.Point == point && r.Seed == seed);
                    if (run is null) { cells.Add("—"); continue; }
                    var step = run.Evaluations.Max(e => e.Step);
                    string Misbehaved(string context) => run.Evaluations.LastOrDefault(e => e.Step == step && e.Rates.Context == context)?.Rates.MisbehaviourRate.ToString("F2") ?? "-";
                    cells.Add($"{Misbehaved("neutral")} / {Misbehaved("bad")} ({step})");
                }
                table.AddRow(cells.ToArray());
            }
        console.Write(table);
    }

    /// <summary>Per pair of points, the hack-rate difference at the last step both reached on a shared seed.</summary>
    static void PrintPaired(IAnsiConsole console, IReadOnlyList<(int Step, Runs.Demo.PairedRow Row)> rows)
    {
        var table = new Table().Title("misbehaviour rate, point minus reference, paired by seed at the last step both reached: mean [[95 % interval]]")
            .AddColumns("point", "reference", "step", "seeds", "neutral eval", "bad eval");
        foreach (var pair in rows.Where(r => r.Row.Metric == "misbehaviour_rate").GroupBy(r => (r.Row.Variant, r.Row.Reference)))
        {
            var step = pair.Max(r => r.Step);
            var last = pair.Where(r => r.Step == step).ToList();
            string Of(string context) => last.SingleOrDefault(r => r.Row.EvalContext == context).Row?.Difference.Describe() ?? "-";
            table.AddRow(Markup.Escape(pair.Key.Variant), Markup.Escape(pair.Key.Reference), $"{step}", $"{last.Max(r => r.Row.Difference.Seeds)}",
                Markup.Escape(Of("neutral")), Markup.Escape(Of("bad")));
        }
        console.Write(table);
    }
}
