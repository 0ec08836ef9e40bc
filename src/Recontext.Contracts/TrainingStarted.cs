namespace Recontext.Contracts;

/// <summary>Event from the trainer: it holds the run's policy at <see cref="Version"/>.</summary>
public sealed record TrainingStarted
{
    public required string RunId { get; init; }
    public required Guid RequestId { get; init; }
    public required int Version { get; init; }
    /// <summary>Where generator services fetch the run's policy versions (PolicyWeights over gRPC); null when no
    /// generator service serves the run.</summary>
    public string? WeightsAddress { get; init; }

    /// <summary>How the trainer holds the policy, as its device and the run's computeDtype resolved there
    /// (e.g. "bfloat16 on cuda:0"): what <c>auto</c> became.</summary>
    public string? Policy { get; init; }
}
