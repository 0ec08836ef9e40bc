namespace Recontext.Store;

/// <summary>
/// An experiment submitted to a gateway: its YAML as submitted, its seeds and its status. The gateway's registry:
/// a gateway that starts again (on this machine or another, with the same store) lists its runs from here and
/// resumes those it owns that were queued or running.
/// </summary>
public sealed class ExperimentDocument
{
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    /// <summary>The gateway that runs it (its <c>--name</c>): gateways sharing a store resume only their own runs.</summary>
    public string Owner { get; set; } = "";
    public RunStatus Status { get; set; } = RunStatus.Queued;
    public List<long> Seeds { get; set; } = [];
    public int Steps { get; set; }
    public string Yaml { get; set; } = "";
    public DateTime SubmittedUtc { get; set; }
    public DateTime? StartedUtc { get; set; }
    public DateTime? FinishedUtc { get; set; }
    public string? Error { get; set; }
}
