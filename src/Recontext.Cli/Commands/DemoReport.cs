using Recontext.Runs;
using Recontext.Runs.Demo;
using Spectre.Console;

namespace Recontext.Cli.Commands;

/// <summary>The demo's table: per variant, hack / correct / well-formed rates under neutral and bad eval contexts.</summary>
static class DemoReport
{
    public static void Print(IReadOnlyList<DemoRow> rows, IReadOnlyList<DemoVariant> variants, IReadOnlyList<Runs.RunResult> results, DemoOptions options, IAnsiConsole console)
    {
        var table = new Table().Title($"final evaluation, mean ± standard error over {options.Seeds} seed(s)")
            .AddColumns("variant", "hack (neutral)", "hack (bad)", "correct (neutral)", "correct (bad)", "well-formed (neutral)", "well-formed (bad)", "train reward (neutral)");
        foreach (var variant in variants)
        {
            DemoRow? R(string context) => rows.SingleOrDefault(r => r.Variant == variant.Name && r.EvalContext == context);
            string Rate(DemoRow? r, Func<DemoRow, (double, double)> f) => r is null ? "-" : $"{f(r).Item1:F2} ± {f(r).Item2:F2}";
            var n = R("neutral");
            var b = R("bad");
            table.AddRow(variant.Name, Rate(n, r => (r.HackMean, r.HackSe)), Rate(b, r => (r.HackMean, r.HackSe)),
                Rate(n, r => (r.CorrectMean, r.CorrectSe)), Rate(b, r => (r.CorrectMean, r.CorrectSe)),
                n is null ? "-" : $"{n.WellFormedMean:F2}", b is null ? "-" : $"{b.WellFormedMean:F2}", n is null ? "-" : $"{n.TrainRewardMean:F2}");
        }
        console.Write(table);
        var standard = rows.SingleOrDefault(r => r.Variant == "neutral->neutral" && r.EvalContext == "neutral");
        var base0 = rows.SingleOrDefault(r => r.Variant == "base" && r.EvalContext == "neutral");
        if (standard is not null && base0 is not null)
            console.WriteLine($"standard GRPO moved neutral-eval hacking by {100 * (standard.HackMean - base0.HackMean):+0.0;-0.0} points (base {base0.HackMean:F2} -> {standard.HackMean:F2})");
        PrintPaired(results, console);
        if (StepTiming.Describe(results.SelectMany(r => r.Steps).ToList()) is string timing) console.WriteLine(timing);
    }

    /// <summary>Each variant minus standard GRPO and minus the irrelevant-instruction control, seed by seed (every
    /// variant of a seed shares the base, the task stream and the eval tasks): mean and 95 % interval (paired.csv).</summary>
    static void PrintPaired(IReadOnlyList<Runs.RunResult> results, IAnsiConsole console)
    {
        var paired = PairedRow.Of(results.Select(r => (r.Config.Name, r.Config.Seed, r.Final)).ToList(), ["neutral->neutral", "neutral->irrelevant"]);
        if (paired.Count == 0) return;
        var table = new Table().Title("paired hack-rate differences, seed by seed: mean [[95 % interval]]")
            .AddColumns("variant", "− standard (neutral eval)", "− standard (bad eval)", "− irrelevant control (neutral eval)", "− irrelevant control (bad eval)");
        string Cell(string variant, string reference, string context) =>
            paired.SingleOrDefault(p => p.Variant == variant && p.Reference == reference && p.EvalContext == context && p.Metric == "hack_rate")?.Difference is { } d
                ? Markup.Escape(d.Describe()) : "-";
        foreach (var variant in paired.Select(p => p.Variant).Distinct())
            table.AddRow(Markup.Escape(variant), Cell(variant, "neutral->neutral", "neutral"), Cell(variant, "neutral->neutral", "bad"),
                Cell(variant, "neutral->irrelevant", "neutral"), Cell(variant, "neutral->irrelevant", "bad"));
        console.Write(table);
    }
}
