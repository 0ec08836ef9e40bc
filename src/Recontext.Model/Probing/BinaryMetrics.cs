namespace Recontext.Model.Probing;

/// <summary>How well scores separate positives (label true) from negatives: AUROC, and the rates of a threshold
/// (a score at or above it flags).</summary>
public static class BinaryMetrics
{
    /// <summary>The area under the ROC curve: the chance that a random positive scores above a random negative, ties
    /// counting half (the Mann–Whitney statistic over its maximum).</summary>
    /// <exception cref="ArgumentException">no positives or no negatives</exception>
    public static double Auroc(IReadOnlyList<double> scores, IReadOnlyList<bool> labels)
    {
        var (positives, negatives) = Count(scores, labels);
        // Average ranks over ties, then the rank sum of the positives.
        var order = Enumerable.Range(0, scores.Count).OrderBy(i => scores[i]).ToArray();
        double positiveRanks = 0;
        for (int start = 0; start < order.Length;)
        {
            int end = start;
            while (end + 1 < order.Length && scores[order[end + 1]] == scores[order[start]]) end++;
            double rank = (start + end) / 2.0 + 1;
            for (int k = start; k <= end; k++)
                if (labels[order[k]]) positiveRanks += rank;
            start = end + 1;
        }
        return (positiveRanks - positives * (positives + 1) / 2.0) / ((double)positives * negatives);
    }

    /// <summary>The true- and false-positive rates of flagging every score at or above <paramref name="threshold"/>.</summary>
    public static (double Tpr, double Fpr) Rates(IReadOnlyList<double> scores, IReadOnlyList<bool> labels, double threshold)
    {
        var (positives, negatives) = Count(scores, labels);
        int tp = 0, fp = 0;
        for (int i = 0; i < scores.Count; i++)
            if (scores[i] >= threshold)
            {
                if (labels[i]) tp++;
                else fp++;
            }
        return ((double)tp / positives, (double)fp / negatives);
    }

    /// <summary>The highest threshold that flags at least <paramref name="targetTpr"/> of the positives (the k-th highest
    /// positive score, k = ⌈target × positives⌉): the least flagging of negatives that reaches the target.</summary>
    public static double ThresholdForTpr(IReadOnlyList<double> scores, IReadOnlyList<bool> labels, double targetTpr)
    {
        if (targetTpr is <= 0 or > 1 || double.IsNaN(targetTpr)) throw new ArgumentException($"targetTpr must be in (0, 1], got {targetTpr}");
        var (positives, _) = Count(scores, labels);
        var descending = Enumerable.Range(0, scores.Count).Where(i => labels[i]).Select(i => scores[i]).OrderDescending().ToArray();
        int k = Math.Max(1, (int)Math.Ceiling(targetTpr * positives - 1e-9));
        return descending[k - 1];
    }

    static (int Positives, int Negatives) Count(IReadOnlyList<double> scores, IReadOnlyList<bool> labels)
    {
        if (scores.Count != labels.Count) throw new ArgumentException($"need a label per score, got {scores.Count} scores and {labels.Count} labels");
        int positives = labels.Count(l => l), negatives = labels.Count - positives;
        if (positives == 0 || negatives == 0)
            throw new ArgumentException($"the labels hold one class only ({positives} positive, {negatives} negative): a detector needs both");
        return (positives, negatives);
    }
}
