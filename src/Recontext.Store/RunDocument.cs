namespace Recontext.Store;

/// <summary>A run's record: its resolved config, status and the last step whose state was saved (resume cursor).</summary>
public sealed class RunDocument
{
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    public string ConfigJson { get; set; } = "";
    public string Status { get; set; } = "running";
    public int CompletedStep { get; set; }
    public DateTime UpdatedUtc { get; set; }
}
