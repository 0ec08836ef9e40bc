using Recontext.Model.Checkpoints;
using Recontext.Model.Generation;
using Recontext.Model.Lora;
using Recontext.Model.Modules;
using Recontext.Model.Scoring;
using Recontext.Model.Training;
using Recontext.Prompts.Tokenization;
using static TorchSharp.torch;

namespace Recontext.Model.Tests;

/// <summary>A model loaded in bfloat16 (the compute dtype chosen at run time): the weights take half the memory, its
/// log-probs stay close to fp32's, it samples, and LoRA adapters on it hold and train fp32 weights while the base
/// stays bit for bit.</summary>
public sealed class ComputeDtypeTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("recontext-dtype-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public void SpellingsResolveForTheDevice()
    {
        Assert.Equal(ScalarType.Float32, ComputeDtype.Resolve("auto", CPU));   // the CPU computes in fp32
        Assert.Equal(ScalarType.BFloat16, ComputeDtype.Resolve("auto", new Device(TorchSharp.DeviceType.CUDA, 0)));
        Assert.Equal(ScalarType.BFloat16, ComputeDtype.Resolve(" BFloat16 ", CPU));
        Assert.Equal(ScalarType.Float16, ComputeDtype.Resolve("float16", CPU));
        Assert.True(ComputeDtype.IsReduced("bfloat16") && !ComputeDtype.IsReduced("auto") && !ComputeDtype.IsReduced("float32"));
        Assert.Contains("computeDtype 'half' is not one of auto, float32, bfloat16, float16",
            Assert.Throws<ArgumentException>(() => ComputeDtype.Validate("half")).Message);
    }

    [Fact]
    public void ABfloat16LoadScoresLikeFp32AndSamples()
    {
        using (var source = TinyModels.Random(seed: 5, tied: false)) Checkpoint.Save(source, dir, storageDtype: "bfloat16");
        using var full = Checkpoint.Load(dir, CPU);
        using var half = Checkpoint.Load(dir, CPU, ScalarType.BFloat16);
        Assert.Equal(ScalarType.Float32, full.DType);
        Assert.All(half.parameters(), p => Assert.Equal(ScalarType.BFloat16, p.dtype));
        // The bf16 checkpoint's values exactly: the stored bf16 weights were copied in without rounding.
        foreach (var ((name, a), (_, b)) in full.named_parameters().Zip(half.named_parameters()))
            Assert.True(a.to(ScalarType.BFloat16).bytes.SequenceEqual(b.bytes), $"{name} differs from the stored bf16 value");

        int[][] prompts = [[3, 17, 99, 4], [250, 8, 31]];
        int[][] completions = [[7, 120, 66, 5, 9], [9, 9, 42]];
        var exact = LogProbScorer.ScoreTokens(full, prompts, completions, paddingId: 0);
        var rounded = LogProbScorer.ScoreTokens(half, prompts, completions, paddingId: 0);
        float worst = exact.Zip(rounded).SelectMany(r => r.First.Zip(r.Second, (x, y) => Math.Abs(x - y))).Max();
        float spread = exact.SelectMany(r => r).Select(Math.Abs).Max();
        // bf16 keeps 8 bits of mantissa: activations carry ~0.4 % relative error through two layers.
        Assert.True(worst < 0.05 * spread && worst > 0, $"bf16 log-probs differ from fp32 by up to {worst} (largest |log-prob| {spread})");

        var generator = new TextGenerator(half, new ByteTokenizer());
        var sampled = generator.Generate([[3, 17, 99, 4]], new SamplingOptions { MaxNewTokens = 6, Temperature = 1.0, Seed = 2 });
        Assert.InRange(sampled[0].TokenIds.Length, 1, 6);
        Assert.All(sampled[0].LogProbs, lp => Assert.True(float.IsFinite(lp) && lp <= 0));
    }

    [Fact]
    public void LoraOnABfloat16BaseTrainsFp32AdaptersAndLeavesTheBase()
    {
        using (var source = TinyModels.Random(seed: 6, tied: true)) Checkpoint.Save(source, dir);
        using var model = Checkpoint.Load(dir, CPU, ScalarType.BFloat16);
        var before = model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.bytes.ToArray());
        using var lora = LoraAdapters.Attach(model, new LoraConfig { Rank = 4, Alpha = 8 }, seed: 1);
        Assert.All(lora.Parameters, p => Assert.Equal(ScalarType.Float32, p.dtype));
        using var batch = SequenceBatch.Build([[3, 17, 99, 4], [250, 8, 31]], [[7, 120, 66, 5], [9, 9, 42]], paddingId: 0, model.Config.VocabSize, CPU);
        using var trainer = new SupervisedTrainer(model, new OptimizerOptions { LearningRate = 1e-2, WeightDecay = 0 }, lora.Parameters);
        float first = trainer.Step(batch);
        for (int step = 0; step < 4; step++) trainer.Step(batch);
        float last = trainer.Step(batch);
        Assert.True(last < first, $"the loss did not fall ({first} -> {last})");
        foreach (var (key, tensor) in model.state_dict())
            Assert.True(tensor.bytes.SequenceEqual(before[key]), $"the bf16 base weight {key} changed while only the adapter trains");
        Assert.All(lora.Parameters, p => Assert.Equal(ScalarType.Float32, p.dtype));
    }

    [Fact]
    public void ABfloat16LoraStepIsEstimatedSmaller()
    {
        var c = TinyModels.Qwen3Style();
        var fp32 = TrainingMemory.Lora(c, 100_000, batch: 4, sequence: 64, rank: 4, computeBytes: 4);
        var bf16 = TrainingMemory.Lora(c, 100_000, batch: 4, sequence: 64, rank: 4, computeBytes: 2);
        long adapter = TrainingMemory.LoraParameters(c, 4) * 4;
        Assert.Equal(fp32.WeightBytes - adapter, 2 * (bf16.WeightBytes - adapter));
        Assert.True(bf16.ActivationBytes < fp32.ActivationBytes);
        Assert.Equal((fp32.GradientBytes, fp32.OptimizerBytes), (bf16.GradientBytes, bf16.OptimizerBytes));   // the adapters stay fp32
        Assert.Equal(2, TrainingMemory.ComputeBytesOf("auto", "cuda:0"));
        Assert.Equal(4, TrainingMemory.ComputeBytesOf("auto", "auto"));
        Assert.Equal(2, TrainingMemory.ComputeBytesOf("bfloat16", "cpu"));
    }
}
