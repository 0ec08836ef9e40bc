using Recontext.Gateway.Dashboard.Catalog;
using Recontext.Gateway.Dashboard.Charts;
using Recontext.Runs.Demo;

namespace Recontext.Gateway.Dashboard.Compare;

/// <summary>Runs side by side, grouped by variant (the run's name: a demo's variants are its runs' names): the demo's
/// table (each variant's final evaluation, mean ± standard error over its seeds, per eval context) and its curves
/// overlaid, one chart per eval context with a band of ± one standard error.</summary>
public sealed record Comparison(IReadOnlyList<string> Keys, IReadOnlyList<ComparisonRow> Rows, IReadOnlyList<LineChart> Charts)
{
    public static Comparison Of(IReadOnlyList<RunDetail> runs)
    {
        var variants = runs.GroupBy(r => r.Run.Name).OrderBy(g => g.Min(r => r.Run.StartedUtc ?? DateTime.MaxValue)).ThenBy(g => g.Key, StringComparer.Ordinal).ToList();
        var contexts = runs.SelectMany(r => r.Evaluations.Select(e => e.Rates.Context)).Distinct().ToList();
        var rows = new List<ComparisonRow>();
        foreach (var variant in variants)
            foreach (var context in contexts)
            {
                // Each run's last evaluation under this context (its final one when the run finished).
                var finals = variant.Select(r => r.Evaluations.Where(e => e.Rates.Context == context).MaxBy(e => e.Step)).OfType<Runs.EvaluationRecord>().ToList();
                if (finals.Count == 0) continue;
                var (hack, hackSe) = DemoRow.MeanSe(finals.Select(f => f.Rates.MisbehaviourRate).ToList());
                var (correct, correctSe) = DemoRow.MeanSe(finals.Select(f => f.Rates.CorrectRate).ToList());
                rows.Add(new ComparisonRow(variant.Key, variant.First().Run.Variant.Label, context, hack, hackSe, correct, correctSe,
                    finals.Count, finals.Min(f => f.Step), finals.Max(f => f.Step)));
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
        return new Comparison(runs.Select(r => r.Run.Key).ToList(), rows, charts);
    }
}

/// <param name="Variant">the runs' name</param>
/// <param name="Steps">the first and last step of the evaluations averaged (equal when every run finished)</param>
public sealed record ComparisonRow(string Variant, string Contexts, string EvalContext, double MisbehaviourMean, double MisbehaviourSe, double CorrectMean, double CorrectSe,
    int Seeds, int FirstStep, int LastStep);
