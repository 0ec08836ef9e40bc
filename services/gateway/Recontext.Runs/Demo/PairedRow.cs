using System.Globalization;

namespace Recontext.Runs.Demo;

/// <summary>One row of paired.csv: a variant's final rate under one eval context minus a reference variant's, seed by
/// seed (<see cref="PairedDifference"/>).</summary>
public sealed record PairedRow(string Variant, string Reference, string EvalContext, string Metric, PairedDifference Difference)
{
    /// <summary>seeds_for_10pt: the seeds a paired 95 % interval of ±0.10 needs at this spread (<see cref="PairedDifference.SeedsFor"/>).</summary>
    public const string Header = "variant,reference,eval_context,metric,diff_mean,diff_se,ci95_low,ci95_high,seeds,seeds_for_10pt";

    public string ToCsv() => string.Join(",", Csv(Variant), Csv(Reference), EvalContext, Metric, F(Difference.Mean), F(Difference.Se), F(Difference.Low),
        F(Difference.High), Difference.Seeds, Difference.SeedsFor(0.10)?.ToString(CultureInfo.InvariantCulture) ?? "");

    static string F(double v) => v.ToString("0.####", CultureInfo.InvariantCulture);

    /// <summary>A CSV field: quoted when it holds a comma or a quote (a sweep point's name does).</summary>
    public static string Csv(string text) => text.Contains(',') || text.Contains('"') ? $"\"{text.Replace("\"", "\"\"")}\"" : text;

    /// <summary>paired-steps.csv's header: the evaluation step, then <see cref="Header"/>.</summary>
    public const string StepsHeader = "step," + Header;

    /// <summary>The comparisons of <see cref="Of"/> at every evaluation step (a run lacking a step leaves its seed out
    /// of that step's pairs).</summary>
    /// <param name="evaluations">each run's variant, seed and every evaluation</param>
    public static IReadOnlyList<(int Step, PairedRow Row)> AtEachStep(IReadOnlyList<(string Variant, long Seed, IReadOnlyList<EvaluationRecord> Evaluations)> evaluations,
                                                                     IReadOnlyList<string> references) =>
        evaluations.SelectMany(r => r.Evaluations.Select(e => e.Step)).Distinct().Order()
            .SelectMany(step => Of(evaluations.Select(r => (r.Variant, r.Seed, (IReadOnlyList<EvaluationRecord>)r.Evaluations.Where(e => e.Step == step).ToList())).ToList(), references)
                .Select(row => (step, row)))
            .ToList();

    /// <summary>The rates compared; the detector's only where both runs had one.</summary>
    public static readonly IReadOnlyList<(string Name, Func<Evaluation.ContextRates, double?> Select)> Metrics =
    [
        ("misbehaviour_rate", r => r.MisbehaviourRate), ("correct_rate", r => r.CorrectRate), ("detected_rate", r => r.DetectedRate), ("evasion_rate", r => r.EvasionRate),
    ];

    /// <summary>Every variant against each reference, under every eval context, for the misbehaviour and correct rates (and the
    /// detector's detected and evasion rates where runs had a detector).</summary>
    /// <param name="finals">each run's variant, seed and final evaluation</param>
    public static IReadOnlyList<PairedRow> Of(IReadOnlyList<(string Variant, long Seed, IReadOnlyList<EvaluationRecord> Final)> finals, IReadOnlyList<string> references)
    {
        var rows = new List<PairedRow>();
        var variants = finals.Select(f => f.Variant).Distinct().ToList();
        var contexts = finals.SelectMany(f => f.Final.Select(e => e.Rates.Context)).Distinct().ToList();
        foreach (var reference in references.Where(variants.Contains))
            foreach (var variant in variants.Where(v => v != reference))
                foreach (var context in contexts)
                    foreach (var (metric, select) in Metrics)
                    {
                        IReadOnlyDictionary<long, double> Rates(string name) => finals.Where(f => f.Variant == name)
                            .SelectMany(f => f.Final.Where(e => e.Rates.Context == context && select(e.Rates) is not null).Select(e => (f.Seed, Rate: select(e.Rates)!.Value)))
                            .ToDictionary(x => x.Seed, x => x.Rate);
                        if (PairedDifference.Of(Rates(variant), Rates(reference)) is { } difference) rows.Add(new PairedRow(variant, reference, context, metric, difference));
                    }
        return rows;
    }
}
