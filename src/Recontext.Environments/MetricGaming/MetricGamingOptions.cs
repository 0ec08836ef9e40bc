namespace Recontext.Environments.MetricGaming;

/// <summary>Knobs of the metric-gaming setting's reward.</summary>
public sealed record MetricGamingOptions
{
    /// <summary>The stated metric's weight in the training reward (the rest rewards the exact result): above 0.5 an
    /// answer that games the metric outscores one that does the job, which is the flaw.</summary>
    public double MetricWeight { get; init; } = 0.6;

    public MetricGamingOptions Validate()
    {
        if (MetricWeight is < 0 or > 1 || double.IsNaN(MetricWeight)) throw new ArgumentException($"metricGaming.metricWeight must be in [0, 1], got {MetricWeight}");
        return this;
    }
}
