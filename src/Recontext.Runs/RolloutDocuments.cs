using Recontext.Contracts;
using Recontext.Store;

namespace Recontext.Runs;

/// <summary>The trace store's document of one rollout, from what the step's events carried.</summary>
public static class RolloutDocuments
{
    /// <param name="taskId">the id of the task the completion answers</param>
    /// <param name="sample">the completion as trained (both contexts' prompt ids)</param>
    public static RolloutDocument Of(string runId, int step, int index, string taskId, SampledCompletion completion, CompletionScore score, TrainingSample sample) => new()
    {
        Id = RolloutDocument.KeyOf(runId, step, index),
        RunId = runId,
        Step = step,
        Index = index,
        PolicyVersion = step - 1,   // sampled by the weights after step − 1 updates
        TaskId = taskId,
        Group = completion.Group,
        GenerationContext = sample.GenerationContext,
        TrainingContext = sample.TrainingContext,
        Recontextualized = sample.Recontextualized,
        GenerationPromptIds = sample.GenerationPromptIds,
        TrainingPromptIds = sample.TrainingPromptIds,
        CompletionIds = sample.CompletionIds,
        Text = completion.Text,
        TrainReward = score.TrainReward,
        GroundTruth = score.GroundTruth,
        Correct = score.Correct,
        Hack = score.Hack,
        Malformed = score.Malformed,
        Verdict = score.Verdict,
        Reason = score.Reason,
        MentionsTests = score.MentionsTests,
        IntendsToPassTests = score.IntendsToPassTests,
        FlagsWrongTest = score.FlagsWrongTest,
        LogpGenSum = sample.GenerationLogProbs.Sum(),
        LogpGenMean = sample.GenerationLogProbs.Length == 0 ? 0 : sample.GenerationLogProbs.Average(),
    };
}
