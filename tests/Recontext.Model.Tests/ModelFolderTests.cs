using Recontext.Model.Checkpoints;

namespace Recontext.Model.Tests;

/// <summary>A model folder described from its config and safetensors headers alone.</summary>
public sealed class ModelFolderTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("recontext-folder-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public void AFolderReportsItsParametersDtypesAndFamilyWithoutLoadingWeights()
    {
        using var model = TinyModels.Random(seed: 3, tied: false);
        Checkpoint.Save(model, dir);
        var folder = ModelFolder.Read(dir);
        Assert.Equal(model.parameters().Sum(p => p.numel()), folder.Parameters);
        Assert.Equal(model.state_dict().Count, folder.Tensors.Count);
        Assert.Equal(["F32"], folder.Dtypes);
        Assert.Equal("qwen3", folder.Config.ModelType);
        Assert.StartsWith("Qwen3 ChatML", folder.ChatFormat);
        Assert.Equal(new FileInfo(Path.Combine(dir, Checkpoint.WeightsFile)).Length, folder.FileBytes);
    }

    [Fact]
    public void AShardIndexNamingAMissingShardIsAnErrorNamingIt()
    {
        using var model = TinyModels.Random(seed: 3);
        Checkpoint.Save(model, dir);
        File.Move(Path.Combine(dir, Checkpoint.WeightsFile), Path.Combine(dir, "model-00001-of-00002.safetensors"));
        File.WriteAllText(Path.Combine(dir, Checkpoint.ShardIndexFile),
            """{"weight_map":{"model.embed_tokens.weight":"model-00001-of-00002.safetensors","lm_head.weight":"model-00002-of-00002.safetensors"}}""");
        var error = Assert.Throws<FileNotFoundException>(() => ModelFolder.Read(dir));
        Assert.Contains("names the shard model-00002-of-00002.safetensors, which is not in", error.Message);
    }

    [Fact]
    public void TheTrainingMemoryEstimateCountsItsParts()
    {
        var c = TinyModels.Qwen3Style();   // hidden 32, 4 heads × 8, 2 kv heads, MLP 64, 2 layers
        // Per layer: q 32→32, k 32→16, v 32→16, o 32→32, gate 32→64, up 32→64, down 64→32; rank r adds r × (in + out).
        long perLayer = (32 + 32) + (32 + 16) + (32 + 16) + (32 + 32) + (32 + 64) + (32 + 64) + (64 + 32);
        Assert.Equal(4 * perLayer * 2, TrainingMemory.LoraParameters(c, rank: 4));
        var full = TrainingMemory.FullFineTuning(c, parameters: 1000, batch: 2, sequence: 16);
        Assert.Equal((4000L, 4000L, 8000L), (full.WeightBytes, full.GradientBytes, full.OptimizerBytes));
        var lora = TrainingMemory.Lora(c, parameters: 1000, batch: 2, sequence: 16, rank: 4, computeBytes: 4);
        Assert.Equal(4000 + 4 * TrainingMemory.LoraParameters(c, 4), lora.WeightBytes);
        Assert.Equal(full.ActivationBytes, lora.ActivationBytes);
        // A bf16 base: half the base's bytes; activations at 2 bytes but the log-softmax over the vocabulary in fp32.
        var half = TrainingMemory.Lora(c, parameters: 1000, batch: 2, sequence: 16, rank: 4, computeBytes: 2);
        Assert.Equal(2000 + 4 * TrainingMemory.LoraParameters(c, 4), half.WeightBytes);
        long vocabulary = 32L * c.VocabSize;
        Assert.Equal((full.ActivationBytes - 8 * vocabulary) / 2 + 6 * vocabulary, half.ActivationBytes);
        // Activations grow with the batch, faster than linearly with the sequence (attention).
        Assert.Equal(2 * full.ActivationBytes, TrainingMemory.FullFineTuning(c, 1000, 4, 16).ActivationBytes);
        Assert.True(TrainingMemory.FullFineTuning(c, 1000, 2, 32).ActivationBytes > 2 * full.ActivationBytes);
        // Checkpointing keeps 3 layer inputs of [32 tokens, 32] and one layer's activations instead of both layers'.
        var layered = TrainingMemory.FullFineTuning(c, 1000, 2, 16, checkpointing: true);
        long logits = 32L * 2 * c.VocabSize * 4, oneLayer = (full.ActivationBytes - logits) / 2;
        Assert.Equal(32L * 32 * 3 * 4 + oneLayer + logits, layered.ActivationBytes);
    }
}
