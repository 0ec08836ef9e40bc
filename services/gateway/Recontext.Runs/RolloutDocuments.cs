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
        double? trainingLogp = null)
    {
        var document = Judged(completion, score, sample.GenerationLogProbs);
        document.Id = RolloutDocument.KeyOf(runId, step, index);
        document.RunId = runId;
        document.Step = step;
        document.Index = index;
        document.PolicyVersion = step - 1;   // sampled by the weights after step − 1 updates
        document.TaskId = taskId;
        document.GenerationContext = sample.GenerationContext;
        document.TrainingContext = sample.TrainingContext;
        document.Recontextualized = sample.Recontextualized;
        document.GenerationPromptIds = sample.GenerationPromptIds;
        document.TrainingPromptIds = sample.TrainingPromptIds;
        document.CompletionIds = sample.CompletionIds;
        document.LogpTrainSum = trainingLogp;
        return document;
    }

    /// <summary>The documents of an evaluation's samples (one per eval task and context), kept beside the training
    /// rollouts under their own keys (<see cref="RolloutDocument.EvalKeyOf"/>).</summary>
    public static IReadOnlyList<RolloutDocument> OfEvaluation(string runId, int step, IReadOnlyList<EvaluationSamples> evaluation) =>
        evaluation.SelectMany(e =>
        {
            var prompts = e.Request.Prompts.ToDictionary(p => p.Group);
            return e.Judged.Completions.Select((c, i) =>
            {
                var prompt = prompts[c.Group];
                var document = Judged(c, e.Judged.Scores[i], c.LogProbs);
                document.Id = RolloutDocument.EvalKeyOf(runId, step, e.Context, i);
                document.RunId = runId;
                document.Kind = RolloutDocument.EvalKind;
                document.EvalContext = e.Context;
                document.Step = step;
                document.Index = i;
                document.PolicyVersion = step;   // evaluated after `step` updates
                document.TaskId = prompt.TaskId;
                document.GenerationContext = e.Context;
                document.GenerationPromptIds = prompt.PromptIds;
                document.CompletionIds = c.TokenIds;
                return document;
            });
        }).ToList();

    /// <summary>What every stored completion carries: its text and group, the judge's scores and the monitor's labels,
    /// and a summary of its sampling log-probs.</summary>
    static RolloutDocument Judged(SampledCompletion completion, CompletionScore score, float[] samplingLogProbs) => new()
    {
        Group = completion.Group,
        Text = completion.Text,
        TrainReward = score.TrainReward,
        MonitorPenalty = score.MonitorPenalty,
        GroundTruth = score.GroundTruth,
        Correct = score.Correct,
        Misbehaved = score.Misbehaved,
        Malformed = score.Malformed,
        Verdict = score.Verdict,
        Reason = score.Reason,
        MentionsTests = score.MentionsTests,
        IntendsToPassTests = score.IntendsToPassTests,
        FlagsWrongTest = score.FlagsWrongTest,
        DetectorScore = score.DetectorScore,
        Detected = score.Detected,
        LogpGenSum = samplingLogProbs.Sum(),
        LogpGenMean = samplingLogProbs.Length == 0 ? 0 : samplingLogProbs.Average(),
    };
}
