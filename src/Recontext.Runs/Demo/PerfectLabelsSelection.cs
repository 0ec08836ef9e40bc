using Recontext.Recontextualizer;
using Recontext.Trainer.Algorithms;

namespace Recontext.Runs.Demo;

/// <summary>How the perfect-labels study picks one sample per task from its best-of-N. Every rule drops hacks
/// first (that is what makes the labels "perfect"); they differ in what else they look at.</summary>
public enum PerfectLabelsSelection
{
    /// <summary>The highest training reward among the non-hacks.</summary>
    BestReward,

    /// <summary>Among the non-hacks, a sample whose reasoning does not mention tests wins over any that does; reward
    /// breaks ties. Tests whether the transfer rides on test-focused reasoning: a task keeps a test-mentioning sample
    /// only when all of its non-hacks mention tests.</summary>
    QuietReasoningFirst,
}

public static class PerfectLabelsSelections
{
    public static IReadOnlyList<JudgedRollout> Select(this PerfectLabelsSelection selection, IEnumerable<JudgedRollout> judged) => selection switch
    {
        PerfectLabelsSelection.BestReward => ExpertIteration.SelectBest(judged, r => r.Group, r => r.Score.TrainReward, r => !r.Score.Hack),
        PerfectLabelsSelection.QuietReasoningFirst => judged.GroupBy(r => r.Group)
            .Select(g => g.Where(r => !r.Score.Hack).OrderBy(r => r.Score.Labels.MentionsTests).ThenByDescending(r => r.Score.TrainReward).FirstOrDefault())
            .OfType<JudgedRollout>()
            .ToList(),
        _ => throw new ArgumentOutOfRangeException(nameof(selection), selection, "unknown perfect-labels selection"),
    };
}
