using MathNet.Numerics.Distributions;

namespace Recontext.Runs.Demo;

/// <summary>
/// A paired comparison over seeds: every variant of a seed shares the base, the task stream and the evaluation tasks,
/// so the per-seed difference (variant − reference) removes what the seeds share. Mean, standard error and a 95 %
/// interval from Student's t with n − 1 degrees of freedom.
/// </summary>
public sealed record PairedDifference(double Mean, double Se, double Low, double High, int Seeds)
{
    /// <summary>The difference over the seeds both have; null when they share fewer than one.</summary>
    public static PairedDifference? Of(IReadOnlyDictionary<long, double> variant, IReadOnlyDictionary<long, double> reference)
    {
        var diffs = variant.Keys.Where(reference.ContainsKey).Order().Select(s => variant[s] - reference[s]).ToList();
        if (diffs.Count == 0) return null;
        var (mean, se) = DemoRow.MeanSe(diffs);
        double half = diffs.Count > 1 ? T95(diffs.Count - 1) * se : 0;
        return new PairedDifference(mean, se, mean - half, mean + half, diffs.Count);
    }

    /// <summary>How many seeds a paired comparison needs, at this spread of per-seed differences, for its 95 % interval
    /// to be ±<paramref name="halfWidth"/> or narrower (so that a difference that large excludes zero); null with one
    /// seed (no spread to go on), and capped at 1000.</summary>
    public int? SeedsFor(double halfWidth)
    {
        if (Seeds < 2) return null;
        double sd = Se * Math.Sqrt(Seeds);
        for (int n = 2; n <= 1000; n++)
            if (T95(n - 1) * sd / Math.Sqrt(n) <= halfWidth) return n;
        return 1000;
    }

    /// <summary>"+0.03 [-0.09, +0.15]": the mean difference and its 95 % interval, signed, to two decimals.</summary>
    public string Describe() => $"{Signed(Mean)} [{Signed(Low)}, {Signed(High)}]";

    /// <summary>A signed difference to two decimals; "0.00" for one that rounds to zero.</summary>
    public static string Signed(double v) => Math.Round(v, 2) == 0 ? "0.00" : v.ToString("+0.00;-0.00", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The two-sided 95 % quantile of Student's t with <paramref name="df"/> degrees of freedom (MathNet's).</summary>
    public static double T95(int df) => df < 1 ? double.NaN : StudentT.InvCDF(0, 1, df, 0.975);
}
