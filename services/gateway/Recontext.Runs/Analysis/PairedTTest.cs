using MathNet.Numerics.Distributions;

namespace Recontext.Runs.Analysis;

/// <summary>A two-sided paired t test on per-seed differences (variant − reference), with its 95 % interval; the
/// distribution is MathNet's Student t, so any number of seeds gets its exact quantile.</summary>
public sealed record PairedTTest(double Mean, double Se, double T, int Df, double P, double Low, double High, int Seeds)
{
    /// <returns>null with fewer than two differences (no spread to test against)</returns>
    public static PairedTTest? Of(IReadOnlyList<double> differences)
    {
        int n = differences.Count;
        if (n < 2) return null;
        var (mean, se) = Demo.DemoRow.MeanSe(differences);
        int df = n - 1;
        double half = Demo.PairedDifference.T95(df) * se;
        if (se == 0) return new PairedTTest(mean, 0, mean == 0 ? 0 : double.PositiveInfinity * Math.Sign(mean), df, mean == 0 ? 1 : 0, mean, mean, n);
        double t = mean / se;
        double p = 2 * StudentT.CDF(0, 1, df, -Math.Abs(t));
        return new PairedTTest(mean, se, t, df, p, mean - half, mean + half, n);
    }
}
