using Recontext.Contracts;
using Recontext.Model.Modules;
using Recontext.Model.Scoring;
using Recontext.Model.Training;
using Recontext.Trainer.Losses;
using static TorchSharp.torch;

namespace Recontext.Trainer.Algorithms;

/// <summary>Trains the policy under f_train to match a frozen teacher's next-token distributions under f_gen.</summary>
public sealed class LogitDistillationTrainer : IDisposable
{
    readonly CausalLm policy;
    readonly ReferencePolicy teacher;
    readonly OptimizerOptions optimizerOptions;
    readonly int paddingId;
    readonly IReadOnlyList<TorchSharp.Modules.Parameter> trained;
    readonly optim.Optimizer optimizer;

    /// <param name="trainable">what the optimizer steps (a LoRA adapter's parameters); by default every policy parameter</param>
    public LogitDistillationTrainer(CausalLm policy, ReferencePolicy teacher, OptimizerOptions optimizerOptions, int paddingId,
                                    IReadOnlyList<TorchSharp.Modules.Parameter>? trainable = null)
    {
        (this.policy, this.teacher, this.optimizerOptions, this.paddingId) = (policy, teacher, optimizerOptions, paddingId);
        trained = trainable ?? policy.parameters().ToList();
        optimizer = optim.AdamW(trained, optimizerOptions.LearningRate, optimizerOptions.Beta1, optimizerOptions.Beta2, weight_decay: optimizerOptions.WeightDecay);
    }

    /// <summary>The optimizer, for saving and restoring its state on resume.</summary>
    public optim.Optimizer Optimizer => optimizer;

    /// <param name="microBatchSize">sequences per forward and backward pass: the teacher's and the student's
    /// full-vocabulary log-probs ([B, T, V]) are alive for one micro-batch at a time, each loss weighted by its share of
    /// the trained tokens and the gradients accumulated (the step equals the whole batch's); null: all at once</param>
    /// <returns>the distillation loss before the step</returns>
    public float Update(IReadOnlyList<TrainingSample> samples, int? microBatchSize = null)
    {
        using var scope = NewDisposeScope();
        policy.train();
        optimizer.zero_grad();
        var parts = SampleBatch.Plan(samples, microBatchSize).Parts.Select(rows => rows.Select(r => samples[r]).ToList());
        float total = Math.Max(1f, samples.Sum(s => s.LossMask.Sum()));
        double loss = 0;
        foreach (var part in parts)
        {
            using var partScope = NewDisposeScope();
            using var studentBatch = SampleBatch.Build(part, paddingId, policy.Config.VocabSize, policy.Device);
            using var teacherBatch = SampleBatch.Build(part, paddingId, policy.Config.VocabSize, policy.Device, generationContext: true);
            var teacherLogProbs = teacher.Run(model => LogProbScorer.Score(model, teacherBatch, fullVocabulary: true).FullLogProbs!);
            double share = Math.Max(1f, part.Sum(s => s.LossMask.Sum())) / total;
            using TorchSharp.Scalar weight = share;
            ScoredBackward.Run(policy, studentBatch, (_, studentLogProbs) =>
            {
                var partLoss = LogitDistillationLoss.Compute(teacherLogProbs, studentLogProbs!, studentBatch.CompletionMask);
                loss += partLoss.item<float>() * share;
                return partLoss.mul(weight);
            }, fullVocabulary: true);
        }
        if (optimizerOptions.MaxGradNorm > 0) nn.utils.clip_grad_norm_(trained, optimizerOptions.MaxGradNorm);
        OptimizerStep.Run(optimizer);
        return (float)loss;
    }

    public void Dispose() => optimizer.Dispose();
}
