using Recontext.Contracts;
using Recontext.Model.Modules;
using Recontext.Model.Scoring;
using Recontext.Model.Training;
using Recontext.Trainer.Losses;
using static TorchSharp.torch;

namespace Recontext.Trainer.Algorithms;

/// <summary>
/// GRPO on recontextualized samples: the loss is computed under f_train; the ratio's old log-probs are the
/// sampling-time ones under f_gen or recomputed under f_train (<see cref="GrpoOptions.OldLogprobs"/>); a KL term
/// keeps the policy near a frozen reference under f_train (a copy of the start, or with LoRA the base under the
/// adapters: <see cref="ReferencePolicy"/>).
/// </summary>
public sealed class GrpoTrainer : IDisposable
{
    readonly CausalLm policy;
    readonly ReferencePolicy? reference;
    readonly IReadOnlyList<TorchSharp.Modules.Parameter> trained;
    readonly GrpoOptions options;
    readonly OptimizerOptions optimizerOptions;
    readonly int paddingId;
    readonly optim.Optimizer optimizer;

    /// <param name="trainable">what the optimizer steps (a LoRA adapter's parameters); by default every policy parameter</param>
    public GrpoTrainer(CausalLm policy, ReferencePolicy? reference, GrpoOptions options, OptimizerOptions optimizerOptions, int paddingId,
                       IReadOnlyList<TorchSharp.Modules.Parameter>? trainable = null)
    {
        this.policy = policy;
        this.options = options.Validate();
        if (options.Beta > 0 && reference is null) throw new ArgumentException("beta > 0 needs a reference model");
        this.reference = reference;
        this.optimizerOptions = optimizerOptions;
        this.paddingId = paddingId;
        trained = trainable ?? policy.parameters().ToList();
        optimizer = optim.AdamW(trained, optimizerOptions.LearningRate, optimizerOptions.Beta1, optimizerOptions.Beta2, weight_decay: optimizerOptions.WeightDecay);
    }

    /// <summary>The optimizer, for saving and restoring its state on resume.</summary>
    public optim.Optimizer Optimizer => optimizer;

    /// <param name="samples">grouped prompt by prompt, <paramref name="groupSize"/> samples each</param>
    public GrpoStepMetrics Update(IReadOnlyList<TrainingSample> samples, int groupSize)
    {
        var advantages = GroupAdvantages.Compute(samples.Select(s => s.Reward).ToArray(), groupSize, options.ScaleRewards);
        using var scope = NewDisposeScope();
        var batch = SampleBatch.Build(samples, paddingId, policy.Config.VocabSize, policy.Device);
        var mask = batch.CompletionMask;
        var generationLogp = SampleBatch.PerToken(samples, s => s.GenerationLogProbs, batch.CompletionLength, policy.Device);
        var advantage = tensor(advantages, device: policy.Device);

        Tensor? refLogp = null;
        if (reference is not null && options.Beta > 0)
            refLogp = reference.Run(model => LogProbScorer.Score(model, batch).TokenLogProbs);

        // The first update's forward pass runs on the weights before any step, so its detached log-probs are
        // exactly logpTrain (the old policy under f_train): no separate scoring pass is needed for the context
        // gap or for OldLogprobSource.Training.
        Tensor? trainingLogp = null;
        Tensor? oldLogp = options.OldLogprobs == OldLogprobSource.Generation ? generationLogp : null;
        GrpoLoss.Result? last = null;
        policy.train();
        for (int update = 0; update < options.UpdatesPerBatch; update++)
        {
            optimizer.zero_grad();
            var logp = LogProbScorer.Score(policy, batch).TokenLogProbs;
            trainingLogp ??= logp.detach();
            oldLogp ??= trainingLogp;
            last = GrpoLoss.Compute(logp, oldLogp, refLogp, advantage, mask, options);
            last.Loss.backward();
            if (optimizerOptions.MaxGradNorm > 0) nn.utils.clip_grad_norm_(trained, optimizerOptions.MaxGradNorm);
            OptimizerStep.Run(optimizer);
        }
        float total = Math.Max(1f, mask.sum().item<float>());
        float contextGap = ((generationLogp - trainingLogp!) * mask).sum().item<float>() / total;
        var trainingLogpSums = (trainingLogp! * mask).sum(1).to(float32).cpu().data<float>().ToArray();
        batch.Dispose();
        return new GrpoStepMetrics(last!.Loss.item<float>(), last.MeanKl, last.ClippedFraction, last.MeanRatio, contextGap, advantages.Select(Math.Abs).DefaultIfEmpty(0).Average(),
            trainingLogpSums);
    }

    public void Dispose() => optimizer.Dispose();
}
