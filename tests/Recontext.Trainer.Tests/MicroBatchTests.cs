using Recontext.Contracts;
using Recontext.Model;
using Recontext.Model.Modules;
using Recontext.Model.Scoring;
using Recontext.Model.Training;
using Recontext.Trainer.Algorithms;

namespace Recontext.Trainer.Tests;

/// <summary>SFT and logit distillation in micro-batches accumulate the whole batch's gradients: their losses are means
/// over trained tokens, so each micro-batch is weighted by its share of them; backpropagating one decoder layer at a
/// time (gradient checkpointing) changes nothing either (GRPO's test is in GrpoTrainerTests).</summary>
public class MicroBatchTests
{
    static readonly TransformerConfig Config = new()
    {
        VocabSize = 40, HiddenSize = 32, IntermediateSize = 64, NumHiddenLayers = 2, NumAttentionHeads = 4, NumKeyValueHeads = 2,
    };

    const int Pad = 0;

    static CausalLm Model(long seed) => CausalLm.Create(Config, seed, initStd: 0.2);

    // Unequal lengths and a masked-out token, so that equal weights per micro-batch would be wrong.
    static readonly int[][] Completions = [[5, 6, 7], [8, 9], [10, 11, 12, 13, 14, 15], [16], [17, 18, 19]];

    static List<TrainingSample> Samples() => Completions.Select((c, i) => new TrainingSample
    {
        TaskId = $"t{i}", Group = i,
        GenerationPromptIds = [1, 2, 3], TrainingPromptIds = [4, 2, 3, 1],
        CompletionIds = c, GenerationLogProbs = c.Select(_ => -1f).ToArray(),
        LossMask = c.Select((_, j) => i == 2 && j == 1 ? 0f : 1f).ToArray(), Reward = 1,
        GenerationContext = "gen", TrainingContext = "train",
    }).ToList();

    /// <summary>Largest gradient and largest difference between two models' gradients.</summary>
    static (float Largest, float Differs) Gradients(CausalLm a, CausalLm b)
    {
        float largest = 0, differs = 0;
        foreach (var (p, q) in a.parameters().Zip(b.parameters()))
        {
            largest = Math.Max(largest, p.grad!.abs().max().item<float>());
            differs = Math.Max(differs, (p.grad! - q.grad!).abs().max().item<float>());
        }
        return (largest, differs);
    }

    static SequenceBatch Batch(IEnumerable<TrainingSample> samples)
    {
        var list = samples.ToList();
        return SequenceBatch.Build(list.Select(s => s.TrainingPromptIds).ToArray(), list.Select(s => s.CompletionIds).ToArray(), Pad, Config.VocabSize,
            TorchSharp.torch.CPU, list.Select(s => s.LossMask).ToArray());
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(2, false)]
    [InlineData(5, true)]   // the whole batch in one pass, backpropagated one decoder layer at a time
    [InlineData(2, true)]
    public void SftMicroBatchesTakeTheWholeBatchsStep(int size, bool checkpointing)
    {
        using var whole = Model(3);
        using var split = Model(3);
        split.GradientCheckpointing = checkpointing;
        var options = new OptimizerOptions { LearningRate = 1e-2, WeightDecay = 0, MaxGradNorm = 0 };   // clipping would hide a wrong scale
        using var one = new SupervisedTrainer(whole, options);
        using var many = new SupervisedTrainer(split, options);
        var samples = Samples();
        using var batch = Batch(samples);
        var parts = samples.Chunk(size).Select(Batch).ToList();
        float a = one.Step(batch), b = many.Step(parts);
        foreach (var part in parts) part.Dispose();
        Assert.True(Math.Abs(a - b) <= 1e-5 * Math.Max(1, Math.Abs(a)), $"loss {a} vs {b}");
        var (largest, differs) = Gradients(whole, split);
        Assert.True(largest > 1e-3 && differs < 1e-5 * largest, $"micro-batches of {size}: gradients differ by {differs} (largest {largest})");
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(3, false)]
    [InlineData(5, true)]
    public void DistillationMicroBatchesTakeTheWholeBatchsStep(int size, bool checkpointing)
    {
        using var whole = Model(5);
        using var split = Model(5);
        split.GradientCheckpointing = checkpointing;
        using var teacherModel = Model(6);
        var teacher = ReferencePolicy.Copy(teacherModel);
        var options = new OptimizerOptions { LearningRate = 1e-2, WeightDecay = 0, MaxGradNorm = 0 };
        using var one = new LogitDistillationTrainer(whole, teacher, options, Pad);
        using var many = new LogitDistillationTrainer(split, teacher, options, Pad);
        var samples = Samples();
        float a = one.Update(samples), b = many.Update(samples, size);
        Assert.True(Math.Abs(a - b) <= 1e-5 * Math.Max(1, Math.Abs(a)), $"loss {a} vs {b}");
        var (largest, differs) = Gradients(whole, split);
        Assert.True(largest > 1e-3 && differs < 1e-5 * largest, $"micro-batches of {size}: gradients differ by {differs} (largest {largest})");
    }
}
