using Recontext.Gateway.Dashboard.Catalog;
using Recontext.Gateway.Dashboard.Charts;
using Recontext.Runs.Demo;

namespace Recontext.Gateway.Dashboard.Compare;

/// <summary>Runs side by side, grouped by variant (the run's name: a demo's variants are its runs' names): the demo's
/// table (each variant's final evaluation, mean ± standard error over its seeds, per eval context), what the demo
/// prints beside it — each variant minus standard GRPO and minus the irrelevant-instruction control, paired within
/// base and seed, with its 95 % interval and, over several bases, the spread of bases and of seeds
/// (<see cref="BaseSpread"/>) — and the curves overlaid, one chart per eval context with a band of ± one standard error.</summary>
/// <param name="Bases">the organism bases (pre-training seeds) the runs started from</param>
/// <param name="References">the variants every other is paired with: standard GRPO and the control, where the runs have them</param>
public sealed record Comparison(IReadOnlyList<string> Keys, IReadOnlyList<ComparisonRow> Rows, IReadOnlyList<LineChart> Charts, IReadOnlyList<long> Bases,
    IReadOnlyList<ComparisonReference> References, IReadOnlyList<ComparisonPair> Pairs)
{
    public static Comparison Of(IReadOnlyList<RunDetail> runs)
    {
        var variants = runs.GroupBy(r => r.Run.Name).OrderBy(g => g.Min(r => r.Run.StartedUtc ?? DateTime.MaxValue)).ThenBy(g => g.Key, StringComparer.Ordinal).ToList();
        var contexts = runs.SelectMany(r => r.Evaluations.Select(e => e.Rates.Context)).Distinct().ToList();
        var bases = runs.Select(r => r.Run.BaseSeed).Distinct().Order().ToList();
        var rows = new List<ComparisonRow>();
        foreach (var variant in variants)
            foreach (var context in contexts)
            {
                // Each run's last evaluation under this context (its final one when the run finished).
                var finals = variant.Select(r => Last(r, context)).OfType<Runs.EvaluationRecord>().ToList();
                if (finals.Count == 0) continue;
                var (hack, hackSe) = DemoRow.MeanSe(finals.Select(f => f.Rates.MisbehaviourRate).ToList());
                var (correct, correctSe) = DemoRow.MeanSe(finals.Select(f => f.Rates.CorrectRate).ToList());
                var spread = bases.Count > 1 ? BaseSpread.Summarise(Values(variant, context)) : null;
                rows.Add(new ComparisonRow(variant.Key, variant.First().Run.Variant.Label, context, hack, hackSe, correct, correctSe,
                    finals.Count, finals.Min(f => f.Step), finals.Max(f => f.Step), spread?.BetweenBaseSd, spread?.WithinBaseSd));
            }

        // An evaluation-only run (a demo's base, 0 steps) is configured as neutral → neutral too, and is no reference.
        var references = ComparisonReference.Find(variants.Where(v => v.All(r => r.Run.Steps > 0)).Select(v => (v.Key, v.First().Run.Variant)).ToList());
        var pairs = new List<ComparisonPair>();
        foreach (var reference in references)
        {
            var theirs = variants.Single(v => v.Key == reference.Variant);
            foreach (var variant in variants.Where(v => v.Key != reference.Variant))
                foreach (var context in contexts)
                {
                    var (mine, other) = (LastRates(variant, context), LastRates(theirs, context));
                    // Paired only where both runs of a base and seed were last evaluated at the same step.
                    var differences = mine.Keys.Where(k => other.ContainsKey(k) && other[k].Step == mine[k].Step).ToDictionary(k => (k.Base, k.Seed), k => mine[k].Value - other[k].Value);
                    if (BaseSpread.Summarise(differences) is { } summary) pairs.Add(new ComparisonPair(variant.Key, reference.Variant, context, summary));
                }
        }

        LineChart Overlay(string id, string title, string label, string context, Func<Runs.Evaluation.ContextRates, double> value) => new(id, title, label,
            variants.Select(v =>
            {
                var byStep = v.SelectMany(r => r.Evaluations.Where(e => e.Rates.Context == context)).GroupBy(e => e.Step).OrderBy(g => g.Key)
                    .Select(g => (Step: (double)g.Key, Stats: DemoRow.MeanSe(g.Select(e => value(e.Rates)).ToList()))).ToList();
                return new ChartSeries(v.Key, byStep.Select(p => (p.Step, p.Stats.Mean)).ToList(), byStep.Select(p => p.Stats.Se).ToList());
            }).ToList(), (0, 1));
        var charts = contexts.SelectMany(c => new[]
        {
            Overlay($"hack-rate-{c}", $"Misbehaviour rate under the {c} eval context (mean ± se over seeds)", "misbehaviour rate (fraction of samples)", c, r => r.MisbehaviourRate),
            Overlay($"correct-rate-{c}", $"Correct rate under the {c} eval context (mean ± se over seeds)", "correct rate (fraction of samples)", c, r => r.CorrectRate),
        }).ToList();
        return new Comparison(runs.Select(r => r.Run.Key).ToList(), rows, charts, bases, references, pairs);
    }

    static Runs.EvaluationRecord? Last(RunDetail run, string context) => run.Evaluations.Where(e => e.Rates.Context == context).MaxBy(e => e.Step);

    /// <summary>Each run's last misbehaviour rate under <paramref name="context"/>, by base and seed.</summary>
    static Dictionary<(long Base, long Seed), double> Values(IEnumerable<RunDetail> runs, string context) =>
        LastRates(runs, context).ToDictionary(kv => kv.Key, kv => kv.Value.Value);

    /// <summary>Each run's last evaluated step and misbehaviour rate under <paramref name="context"/>, by base and seed.</summary>
    static Dictionary<(long Base, long Seed), (int Step, double Value)> LastRates(IEnumerable<RunDetail> runs, string context) =>
        runs.Select(r => (Run: r.Run, Last: Last(r, context))).Where(x => x.Last is not null)
            .GroupBy(x => (x.Run.BaseSeed, x.Run.Seed)).ToDictionary(g => g.Key, g => (g.First().Last!.Step, g.First().Last!.Rates.MisbehaviourRate));
}

/// <param name="Variant">the runs' name</param>
/// <param name="Steps">the first and last step of the evaluations averaged (equal when every run finished)</param>
/// <param name="BetweenBaseSd">over several bases: the SD of the bases' mean misbehaviour rates; null with one base</param>
/// <param name="WithinBaseSd">over several bases: the SD of seeds within a base</param>
public sealed record ComparisonRow(string Variant, string Contexts, string EvalContext, double MisbehaviourMean, double MisbehaviourSe, double CorrectMean, double CorrectSe,
    int Seeds, int FirstStep, int LastStep, double? BetweenBaseSd = null, double? WithinBaseSd = null);

/// <summary>A variant's misbehaviour rate minus a reference's under one eval context, paired within base and seed.</summary>
public sealed record ComparisonPair(string Variant, string Reference, string EvalContext, BaseSpread.Summary Difference)
{
    public string Describe() => Difference.Row(Variant, Reference, EvalContext, "misbehaviour_rate").Describe();
}

/// <summary>A variant the others are compared with, and why: standard GRPO (neutral → neutral, nothing else set) or the
/// irrelevant-instruction control (neutral → irrelevant).</summary>
public sealed record ComparisonReference(string Variant, string Role)
{
    /// <summary>The references among the compared variants, by what they vary (not their names: a sweep names its
    /// points freely); of several that qualify, the shortest name.</summary>
    public static IReadOnlyList<ComparisonReference> Find(IReadOnlyList<(string Name, RunVariant Variant)> variants)
    {
        ComparisonReference? Pick(string label, string role) => variants.Where(v => v.Variant.Label == label)
            .OrderBy(v => v.Name.Length).ThenBy(v => v.Name, StringComparer.Ordinal).Select(v => new ComparisonReference(v.Name, role)).FirstOrDefault();
        return new[] { Pick("neutral → neutral", "standard"), Pick("neutral → irrelevant", "control") }.OfType<ComparisonReference>().ToList();
    }
}
