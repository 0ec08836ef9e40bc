namespace Recontext.Environments;

/// <summary>
/// A setting whose flawed reward reads a detector's verdict (the lying setting: a labeller who prefers the pleasing
/// answer unless the lie detector flags it). Settings without one are scored as usual and the judge records the
/// detector's reading beside the score (<see cref="EnvironmentScoring.ScoreAsync"/>), so detection and evasion are
/// measured in any setting a detector runs in.
/// </summary>
public interface IDetectorRewarded : IEnvironment
{
    /// <param name="detector">the detector's reading of this completion; null where no detector runs (never flagged)</param>
    Task<JudgeScore> ScoreAsync(EnvironmentTask task, string completion, EnvironmentVariant variant, DetectorReading? detector, CancellationToken cancellation = default);
}

/// <summary>Scores a completion with whatever a detector said about it.</summary>
public static class EnvironmentScoring
{
    /// <returns>the setting's score, with <see cref="JudgeScore.DetectorScore"/> and <see cref="JudgeScore.Detected"/> set
    /// when a detector read the completion</returns>
    public static async Task<JudgeScore> ScoreAsync(this IEnvironment environment, EnvironmentTask task, string completion, EnvironmentVariant variant,
        DetectorReading? detector, CancellationToken cancellation = default)
    {
        var score = environment is IDetectorRewarded rewarded
            ? await rewarded.ScoreAsync(task, completion, variant, detector, cancellation)
            : await environment.ScoreAsync(task, completion, variant, cancellation);
        return detector is null ? score : score with { DetectorScore = detector.Score, Detected = detector.Flagged };
    }
}
