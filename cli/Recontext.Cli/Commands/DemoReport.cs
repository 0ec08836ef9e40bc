using Recontext.Runs;
using Recontext.Runs.Demo;
using Spectre.Console;

namespace Recontext.Cli.Commands;

/// <summary>The demo's tables: per variant, the setting's misbehaviour rate under every eval context (held-out
/// paraphrases included), correct and well-formed rates under neutral and bad, and the paired differences.</summary>
static class DemoReport
{
    public static void Print(IReadOnlyList<DemoRow> rows, IReadOnlyList<DemoVariant> variants, IReadOnlyList<Runs.RunResult> results, DemoOptions options, IAnsiConsole console)
    {
        var misbehaviour = Environments.Settings.Create(options.Setting).Misbehaviour;
        var contexts = rows.Select(r => r.EvalContext).Distinct().ToList();
        var table = new Table().Title(Markup.Escape($"{options.Setting}: final evaluation, mean ± standard error over {options.Seeds} seed(s); " +
                                                    $"misbehaviour = {misbehaviour.Name}"))
            .AddColumns(["variant", .. contexts.Select(c => $"misbehaviour ({c})"), "correct (neutral)", "correct (bad)", "well-formed (neutral)", "train reward (neutral)"]);
        foreach (var variant in variants)
        {
            DemoRow? R(string context) => rows.SingleOrDefault(r => r.Variant == variant.Name && r.EvalContext == context);
            string Rate(DemoRow? r, Func<DemoRow, (double, double)> f) => r is null ? "-" : $"{f(r).Item1:F2} ± {f(r).Item2:F2}";
            var n = R("neutral");
            var b = R("bad");
            table.AddRow([Markup.Escape(variant.Name), .. contexts.Select(c => Rate(R(c), r => (r.MisbehaviourMean, r.MisbehaviourSe))),
                Rate(n, r => (r.CorrectMean, r.CorrectSe)), Rate(b, r => (r.CorrectMean, r.CorrectSe)),
                n is null ? "-" : $"{n.WellFormedMean:F2}", n is null ? "-" : $"{n.TrainRewardMean:F2}"]);
        }
        console.Write(table);
        PrintDetector(rows, variants, contexts, misbehaviour.Key, console);
        var standard = rows.SingleOrDefault(r => r.Variant == "neutral->neutral" && r.EvalContext == "neutral");
        var base0 = rows.SingleOrDefault(r => r.Variant == "base" && r.EvalContext == "neutral");
        if (standard is not null && base0 is not null)
            console.WriteLine($"standard GRPO moved the neutral-eval misbehaviour rate ({misbehaviour.Name}) by " +
                              $"{100 * (standard.MisbehaviourMean - base0.MisbehaviourMean):+0.0;-0.0} points (base {base0.MisbehaviourMean:F2} -> {standard.MisbehaviourMean:F2})");
        PrintPaired(results, contexts, console);
        if (StepTiming.Describe(results.SelectMany(r => r.Steps).ToList()) is string timing) console.WriteLine(timing);
    }

    /// <summary>Where a detector read every completion: per eval context, the misbehaviour rate, the share the detector
    /// flagged and the evasion rate (misbehaved and not flagged).</summary>
    static void PrintDetector(IReadOnlyList<DemoRow> rows, IReadOnlyList<DemoVariant> variants, IReadOnlyList<string> contexts, string misbehaviour, IAnsiConsole console)
    {
        if (!rows.Any(r => r.EvasionMean is not null)) return;
        string[] shown = [.. new[] { "neutral", "good", "bad" }.Where(contexts.Contains)];
        var table = new Table().Title(Markup.Escape($"detector: {misbehaviour} / detected / evasion (misbehaved and not flagged), mean over seeds"))
            .AddColumns(["variant", .. shown.Select(c => $"{c} eval")]);
        foreach (var variant in variants)
            table.AddRow([Markup.Escape(variant.Name), .. shown.Select(c => rows.SingleOrDefault(r => r.Variant == variant.Name && r.EvalContext == c) is { EvasionMean: { } e } r
                ? $"{r.MisbehaviourMean:F2} / {r.DetectedMean:F2} / {e:F2}" : "-")]);
        console.Write(table);
    }

    /// <summary>Each variant minus standard GRPO and minus the irrelevant-instruction control, seed by seed (every
    /// variant of a seed shares the base, the task stream and the eval tasks): mean and 95 % interval (paired.csv).</summary>
    static void PrintPaired(IReadOnlyList<Runs.RunResult> results, IReadOnlyList<string> contexts, IAnsiConsole console)
    {
        var paired = PairedRow.Of(results.Select(r => (r.Config.Name, r.Config.Seed, r.Final)).ToList(), ["neutral->neutral", "neutral->irrelevant"]);
        if (paired.Count == 0) return;
        string[] shown = [.. new[] { "neutral", "bad", "bad-heldout" }.Where(contexts.Contains)];
        var references = new[] { ("neutral->neutral", "standard"), ("neutral->irrelevant", "irrelevant control") };
        var table = new Table().Title("paired misbehaviour-rate differences, seed by seed: mean [[95 % interval]]")
            .AddColumns(["variant", .. references.SelectMany(r => shown.Select(c => $"− {r.Item2} ({c} eval)"))]);
        string Cell(string variant, string reference, string context) =>
            paired.SingleOrDefault(p => p.Variant == variant && p.Reference == reference && p.EvalContext == context && p.Metric == "misbehaviour_rate")?.Difference is { } d
                ? Markup.Escape(d.Describe()) : "-";
        foreach (var variant in paired.Select(p => p.Variant).Distinct())
            table.AddRow([Markup.Escape(variant), .. references.SelectMany(r => shown.Select(c => Cell(variant, r.Item1, c)))]);
        console.Write(table);
    }

    /// <summary>The demo on several bases: each variant's misbehaviour rate per base (mean over its seeds), then each
    /// variant against standard GRPO and the control with the base as the unit, beside the spread of bases and seeds.</summary>
    /// <param name="references">the variants every other is compared with, and what to call them in the headers</param>
    public static void PrintBases(IReadOnlyList<BaseSpreadRow> spread, IReadOnlyList<Runs.RunResult> results, IReadOnlyList<DemoVariant> variants,
        IReadOnlyList<(string Variant, string Label)> references, IAnsiConsole console)
    {
        var baseSeeds = results.Select(r => r.Config.Base.Seed).Distinct().Order().ToList();
        string[] shown = [.. new[] { "neutral", "bad" }.Where(c => spread.Any(r => r.EvalContext == c))];
        var perBase = new Table().Title("misbehaviour rate per base (pre-training seed), mean over its seeds")
            .AddColumns(["variant", .. baseSeeds.SelectMany(b => shown.Select(c => $"base {b} ({c})")), .. shown.Select(c => $"between-base SD ({c})"), .. shown.Select(c => $"within-base seed SD ({c})")]);
        foreach (var variant in variants)
        {
            string Mean(long b, string context) => results.Where(r => r.Config.Name == variant.Name && r.Config.Base.Seed == b)
                .SelectMany(r => r.Final.Where(e => e.Rates.Context == context)).Select(e => e.Rates.MisbehaviourRate).DefaultIfEmpty(double.NaN).Average() is var m && double.IsFinite(m) ? $"{m:F2}" : "-";
            BaseSpreadRow? Rate(string context) => spread.SingleOrDefault(r => r.Variant == variant.Name && r.Reference is null && r.EvalContext == context && r.Metric == "misbehaviour_rate");
            perBase.AddRow([Markup.Escape(variant.Name), .. baseSeeds.SelectMany(b => shown.Select(c => Mean(b, c))),
                .. shown.Select(c => Rate(c)?.BetweenBaseSd is double sd ? $"{sd:F2}" : "-"), .. shown.Select(c => Rate(c)?.WithinBaseSd is double sd ? $"{sd:F2}" : "-")]);
        }
        console.Write(perBase);

        var paired = new Table().Title(Markup.Escape($"misbehaviour-rate differences paired within base and seed, {baseSeeds.Count} bases: mean [95 % interval over bases]; " +
                                                     "SD of bases' means / SD of seeds within a base / base's share of the variance; [interval treating every base × seed as independent]"))
            .AddColumns(["variant", .. references.SelectMany(r => shown.Select(c => $"− {r.Label} ({c} eval)"))]);
        // Every variant but the base and the first reference (the others are compared with it).
        foreach (var variant in variants.Where(v => !v.IsBase && v.Name != references[0].Variant))
        {
            string Cell(string reference, string context) =>
                spread.SingleOrDefault(r => r.Variant == variant.Name && r.Reference == reference && r.EvalContext == context && r.Metric == "misbehaviour_rate") is { } row
                    ? Markup.Escape($"{row.Describe()}\n{Sd(row.BetweenBaseSd)} / {Sd(row.WithinBaseSd)} / {(row.BaseVarianceShare is double share ? $"{share:P0}" : "-")}\n" +
                                    $"[{PairedDifference.Signed(row.PooledLow)}, {PairedDifference.Signed(row.PooledHigh)}]")
                    : "-";
            paired.AddRow([Markup.Escape(variant.Name), .. references.SelectMany(r => shown.Select(c => Cell(r.Variant, c)))]);
        }
        console.Write(paired);
    }

    static string Sd(double? sd) => sd is double v ? $"{v:F2}" : "-";
}
