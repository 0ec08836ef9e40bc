namespace Recontext.Contracts;

/// <summary>Command to the trainer: take on a run's policy (load it, make its optimizer and reference) and answer
/// with <see cref="TrainingStarted"/>.</summary>
public sealed record StartTraining
{
    public required string RunId { get; init; }
    public required Guid RequestId { get; init; }
    /// <summary>The trainer's settings: a <c>TrainerSpec</c> as JSON (algorithm, GRPO, optimizer, group size).</summary>
    public required string Spec { get; init; }
    /// <summary>The checkpoint folder the run starts from (policy version 0, and the reference).</summary>
    public required string StartCheckpoint { get; init; }
    /// <summary>The policy version to continue from (0: the start checkpoint). The trainer must hold it.</summary>
    public required int ResumeVersion { get; init; }
    /// <summary>Where to keep the run's policy versions; null lets the trainer choose (its own state folder).</summary>
    public string? StateDirectory { get; init; }
    /// <summary>true when the generator is a service of its own: the trainer serves the policy versions over gRPC.</summary>
    public bool ServeWeights { get; init; }
}
