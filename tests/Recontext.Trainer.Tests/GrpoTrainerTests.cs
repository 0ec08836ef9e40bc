using Recontext.Contracts;
using Recontext.Model;
using Recontext.Model.Lora;
using Recontext.Model.Modules;
using Recontext.Model.Scoring;
using Recontext.Model.Training;
using Recontext.Trainer.Algorithms;
using Recontext.Trainer.Losses;
using TorchSharp;
using static TorchSharp.torch;

namespace Recontext.Trainer.Tests;

public class GrpoTrainerTests
{
    static readonly TransformerConfig Config = new()
    {
        VocabSize = 40, HiddenSize = 32, IntermediateSize = 64, NumHiddenLayers = 2, NumAttentionHeads = 4, NumKeyValueHeads = 2,
    };

    const int Pad = 0;

    static CausalLm Model(long seed = 1) => CausalLm.Create(Config, seed, initStd: 0.2);

    /// <summary>Two groups of two completions; generation log-probs scored under the generation prompt plus <paramref name="shift"/>.</summary>
    static List<TrainingSample> Samples(CausalLm model, int[] generationPrompt, int[] trainingPrompt, float shift)
    {
        int[][] completions = [[5, 6, 7], [8, 9], [10, 11, 12, 13], [14]];
        var prompts = completions.Select(_ => generationPrompt).ToArray();
        var genLogp = LogProbScorer.ScoreTokens(model, prompts, completions, Pad);
        return completions.Select((c, i) => new TrainingSample
        {
            TaskId = $"t{i / 2}", Group = i / 2,
            GenerationPromptIds = generationPrompt, TrainingPromptIds = trainingPrompt,
            CompletionIds = c, GenerationLogProbs = genLogp[i].Select(v => v + shift).ToArray(),
            LossMask = c.Select(_ => 1f).ToArray(), Reward = i % 2 == 0 ? 1 : 0,
            GenerationContext = "gen", TrainingContext = "train",
        }).ToList();
    }

    /// <summary>Micro-batches with accumulated gradients, and gradient checkpointing per decoder layer (alone and with
    /// micro-batches), take the whole batch's step.</summary>
    [Theory]
    [InlineData(1, false)]
    [InlineData(3, false)]   // micro-batches that split a group and leave a short last one
    [InlineData(2, false)]   // rows reordered by length (MicroBatchPlan): results must land back on their rows
    [InlineData(0, true)]    // 0: the whole batch in one pass
    [InlineData(3, true)]
    public void MicroBatchesWithAccumulatedGradientsTakeTheWholeBatchsStep(int microBatch, bool checkpointing)
    {
        using var whole = Model(7);
        using var split = Model(7);
        split.GradientCheckpointing = checkpointing;
        using var reference = Model(7);
        var samples = Samples(whole, [1, 2, 3], [4, 2, 3, 1], shift: 0.3f);   // recontextualized: the ratio starts off 1
        var grpo = new GrpoOptions { Beta = 0.1, Epsilon = 0.2, UpdatesPerBatch = 2 };
        var optimizer = new OptimizerOptions { LearningRate = 1e-2, WeightDecay = 0.01, MaxGradNorm = 0 };   // clipping would hide a wrong scale
        var referencePolicy = ReferencePolicy.Copy(reference);
        using var one = new GrpoTrainer(whole, referencePolicy, grpo, optimizer, Pad);
        using var many = new GrpoTrainer(split, referencePolicy, grpo, optimizer, Pad, microBatchSize: microBatch == 0 ? null : microBatch);
        if (microBatch == 2)
            Assert.Equal(MicroBatchOrder.RowsByLength, MicroBatchPlan.For(samples.Select(s => s.TrainingPromptIds).ToArray(), samples.Select(s => s.CompletionIds).ToArray(), 2).Order);
        var a = one.Update(samples, groupSize: 2);
        var b = many.Update(samples, groupSize: 2);

        // Equal up to float32 rounding (a relative 1e-5: the sums run in another order).
        static void Close(string what, float x, float y) => Assert.True(Math.Abs(x - y) <= 1e-5 * Math.Max(1, Math.Abs(x)), $"{what}: {x} vs {y}");
        Close("loss", a.Loss, b.Loss);
        Close("KL", a.Kl, b.Kl);
        Close("clipped fraction", a.ClippedFraction, b.ClippedFraction);
        Close("mean ratio", a.MeanRatio, b.MeanRatio);
        Close("context gap", a.ContextGap, b.ContextGap);
        Assert.Equal(a.TrainingLogpSums.Length, b.TrainingLogpSums.Length);
        for (int i = 0; i < a.TrainingLogpSums.Length; i++) Close($"log-prob sum {i}", a.TrainingLogpSums[i], b.TrainingLogpSums[i]);
        // The accumulated gradients of the last update are the whole batch's, and so are the weights after the two
        // steps (AdamW divides by the gradients' running scale, so float rounding shows a little more there).
        float gradient = 0, gradientDiffers = 0, moved = 0, differ = 0;
        using var original = Model(7);
        foreach (var ((p, q), r) in whole.parameters().Zip(split.parameters()).Zip(original.parameters()))
        {
            gradient = Math.Max(gradient, p.grad!.abs().max().item<float>());
            gradientDiffers = Math.Max(gradientDiffers, (p.grad! - q.grad!).abs().max().item<float>());
            moved = Math.Max(moved, (p - r).abs().max().item<float>());
            differ = Math.Max(differ, (p - q).abs().max().item<float>());
        }
        Assert.True(gradient > 1e-3, $"no gradient to compare ({gradient})");
        Assert.True(gradientDiffers < 1e-5 * gradient, $"micro-batches of {microBatch}: gradients differ by {gradientDiffers} (largest {gradient})");
        Assert.True(moved > 1e-3, $"the steps barely moved the weights ({moved})");
        Assert.True(differ < 1e-2 * moved, $"micro-batches of {microBatch} ended {differ} away from the whole batch (the steps moved {moved})");
    }

    /// <summary>At the first update the policy is the reference: KL to the reference under f_train is 0, and KL to the
    /// reference under f_gen is the k3 of the reference's log-probs under f_gen against the policy's under f_train.</summary>
    [Fact]
    public void TheKlReferenceScoresUnderTheContextItNames()
    {
        int[] generationPrompt = [1, 2, 3], trainingPrompt = [4, 2, 3, 1];
        using var scorer = Model(9);
        var samples = Samples(scorer, generationPrompt, trainingPrompt, shift: 0f);
        var completions = samples.Select(s => s.CompletionIds).ToArray();
        var underGeneration = LogProbScorer.ScoreTokens(scorer, completions.Select(_ => generationPrompt).ToArray(), completions, Pad);
        var underTraining = LogProbScorer.ScoreTokens(scorer, completions.Select(_ => trainingPrompt).ToArray(), completions, Pad);
        var k3 = underGeneration.Zip(underTraining).SelectMany(p => p.First.Zip(p.Second, (reference, policy) => Math.Exp(reference - policy) - (reference - policy) - 1)).ToList();

        float Kl(KlReference where)
        {
            using var policy = Model(9);
            using var reference = ReferencePolicy.Copy(Model(9));
            using var trainer = new GrpoTrainer(policy, reference, new GrpoOptions { Beta = 0.1, KlReference = where },
                new OptimizerOptions { LearningRate = 1e-9 }, Pad);
            return trainer.Update(samples, groupSize: 2).Kl;
        }
        Assert.Equal(0f, Kl(KlReference.Training), 6);
        Assert.True(k3.Average() > 1e-3, $"the contexts barely differ ({k3.Average()})");
        Assert.Equal(k3.Average(), Kl(KlReference.Generation), 4);
    }

    /// <summary>With the KL in the reward, the update is the one a plain GRPO update takes on rewards penalized by hand:
    /// r − β Σ_t (log π_gen − log π_ref), the reference scored under f_train.</summary>
    [Fact]
    public void WithTheKlInTheRewardTheAdvantagesComeFromPenalizedRewards()
    {
        int[] generationPrompt = [1, 2, 3], trainingPrompt = [4, 2, 3, 1];
        const double beta = 0.5;
        using var scorer = Model(9);
        var samples = Samples(scorer, generationPrompt, trainingPrompt, shift: 0.2f);
        using var referenceModel = Model(11);
        var completions = samples.Select(s => s.CompletionIds).ToArray();
        var referenceLogp = LogProbScorer.ScoreTokens(referenceModel, completions.Select(_ => trainingPrompt).ToArray(), completions, Pad);
        var penalized = samples.Select((s, i) => s with { Reward = s.Reward - beta * s.GenerationLogProbs.Zip(referenceLogp[i], (g, r) => (double)g - r).Sum() }).ToList();
        Assert.NotEqual(GroupAdvantages.Compute(samples.Select(s => s.Reward).ToArray(), 2), GroupAdvantages.Compute(penalized.Select(s => s.Reward).ToArray(), 2));

        var optimizer = new OptimizerOptions { LearningRate = 1e-2, WeightDecay = 0 };
        using var a = Model(9);
        using var reference = ReferencePolicy.Copy(Model(11));
        using var inReward = new GrpoTrainer(a, reference, new GrpoOptions { Beta = beta, KlIn = KlPlacement.Reward }, optimizer, Pad);
        using var b = Model(9);
        using var byHand = new GrpoTrainer(b, null, new GrpoOptions(), optimizer, Pad);
        Assert.Equal(byHand.Update(penalized, 2).Loss, inReward.Update(samples, 2).Loss, 5);
    }

    [Fact]
    public void GenerationSourceUsesExactlyTheSamplingTimeLogProbs()
    {
        using var model = Model();
        var samples = Samples(model, [1, 2, 3], [1, 2, 3], shift: 0.5f);   // pretend sampling saw each token e^0.5 × likelier
        using var trainer = new GrpoTrainer(model, null, new GrpoOptions { Epsilon = 0.9 }, new OptimizerOptions { LearningRate = 1e-9 }, Pad);
        var metrics = trainer.Update(samples, groupSize: 2);
        Assert.Equal(Math.Exp(-0.5), metrics.MeanRatio, 4);   // π_θ / π_gen = e^−0.5 on every token
        Assert.Equal(0.5, metrics.ContextGap, 4);

        using var other = Model();
        using var recompute = new GrpoTrainer(other, null, new GrpoOptions { Epsilon = 0.9, OldLogprobs = OldLogprobSource.Training }, new OptimizerOptions { LearningRate = 1e-9 }, Pad);
        Assert.Equal(1.0, recompute.Update(samples, groupSize: 2).MeanRatio, 5);
    }

    [Fact]
    public void WhenContextsAreEqualBothSourcesGiveTheSameLossAndGradients()
    {
        using var a = Model(3);
        using var b = Model(3);
        var samples = Samples(a, [1, 2, 3, 4], [1, 2, 3, 4], shift: 0f);   // f_gen = f_train, logpGen = logpTrain
        var optimizer = new OptimizerOptions { LearningRate = 1e-2, WeightDecay = 0 };
        using var generation = new GrpoTrainer(a, null, new GrpoOptions(), optimizer, Pad);
        using var training = new GrpoTrainer(b, null, new GrpoOptions { OldLogprobs = OldLogprobSource.Training }, optimizer, Pad);
        var mg = generation.Update(samples, 2);
        var mt = training.Update(samples, 2);
        Assert.Equal(mt.Loss, mg.Loss, 5);
        Assert.Equal(0f, mg.ContextGap, 5);
        var pa = a.state_dict();
        var pb = b.state_dict();
        foreach (var (key, value) in pa)
            Assert.True((value - pb[key]).abs().max().item<float>() < 1e-6, $"{key} differs after one update");
    }

    [Fact]
    public void RecontextualizedSamplesAreScoredUnderTheTrainingPrompt()
    {
        using var model = Model(5);
        var samples = Samples(model, [1, 2, 3], [20, 21, 22, 23, 24], shift: 0f);
        using var trainer = new GrpoTrainer(model, null, new GrpoOptions(), new OptimizerOptions { LearningRate = 1e-9 }, Pad);
        var metrics = trainer.Update(samples, 2);
        Assert.NotEqual(0f, metrics.ContextGap);
        Assert.NotEqual(1f, metrics.MeanRatio);
    }

    [Fact]
    public void KlToAnIdenticalReferenceIsZeroAndGrowsAfterUpdates()
    {
        using var policy = Model(7);
        using var reference = ReferencePolicy.Copy(Model(7));
        var samples = Samples(policy, [1, 2], [1, 2], 0f);
        using var trainer = new GrpoTrainer(policy, reference, new GrpoOptions { Beta = 0.05 }, new OptimizerOptions { LearningRate = 5e-2, WeightDecay = 0 }, Pad);
        Assert.Equal(0f, trainer.Update(samples, 2).Kl, 6);
        GrpoStepMetrics last = trainer.Update(samples, 2);
        for (int i = 0; i < 3; i++) last = trainer.Update(samples, 2);
        Assert.True(last.Kl > 1e-5, $"KL after updates: {last.Kl}");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]   // computeDtype bfloat16: the base computes in bf16, the adapters train in fp32
    public void WithLoraTheReferenceIsTheBaseUnderTheAdaptersAndOnlyAdaptersMove(bool bfloat16)
    {
        using var policy = Model(7);
        if (bfloat16) policy.to(ScalarType.BFloat16);
        var before = policy.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.bytes.ToArray());
        using var adapters = LoraAdapters.Attach(policy, new LoraConfig { Rank = 4, Alpha = 8 }, seed: 2);
        using var reference = ReferencePolicy.BaseOf(policy, adapters);
        var samples = Samples(policy, [1, 2], [1, 2], 0f);
        using var trainer = new GrpoTrainer(policy, reference, new GrpoOptions { Beta = 0.05 }, new OptimizerOptions { LearningRate = 5e-2, WeightDecay = 0 }, Pad,
            adapters.Parameters);
        Assert.Equal(0f, trainer.Update(samples, 2).Kl, 6);   // fresh adapters: the policy is its base
        GrpoStepMetrics last = trainer.Update(samples, 2);
        for (int i = 0; i < 3; i++) last = trainer.Update(samples, 2);
        Assert.True(last.Kl > 1e-5 && float.IsFinite(last.Loss), $"KL to the base after updates: {last.Kl}, loss {last.Loss}");
        foreach (var (key, tensor) in policy.state_dict())
            Assert.True(tensor.bytes.SequenceEqual(before[key]), $"base weight {key} moved");
        Assert.All(adapters.Parameters, p => Assert.Equal(ScalarType.Float32, p.dtype));
    }

    [Fact]
    public void ExpertIterationKeepsTheBestPassingSamplePerGroup()
    {
        var items = new[] { new Candidate(0, 1.0, true), new(0, 0.6, false), new(0, 0.3, false), new(1, 1.0, true), new(1, 0.9, true) };
        var best = ExpertIteration.SelectBest(items, i => i.Group, i => i.Reward, i => !i.Hack);
        Assert.Equal([new Candidate(0, 0.6, false)], best);
        Assert.Equal([items[0], items[3]], ExpertIteration.SelectBest(items, i => i.Group, i => i.Reward));
    }

    sealed record Candidate(int Group, double Reward, bool Hack);


    [Fact]
    public void DistillationIsZeroForIdenticalContextsAndWeightsAndPositiveOtherwise()
    {
        using var policy = Model(9);
        using var teacher = ReferencePolicy.Copy(Model(9));
        var same = Samples(policy, [1, 2, 3], [1, 2, 3], 0f);
        using (var trainer = new LogitDistillationTrainer(policy, teacher, new OptimizerOptions { LearningRate = 1e-9 }, Pad))
            Assert.Equal(0f, trainer.Update(same), 6);
        var different = Samples(policy, [1, 2, 3], [30, 31], 0f);
        using (var trainer = new LogitDistillationTrainer(policy, teacher, new OptimizerOptions { LearningRate = 1e-9 }, Pad))
            Assert.True(trainer.Update(different) > 1e-4);
    }
}
