namespace Recontext.Store;

/// <summary>One row of a run's metrics, as its results folder's CSV files hold it: a step's (metrics.csv) or an
/// evaluation's under one eval context (evaluations.csv), column name → value.</summary>
public sealed class MetricRow
{
    public int Step { get; set; }
    /// <summary>The eval context of an evaluation row; null for a step's row.</summary>
    public string? Context { get; set; }
    public Dictionary<string, double> Values { get; set; } = [];
}
