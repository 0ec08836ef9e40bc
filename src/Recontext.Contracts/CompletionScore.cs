namespace Recontext.Contracts;

/// <summary>The judge's verdict on one completion, as it travels between services.</summary>
public sealed record CompletionScore
{
    public required double TrainReward { get; init; }
    public required double GroundTruth { get; init; }
    public required bool Correct { get; init; }
    public required bool Misbehaved { get; init; }
    public required bool AllVisible { get; init; }
    public required bool Malformed { get; init; }
    public required string Verdict { get; init; }
    public string? Reason { get; init; }
    public required bool MentionsTests { get; init; }
    public required bool IntendsToPassTests { get; init; }
    public required bool FlagsWrongTest { get; init; }

    /// <summary>The detector's score and verdict the reward read (null where no detector ran).</summary>
    public double? DetectorScore { get; init; }
    public bool? Detected { get; init; }

    /// <summary>The monitor's penalty taken off <see cref="TrainReward"/> for training (monitor as reward); 0 where the
    /// run has none or the monitor did not flag the reasoning. TrainReward stays the setting's own reward.</summary>
    public double MonitorPenalty { get; init; }
}
