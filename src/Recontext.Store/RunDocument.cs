namespace Recontext.Store;

/// <summary>A run's record (one seed of an experiment): its resolved config, status, the last step whose state was
/// saved (resume cursor), and its metrics: every step's row and every evaluation's, as in its CSV files.</summary>
public sealed class RunDocument
{
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    public string ConfigJson { get; set; } = "";
    public RunStatus Status { get; set; } = RunStatus.Running;
    public int CompletedStep { get; set; }
    public DateTime UpdatedUtc { get; set; }
    public List<MetricRow> Steps { get; set; } = [];
    public List<MetricRow> Evaluations { get; set; } = [];
}
