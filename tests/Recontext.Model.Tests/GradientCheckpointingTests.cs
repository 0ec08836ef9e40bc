using Recontext.Model.Lora;
using Recontext.Model.Modules;
using Recontext.Model.Scoring;
using Recontext.Model.Training;
using static TorchSharp.torch;

namespace Recontext.Model.Tests;

/// <summary>Backpropagating one decoder layer at a time (<see cref="CheckpointedBackward"/>) gives the gradients of one
/// backward pass through the whole graph: both layouts, tied and untied embeddings, single-token completions, and LoRA
/// with dropout, whose masks the recomputation must replay.</summary>
public sealed class GradientCheckpointingTests
{
    // Unequal prompt and completion lengths (padding on both sides), and a group of rows sharing a prompt.
    static readonly int[][] Prompts = [[3, 17, 99, 4], [3, 17, 99, 4], [250, 8, 31], [250, 8, 31], [60, 61]];
    static readonly int[][] Completions = [[7, 120, 66, 5], [9, 9], [42, 43, 44, 45, 46], [12], [70, 71, 72]];

    static SequenceBatch Batch(CausalLm model, PromptSharing sharing, int[][] completions) =>
        SequenceBatch.Build(Prompts, completions, paddingId: 0, model.Config.VocabSize, model.Device, sharing: sharing);

    /// <summary>Every trained parameter's gradient after one backward pass of the batch's NLL.</summary>
    /// <param name="trained">by name; by default the model's parameters</param>
    static Dictionary<string, Tensor> Gradients(CausalLm model, SequenceBatch batch, bool checkpointing, long? dropoutSeed = null,
                                                IReadOnlyDictionary<string, Tensor>? trained = null)
    {
        trained ??= model.named_parameters().ToDictionary(p => p.name, p => (Tensor)p.parameter);
        model.train();
        foreach (var parameter in trained.Values) parameter.grad?.zero_();
        model.GradientCheckpointing = checkpointing;
        if (dropoutSeed is { } seed) model.DropoutGenerator!.manual_seed(seed);
        float lossValue = float.NaN;
        ScoredBackward.Run(model, batch, (tokenLogProbs, _) =>
        {
            var loss = NegativeLogLikelihood.Compute(tokenLogProbs, batch.CompletionMask);
            lossValue = loss.item<float>();
            return loss;
        });
        Assert.True(float.IsFinite(lossValue), "the loss ran once and is finite");
        return trained.ToDictionary(p => p.Key, p => p.Value.grad?.clone() ?? throw new Xunit.Sdk.XunitException($"{p.Key} got no gradient"));
    }

    /// <summary>Largest gradient, and the largest difference between two sets of gradients.</summary>
    static (float Largest, float Differs, string Where) Compare(Dictionary<string, Tensor> a, Dictionary<string, Tensor> b)
    {
        Assert.Equal(a.Keys.Order(), b.Keys.Order());
        float largest = 0, differs = 0;
        string where = "";
        foreach (var (name, gradient) in a)
        {
            largest = Math.Max(largest, gradient.abs().max().item<float>());
            float d = (gradient - b[name]).abs().max().item<float>();
            if (d > differs) (differs, where) = (d, name);
        }
        return (largest, differs, where);
    }

    [Theory]
    [InlineData(PromptSharing.Never, true)]
    [InlineData(PromptSharing.Never, false)]
    [InlineData(PromptSharing.Always, true)]
    [InlineData(PromptSharing.Always, false)]
    public void LayerByLayerBackwardGivesTheWholeGraphsGradients(PromptSharing sharing, bool tied)
    {
        using var model = TinyModels.Random(seed: 11, tied);
        using var batch = Batch(model, sharing, Completions);
        var whole = Gradients(model, batch, checkpointing: false);
        var layered = Gradients(model, batch, checkpointing: true);
        var (largest, differs, where) = Compare(whole, layered);
        Assert.True(largest > 1e-3, $"no gradient to compare ({largest})");
        Assert.True(differs < 1e-5 * largest, $"{sharing}, tied {tied}: {where} differs by {differs} (largest gradient {largest})");
        // The chain reaches the bottom: the embeddings and the first layer's weights get their gradients.
        Assert.True(layered["model.embed_tokens.weight"].abs().max().item<float>() > 0, "no gradient reached the embeddings");
        Assert.True(layered["model.layers.0.mlp.down_proj.weight"].abs().max().item<float>() > 0, "no gradient reached layer 0");
    }

    [Fact]
    public void SingleTokenCompletionsWithSharedPromptsRunThePromptsAlone()
    {
        using var model = TinyModels.Random(seed: 12);
        int[][] single = [[7], [9], [42], [12], [70]];
        using var batch = Batch(model, PromptSharing.Always, single);
        var (largest, differs, where) = Compare(Gradients(model, batch, false), Gradients(model, batch, true));
        Assert.True(largest > 1e-3 && differs < 1e-5 * largest, $"{where} differs by {differs} (largest {largest})");
    }

    [Fact]
    public void LoraDropoutMasksAreReplayedWhenALayerIsRecomputed()
    {
        using var model = TinyModels.Random(seed: 13, tied: false);
        using var lora = LoraAdapters.Attach(model, new LoraConfig { Rank = 4, Alpha = 8, Dropout = 0.3 }, seed: 2);
        // B starts at zero, where no gradient reaches A: one step first, so that both carry gradients.
        using (var trainer = new SupervisedTrainer(model, new OptimizerOptions { LearningRate = 5e-2, WeightDecay = 0 }, lora.Parameters))
        using (var warm = Batch(model, PromptSharing.Never, Completions)) trainer.Step(warm);
        using var batch = Batch(model, PromptSharing.Always, Completions);

        var adapters = lora.PeftStateDict();
        var whole = Gradients(model, batch, checkpointing: false, dropoutSeed: 5, adapters);
        var layered = Gradients(model, batch, checkpointing: true, dropoutSeed: 5, adapters);
        var (largest, differs, where) = Compare(whole, layered);
        Assert.True(largest > 1e-4, $"no adapter gradient to compare ({largest})");
        Assert.True(differs < 1e-5 * largest, $"{where} differs by {differs} (largest gradient {largest}): the recomputed layers dropped other units");

        // The comparison can fail: other dropout masks give other gradients.
        var otherMasks = Gradients(model, batch, checkpointing: false, dropoutSeed: 6, adapters);
        var (_, apart, _) = Compare(whole, otherMasks);
        Assert.True(apart > 1e-3 * largest, $"dropout masks from another seed changed the gradients by only {apart}");
        model.GradientCheckpointing = false;
    }
}
