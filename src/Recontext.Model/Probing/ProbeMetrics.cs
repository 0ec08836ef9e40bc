namespace Recontext.Model.Probing;

/// <summary>A probe's quality on one split at its threshold.</summary>
public sealed record ProbeMetrics(double Auroc, double Tpr, double Fpr, int Positives, int Negatives)
{
    public static ProbeMetrics Of(IReadOnlyList<double> scores, IReadOnlyList<bool> labels, double threshold)
    {
        var (tpr, fpr) = BinaryMetrics.Rates(scores, labels, threshold);
        int positives = labels.Count(l => l);
        return new ProbeMetrics(BinaryMetrics.Auroc(scores, labels), tpr, fpr, positives, labels.Count - positives);
    }
}

/// <summary>One (layer, pooling, λ) the selection tried, with its validation AUROC.</summary>
public sealed record ProbeCandidate(int Layer, ActivationPooling Pooling, double Lambda, double ValidationAuroc);

/// <summary>Scores with their labels: what a threshold is chosen on and measured against.</summary>
public sealed record ScoredLabels(IReadOnlyList<double> Scores, IReadOnlyList<bool> Labels);
