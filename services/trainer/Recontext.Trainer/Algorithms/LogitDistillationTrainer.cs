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

    /// <returns>the distillation loss before the step</returns>
    public float Update(IReadOnlyList<TrainingSample> samples)
    {
        using var scope = NewDisposeScope();
        using var studentBatch = SampleBatch.Build(samples, paddingId, policy.Config.VocabSize, policy.Device);
        using var teacherBatch = SampleBatch.Build(samples, paddingId, policy.Config.VocabSize, policy.Device, generationContext: true);
        Tensor teacherLogProbs;
        teacherLogProbs = teacher.Run(model => LogProbScorer.Score(model, teacherBatch, fullVocabulary: true).FullLogProbs!);
        policy.train();
        optimizer.zero_grad();
        var studentLogProbs = LogProbScorer.Score(policy, studentBatch, fullVocabulary: true).FullLogProbs!;
        var loss = LogitDistillationLoss.Compute(teacherLogProbs, studentLogProbs, studentBatch.CompletionMask);
        loss.backward();
        if (optimizerOptions.MaxGradNorm > 0) nn.utils.clip_grad_norm_(trained, optimizerOptions.MaxGradNorm);
        OptimizerStep.Run(optimizer);
        return loss.item<float>();
    }

    public void Dispose() => optimizer.Dispose();
}
