using System.Globalization;
using Recontext.Runs.Sweeps;

namespace Recontext.Runs.Analysis;

/// <summary>Runs a pre-registered <see cref="AnalysisPlan"/> on a sweep or demo folder: the primary endpoints, tested
/// and adjusted together; and, labelled exploratory, every other point against the plan's references under every eval
/// context the folder has (unadjusted).</summary>
public static class PlanAnalysis
{
    /// <param name="AdjustedP">Holm-adjusted (or, with no correction, the raw p); null without a test</param>
    /// <param name="Holds">the adjusted p is under the plan's alpha</param>
    public sealed record Primary(AnalysisPlan.Endpoint Endpoint, PairedTTest? Test, double? AdjustedP, bool Holds);

    public sealed record Exploratory(string Variant, string Reference, string EvalContext, PairedTTest? Test);

    public sealed record Result(AnalysisPlan Plan, IReadOnlyList<Primary> Endpoints, IReadOnlyList<Exploratory> Others);

    /// <exception cref="ArgumentException">an endpoint names a point the folder does not hold</exception>
    public static Result Run(AnalysisPlan plan, SweepFolder folder)
    {
        var points = folder.Points;
        foreach (var name in plan.Endpoints.SelectMany(e => new[] { e.Variant, e.Reference }).Distinct())
            if (!points.Contains(name)) throw new ArgumentException($"{folder.Directory} has no point '{name}'; its points: {string.Join(", ", points)}");
        var column = EvaluationRecord.Table.Columns.Single(c => c.Name == plan.Metric);

        PairedTTest? Test(string variant, string reference, string context)
        {
            var a = Values(folder, variant, context, plan.Step, column);
            var b = Values(folder, reference, context, plan.Step, column);
            return PairedTTest.Of(a.Keys.Where(b.ContainsKey).Order().Select(s => a[s] - b[s]).ToList());
        }

        var tests = plan.Endpoints.Select(e => Test(e.Variant, e.Reference, e.EvalContext)).ToList();
        var tested = tests.Select((t, i) => (t, i)).Where(x => x.t is not null).ToList();
        var adjusted = plan.Correction == AnalysisPlan.PlanCorrection.Holm ? Holm.Adjust(tested.Select(x => x.t!.P).ToList()) : tested.Select(x => x.t!.P).ToArray();
        var adjustedByIndex = tested.Select((x, k) => (x.i, adjusted[k])).ToDictionary(x => x.i, x => x.Item2);
        var primary = plan.Endpoints.Select((e, i) => new Primary(e, tests[i], adjustedByIndex.TryGetValue(i, out var p) ? p : null,
            adjustedByIndex.TryGetValue(i, out var q) && q < plan.Alpha)).ToList();

        var contexts = folder.Runs.SelectMany(r => r.Evaluations.Select(e => e.Rates.Context)).Distinct().ToList();
        var planned = plan.Endpoints.Select(e => (e.Variant, e.Reference, e.EvalContext)).ToHashSet();
        var others = (from reference in plan.Endpoints.Select(e => e.Reference).Distinct()
                      from variant in points
                      where variant != reference
                      from context in contexts
                      where !planned.Contains((variant, reference, context))
                      select new Exploratory(variant, reference, context, Test(variant, reference, context))).ToList();
        return new Result(plan, primary, others);
    }

    /// <summary>Each seed's value of the metric for a point under an eval context, at the plan's step or at the run's
    /// last evaluation.</summary>
    static Dictionary<long, double> Values(SweepFolder folder, string point, string context, int? step, CsvColumn<EvaluationRecord> column)
    {
        var values = new Dictionary<long, double>();
        foreach (var run in folder.Runs.Where(r => r.Point == point))
        {
            var at = step ?? run.Evaluations.Max(e => e.Step);
            var record = run.Evaluations.LastOrDefault(e => e.Step == at && e.Rates.Context == context);
            if (record is not null && double.TryParse(column.Write(record), NumberStyles.Float, CultureInfo.InvariantCulture, out var value)) values[run.Seed] = value;
        }
        return values;
    }
}
