using Recontext.Model.Modules;
using Recontext.Model.Scoring;
using static TorchSharp.torch;

namespace Recontext.Model.Training;

/// <summary>Next-token training of a <see cref="CausalLm"/> on completion tokens, with AdamW and gradient clipping.</summary>
public sealed class SupervisedTrainer : IDisposable
{
    readonly CausalLm model;
    readonly OptimizerOptions options;
    readonly optim.Optimizer optimizer;
    readonly IReadOnlyList<TorchSharp.Modules.Parameter> trained;

    /// <param name="trainable">the parameters to train (a LoRA adapter's); by default every parameter of the model</param>
    public SupervisedTrainer(CausalLm model, OptimizerOptions options, IReadOnlyList<TorchSharp.Modules.Parameter>? trainable = null)
    {
        this.model = model;
        this.options = options;
        trained = trainable ?? model.parameters().ToList();
        optimizer = optim.AdamW(trained, options.LearningRate, options.Beta1, options.Beta2, weight_decay: options.WeightDecay);
    }

    /// <summary>The optimizer, for saving and restoring its state on resume.</summary>
    public optim.Optimizer Optimizer => optimizer;

    /// <summary>Vocabulary size of the trained model (for building batches).</summary>
    public int ModelVocab => model.Config.VocabSize;

    /// <summary>Device of the trained model.</summary>
    public Device Device => model.Device;

    /// <summary>Sets the learning rate of every parameter group (for warm-up and decay schedules).</summary>
    public void SetLearningRate(double learningRate)
    {
        foreach (var group in optimizer.ParamGroups) group.LearningRate = learningRate;
    }

    /// <summary>One optimizer step on a batch; returns the loss before the step.</summary>
    public float Step(SequenceBatch batch) => Step([batch]);

    /// <summary>One optimizer step on a batch given as micro-batches: each goes through the model alone, its loss
    /// weighted by its share of the batch's trained tokens, the gradients accumulated, so the step equals the whole
    /// batch's (the loss is a mean over tokens) with one micro-batch's activations alive at a time.</summary>
    /// <returns>the whole batch's loss before the step</returns>
    public float Step(IReadOnlyList<SequenceBatch> microBatches)
    {
        using var scope = NewDisposeScope();
        model.train();
        optimizer.zero_grad();
        float total = Math.Max(1f, microBatches.Sum(b => b.CompletionMask.sum().item<float>()));
        double loss = 0;
        foreach (var batch in microBatches)
        {
            using var part = NewDisposeScope();
            double share = Math.Max(1f, batch.CompletionMask.sum().item<float>()) / total;
            using TorchSharp.Scalar weight = share;
            ScoredBackward.Run(model, batch, (tokenLogProbs, _) =>
            {
                var partLoss = NegativeLogLikelihood.Compute(tokenLogProbs, batch.CompletionMask);
                loss += partLoss.item<float>() * share;
                return partLoss.mul(weight);
            });
        }
        if (options.MaxGradNorm > 0) nn.utils.clip_grad_norm_(trained, options.MaxGradNorm);
        OptimizerStep.Run(optimizer);
        return (float)loss;
    }

    public void Dispose() => optimizer.Dispose();
}
