using Recontext.Recontextualizer;

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

    /// <summary><see cref="QuietReasoningFirst"/> on every other task (even prompt index), <see cref="BestReward"/> on
    /// the rest: roughly halves the share of test-mentioning samples, a middle point between the two.</summary>
    QuietReasoningFirstOnHalf,
}

public static class PerfectLabelsSelections
{
    /// <summary>One sample per task (prompt group), none for a task whose every sample hacks.</summary>
    public static IReadOnlyList<JudgedRollout> Select(this PerfectLabelsSelection selection, IEnumerable<JudgedRollout> judged) =>
        judged.GroupBy(r => r.Group).Select(task => Pick(selection, task)).OfType<JudgedRollout>().ToList();

    static JudgedRollout? Pick(PerfectLabelsSelection selection, IGrouping<int, JudgedRollout> task)
    {
        var nonHacks = task.Where(r => !r.Score.Misbehaved);
        return selection switch
        {
            PerfectLabelsSelection.BestReward => nonHacks.MaxBy(r => r.Score.TrainReward),
            PerfectLabelsSelection.QuietReasoningFirst => nonHacks.OrderBy(r => r.Score.Labels.MentionsTests).ThenByDescending(r => r.Score.TrainReward).FirstOrDefault(),
            PerfectLabelsSelection.QuietReasoningFirstOnHalf => Pick(task.Key % 2 == 0 ? PerfectLabelsSelection.QuietReasoningFirst : PerfectLabelsSelection.BestReward, task),
            _ => throw new ArgumentOutOfRangeException(nameof(selection), selection, "unknown perfect-labels selection"),
        };
    }
}
