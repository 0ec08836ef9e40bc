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
/// keeps the policy near a frozen reference (a copy of the start, or with LoRA the base under the adapters:
/// <see cref="ReferencePolicy"/>) scored under f_train or f_gen (<see cref="GrpoOptions.KlReference"/>), in the loss or
/// in the reward (<see cref="GrpoOptions.KlIn"/>); an entropy bonus and off-policy corrections are options too.
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
    readonly int? microBatchSize;

    /// <param name="trainable">what the optimizer steps (a LoRA adapter's parameters); by default every policy parameter</param>
    /// <param name="microBatchSize">sequences per forward and backward pass (see <see cref="Update"/>); null: the whole batch</param>
    public GrpoTrainer(CausalLm policy, ReferencePolicy? reference, GrpoOptions options, OptimizerOptions optimizerOptions, int paddingId,
                       IReadOnlyList<TorchSharp.Modules.Parameter>? trainable = null, int? microBatchSize = null)
    {
        if (microBatchSize < 1) throw new ArgumentException($"microBatchSize must be >= 1, got {microBatchSize}");
        this.microBatchSize = microBatchSize;
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
    /// <remarks>With a micro-batch size the batch goes through the model that many sequences at a
    /// time (grouped by length where that pads less: <see cref="MicroBatchPlan"/>), each micro-batch's loss weighted by
    /// its share of the sequences and the gradients accumulated before the one optimizer step: the loss is a mean over
    /// sequences, so the step equals the whole batch's (tested), while only one micro-batch's activations are alive at
    /// once.</remarks>
    public GrpoStepMetrics Update(IReadOnlyList<TrainingSample> samples, int groupSize)
    {
        using var scope = NewDisposeScope();
        var parts = SampleBatch.Plan(samples, microBatchSize).Parts;

        // Kept across updates, per micro-batch: the frozen reference's log-probs (under the context klReference names)
        // and the first forward pass's (the weights before any step, so exactly logpTrain: the old policy under
        // f_train; no separate scoring pass is needed for the context gap or for OldLogprobSource.Training).
        var refLogps = new Tensor?[parts.Count];
        var trainingLogps = new Tensor?[parts.Count];
        var rewards = samples.Select(s => s.Reward).ToArray();
        if (reference is not null && options.Beta > 0)
            for (int k = 0; k < parts.Count; k++)
            {
                var part = parts[k].Select(r => samples[r]).ToList();
                using var referenceBatch = SampleBatch.Build(part, paddingId, policy.Config.VocabSize, policy.Device, generationContext: options.KlReference == KlReference.Generation);
                refLogps[k] = reference.Run(model => LogProbScorer.Score(model, referenceBatch).TokenLogProbs).MoveToOuterDisposeScope();
                if (options.KlIn != KlPlacement.Reward) continue;
                using var partScope = NewDisposeScope();
                var generationLogp = SampleBatch.PerToken(part, s => s.GenerationLogProbs, referenceBatch.CompletionLength, policy.Device);
                var penalized = KlRewardPenalty.Apply(part.Select(s => s.Reward).ToList(), generationLogp, refLogps[k]!, referenceBatch.CompletionMask, options.Beta);
                for (int i = 0; i < parts[k].Length; i++) rewards[parts[k][i]] = penalized[i];
            }
        var advantages = GroupAdvantages.Compute(rewards, groupSize, options.ScaleRewards);
        var trainingLogpSums = new float[samples.Count];
        double gapSum = 0, loss = 0, kl = 0, clipped = 0, ratio = 0, tokens = 0;
        policy.train();
        for (int update = 0; update < options.UpdatesPerBatch; update++)
        {
            optimizer.zero_grad();
            (loss, kl, clipped, ratio, tokens) = (0, 0, 0, 0, 0);
            for (int k = 0; k < parts.Count; k++)
            {
                using var partScope = NewDisposeScope();
                var rows = parts[k];
                var part = rows.Select(r => samples[r]).ToList();
                var batch = SampleBatch.Build(part, paddingId, policy.Config.VocabSize, policy.Device);
                var mask = batch.CompletionMask;
                var generationLogp = SampleBatch.PerToken(part, s => s.GenerationLogProbs, batch.CompletionLength, policy.Device);
                var advantage = tensor(rows.Select(r => advantages[r]).ToArray(), device: policy.Device);
                bool first = trainingLogps[k] is null;
                GrpoLoss.Result result = null!;
                using TorchSharp.Scalar share = (double)rows.Length / samples.Count;
                ScoredBackward.Run(policy, batch, (logp, fullLogp) =>
                {
                    trainingLogps[k] ??= logp.detach().MoveToOuterDisposeScope();
                    var oldLogp = options.OldLogprobs == OldLogprobSource.Generation ? generationLogp : trainingLogps[k]!;
                    var importance = ImportanceWeights.Compute(trainingLogps[k]!, generationLogp, mask, options);
                    result = GrpoLoss.Compute(logp, oldLogp, refLogps[k], advantage, mask, options, fullLogp, importance);
                    return result.Loss.mul(share);
                }, fullVocabulary: options.EntropyCoefficient > 0);

                float partTokens = mask.sum().item<float>();
                loss += result.Loss.item<float>() * rows.Length / samples.Count;
                (kl, clipped, ratio, tokens) = (kl + result.MeanKl * partTokens, clipped + result.ClippedFraction * partTokens, ratio + result.MeanRatio * partTokens, tokens + partTokens);
                if (first)
                {
                    gapSum += ((generationLogp - trainingLogps[k]!) * mask).sum().item<float>();
                    var sums = (trainingLogps[k]! * mask).sum(1).to(float32).cpu().data<float>().ToArray();
                    for (int i = 0; i < rows.Length; i++) trainingLogpSums[rows[i]] = sums[i];
                }
                batch.Dispose();
            }
            if (optimizerOptions.MaxGradNorm > 0) nn.utils.clip_grad_norm_(trained, optimizerOptions.MaxGradNorm);
            OptimizerStep.Run(optimizer);
        }
        double total = Math.Max(1, tokens);
        return new GrpoStepMetrics((float)loss, (float)(kl / total), (float)(clipped / total), (float)(ratio / total), (float)(gapSum / total),
            (float)advantages.Select(Math.Abs).DefaultIfEmpty(0).Average(), trainingLogpSums);
    }

    public void Dispose() => optimizer.Dispose();
}
