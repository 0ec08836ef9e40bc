using Recontext.Contracts;
using Recontext.Environments;

namespace Recontext.Judge.Messaging;

/// <summary>The judge's verdict to and from its message form (<see cref="CompletionScore"/>).</summary>
public static class CompletionScores
{
    public static CompletionScore ToContract(JudgeScore s) => new()
    {
        TrainReward = s.TrainReward, GroundTruth = s.GroundTruth, Correct = s.Correct, Misbehaved = s.Misbehaved, AllVisible = s.AllVisible,
        Malformed = s.Malformed, Verdict = s.Verdict.ToString().ToLowerInvariant(), Reason = s.Reason,
        MentionsTests = s.Labels.MentionsTests, IntendsToPassTests = s.Labels.IntendsToPassTests, FlagsWrongTest = s.Labels.FlagsWrongTest,
        DetectorScore = s.DetectorScore, Detected = s.Detected, MonitorPenalty = s.MonitorPenalty,
    };

    /// <summary>What travelled; the per-test pass lists stay with the judge.</summary>
    public static JudgeScore FromContract(CompletionScore s) => new()
    {
        TrainReward = s.TrainReward, GroundTruth = s.GroundTruth, Correct = s.Correct, Misbehaved = s.Misbehaved, AllVisible = s.AllVisible,
        Malformed = s.Malformed, Verdict = Enum.Parse<Verdict>(s.Verdict, ignoreCase: true), Reason = s.Reason,
        Labels = new ReasoningLabels(s.MentionsTests, s.IntendsToPassTests, s.FlagsWrongTest),
        DetectorScore = s.DetectorScore, Detected = s.Detected, MonitorPenalty = s.MonitorPenalty,
    };
}
