using Recontext.Store;

namespace Recontext.Gateway;

/// <summary>A run submitted to the gateway: an experiment (one or more seeds) with its status. Kept in the store
/// (<see cref="GatewayRegistry"/>), so a restarted gateway finds its runs and resumes them.</summary>
public sealed record GatewayRun
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required RunStatus Status { get; init; }
    public required IReadOnlyList<long> Seeds { get; init; }
    public required int Steps { get; init; }
    public required DateTime SubmittedUtc { get; init; }
    public DateTime? StartedUtc { get; init; }
    public DateTime? FinishedUtc { get; init; }
    public string? Error { get; init; }

    public bool Active => Status.IsActive();
}
