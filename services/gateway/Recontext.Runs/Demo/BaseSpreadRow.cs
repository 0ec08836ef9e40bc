using System.Globalization;

namespace Recontext.Runs.Demo;

/// <summary>
/// One row of bases.csv: a variant's final rate (or, with a <see cref="Reference"/>, its difference from the reference
/// within each base and seed) over several pre-trained bases. <see cref="Mean"/> and its 95 % interval take the base as
/// the unit (t with bases − 1 degrees of freedom over the bases' means): what a new base would give. Beside it the
/// spread of the bases' means, the spread of seeds within a base, the share of the variance the base accounts for,
/// and the interval one gets by treating every (base, seed) as independent, which understates the uncertainty when
/// the bases differ.
/// </summary>
/// <param name="Reference">null for the rate itself; else the variant the difference is taken from</param>
/// <param name="Units">(base, seed) pairs in the row</param>
/// <param name="BaseVarianceShare">σ²_base / (σ²_base + σ²_seed) from the one-way random-effects decomposition
/// (σ²_base = max(0, var(base means) − σ²_seed / seeds per base)); null with one base or one seed per base</param>
public sealed record BaseSpreadRow(string Variant, string? Reference, string EvalContext, string Metric, double Mean, double Low, double High, int Bases, int Units,
    double? BetweenBaseSd, double? WithinBaseSd, double? BaseVarianceShare, double PooledLow, double PooledHigh)
{
    public const string Header = "variant,reference,eval_context,metric,mean,ci95_low,ci95_high,bases,units,between_base_sd,within_base_sd,base_variance_share," +
                                 "pooled_ci95_low,pooled_ci95_high";

    public string ToCsv() => string.Join(",", PairedRow.Csv(Variant), Reference is null ? "" : PairedRow.Csv(Reference), EvalContext, Metric, F(Mean), F(Low), F(High),
        Bases, Units, F(BetweenBaseSd), F(WithinBaseSd), F(BaseVarianceShare), F(PooledLow), F(PooledHigh));

    static string F(double? v) => v is double d && double.IsFinite(d) ? d.ToString("0.####", CultureInfo.InvariantCulture) : "";

    /// <summary>"−0.12 [−0.30, +0.05]" for the base-level interval.</summary>
    public string Describe() => $"{PairedDifference.Signed(Mean)} [{PairedDifference.Signed(Low)}, {PairedDifference.Signed(High)}]";
}
