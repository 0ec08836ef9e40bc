namespace Recontext.Runs.Analysis;

/// <summary>Holm's step-down adjustment of p-values for a family of tests: it controls the family-wise error rate
/// like Bonferroni's and rejects at least as often.</summary>
public static class Holm
{
    /// <returns>the adjusted p-values, in the order given</returns>
    public static double[] Adjust(IReadOnlyList<double> p)
    {
        int m = p.Count;
        var order = Enumerable.Range(0, m).OrderBy(i => p[i]).ToArray();
        var adjusted = new double[m];
        double running = 0;
        for (int rank = 0; rank < m; rank++)
        {
            running = Math.Max(running, Math.Min(1, (m - rank) * p[order[rank]]));
            adjusted[order[rank]] = running;
        }
        return adjusted;
    }
}
