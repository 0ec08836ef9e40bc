namespace Recontext.Runs.Demo;

/// <summary>
/// Bases as a source of variance: the demo run on several bases, each pre-trained from its own seed, gives a nested
/// design (seeds within bases). Every comparison is paired within a base and seed (the variants of a seed share its
/// base, task stream and eval tasks), and then summarised with the base as the unit, so an effect that one base shows
/// and another does not gets the wide interval it deserves.
/// </summary>
public static class BaseSpread
{
    public const string File = "bases.csv";

    /// <summary>One run's final evaluation, with the base (its pre-training seed) it started from.</summary>
    public sealed record Final(long BaseSeed, string Variant, long Seed, IReadOnlyList<EvaluationRecord> Evaluations);

    /// <summary>Every variant's rates, and every variant against each reference, under every eval context.</summary>
    public static IReadOnlyList<BaseSpreadRow> Of(IReadOnlyList<Final> finals, IReadOnlyList<string> references)
    {
        var rows = new List<BaseSpreadRow>();
        var variants = finals.Select(f => f.Variant).Distinct().ToList();
        var contexts = finals.SelectMany(f => f.Evaluations.Select(e => e.Rates.Context)).Distinct().ToList();
        foreach (var (metric, select) in PairedRow.Metrics)
            foreach (var context in contexts)
            {
                IReadOnlyDictionary<(long Base, long Seed), double> Values(string variant) => finals.Where(f => f.Variant == variant)
                    .SelectMany(f => f.Evaluations.Where(e => e.Rates.Context == context && select(e.Rates) is not null).Select(e => (Key: (f.BaseSeed, f.Seed), Value: select(e.Rates)!.Value)))
                    .ToDictionary(x => x.Key, x => x.Value);
                foreach (var variant in variants)
                {
                    if (Summarise(Values(variant)) is { } rate) rows.Add(rate.Row(variant, null, context, metric));
                    foreach (var reference in references.Where(r => r != variant && variants.Contains(r)))
                    {
                        var (mine, theirs) = (Values(variant), Values(reference));
                        var differences = mine.Keys.Where(theirs.ContainsKey).ToDictionary(k => k, k => mine[k] - theirs[k]);
                        if (Summarise(differences) is { } difference) rows.Add(difference.Row(variant, reference, context, metric));
                    }
                }
            }
        return rows;
    }

    /// <summary>The nested summary of values keyed by (base, seed); null for none.</summary>
    public static Summary? Summarise(IReadOnlyDictionary<(long Base, long Seed), double> values)
    {
        if (values.Count == 0) return null;
        var bases = values.GroupBy(kv => kv.Key.Base).Select(g => g.Select(kv => kv.Value).ToList()).ToList();
        var baseStats = bases.Select(b => DemoRow.MeanSe(b)).ToList();
        var (grand, grandSe) = DemoRow.MeanSe(baseStats.Select(b => b.Mean).ToList());
        double? between = bases.Count > 1 ? grandSe * Math.Sqrt(bases.Count) : null;
        int withinDf = bases.Sum(b => b.Count - 1);
        double? within = withinDf > 0 ? Math.Sqrt(bases.Select((b, k) => b.Sum(v => (v - baseStats[k].Mean) * (v - baseStats[k].Mean))).Sum() / withinDf) : null;
        double? share = null;
        if (between is double sb && within is double sw)
        {
            double perBase = bases.Average(b => b.Count);
            double baseVariance = Math.Max(0, sb * sb - sw * sw / perBase);
            share = baseVariance + sw * sw > 0 ? baseVariance / (baseVariance + sw * sw) : 0;
        }
        // With one base the interval can only be over its seeds (as paired.csv's).
        var (low, high) = bases.Count > 1 ? Interval(grand, grandSe, bases.Count) : Interval(grand, baseStats[0].Se, bases[0].Count);
        var all = values.Values.ToList();
        var (pooled, pooledSe) = DemoRow.MeanSe(all);
        var (pooledLow, pooledHigh) = Interval(pooled, pooledSe, all.Count);
        return new Summary(grand, low, high, bases.Count, all.Count, between, within, share, pooledLow, pooledHigh);
    }

    public sealed record Summary(double Mean, double Low, double High, int Bases, int Units, double? BetweenBaseSd, double? WithinBaseSd, double? BaseVarianceShare,
        double PooledLow, double PooledHigh)
    {
        public BaseSpreadRow Row(string variant, string? reference, string context, string metric) =>
            new(variant, reference, context, metric, Mean, Low, High, Bases, Units, BetweenBaseSd, WithinBaseSd, BaseVarianceShare, PooledLow, PooledHigh);
    }

    /// <summary>The 95 % t interval of a mean with standard error <paramref name="se"/> over <paramref name="n"/> values.</summary>
    static (double Low, double High) Interval(double mean, double se, int n)
    {
        double half = n > 1 ? PairedDifference.T95(n - 1) * se : 0;
        return (mean - half, mean + half);
    }

    /// <summary>Writes bases.csv in <paramref name="folder"/>.</summary>
    public static async Task WriteAsync(string folder, IReadOnlyList<BaseSpreadRow> rows, CancellationToken cancellation = default)
    {
        Directory.CreateDirectory(folder);
        await System.IO.File.WriteAllLinesAsync(Path.Combine(folder, File), [BaseSpreadRow.Header, .. rows.Select(r => r.ToCsv())], cancellation);
    }
}
