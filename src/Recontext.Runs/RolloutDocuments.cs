using Recontext.Contracts;
using Recontext.Runs.Evaluation;
using Recontext.Store;

namespace Recontext.Runs;

/// <summary>The trace store's document of one rollout, from what the step's events carried.</summary>
public static class RolloutDocuments
{
    /// <param name="taskId">the id of the task the completion answers</param>
    /// <param name="sample">the completion as trained (both contexts' prompt ids)</param>
    /// <param name="trainingLogp">its log-prob under f_train as the trainer scored it, when it did</param>
    public static RolloutDocument Of(string runId, int step, int index, string taskId, SampledCompletion completion, CompletionScore score, TrainingSample sample,
        double? trainingLogp = null) => new()
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
        LogpTrainSum = trainingLogp,
    };

    /// <summary>The documents of an evaluation's samples (one per eval task and context), kept beside the training
    /// rollouts under their own keys (<see cref="RolloutDocument.EvalKeyOf"/>).</summary>
    public static IReadOnlyList<RolloutDocument> OfEvaluation(string runId, int step, IReadOnlyList<EvaluationSamples> evaluation) =>
        evaluation.SelectMany(e =>
        {
            var prompts = e.Request.Prompts.ToDictionary(p => p.Group);
            return e.Judged.Completions.Select((c, i) =>
            {
                var score = e.Judged.Scores[i];
                var prompt = prompts[c.Group];
                return new RolloutDocument
                {
                    Id = RolloutDocument.EvalKeyOf(runId, step, e.Context, i),
                    RunId = runId, Kind = RolloutDocument.EvalKind, EvalContext = e.Context, Step = step, Index = i,
                    PolicyVersion = step,   // evaluated after `step` updates
                    TaskId = prompt.TaskId, Group = c.Group, GenerationContext = e.Context, TrainingContext = "",
                    GenerationPromptIds = prompt.PromptIds, CompletionIds = c.TokenIds, Text = c.Text,
                    TrainReward = score.TrainReward, GroundTruth = score.GroundTruth, Correct = score.Correct, Hack = score.Hack, Malformed = score.Malformed,
                    Verdict = score.Verdict, Reason = score.Reason, MentionsTests = score.MentionsTests, IntendsToPassTests = score.IntendsToPassTests,
                    FlagsWrongTest = score.FlagsWrongTest,
                    LogpGenSum = c.LogProbs.Sum(), LogpGenMean = c.LogProbs.Length == 0 ? 0 : c.LogProbs.Average(),
                };
            });
        }).ToList();
}
