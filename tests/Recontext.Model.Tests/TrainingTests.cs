using Recontext.Model.Generation;
using Recontext.Model.Modules;
using Recontext.Model.Scoring;
using Recontext.Model.Training;
using Recontext.Prompts.Tokenization;

namespace Recontext.Model.Tests;

public class TrainingTests
{
    const string Alphabet = "abcdefghijklmnopqrstuvwxyz";

    /// <summary>The corpus: from any three consecutive letters, continue the (cyclic) alphabet for eight more.</summary>
    static (int[] Prompt, int[] Completion, string CompletionText) Example(ByteTokenizer tokenizer, int start)
    {
        var text = string.Concat(Enumerable.Range(0, 11).Select(i => Alphabet[(start + i) % 26]));
        return (tokenizer.Encode(text[..3]), tokenizer.Encode(text[3..]), text[3..]);
    }

    [Fact]
    public void AdamWDrivesLossDownAndModelReproducesThePattern()
    {
        var tokenizer = new ByteTokenizer();
        var config = TinyModels.Qwen3Style() with { HiddenSize = 64, IntermediateSize = 128, HeadDimOverride = 16 };
        using var model = CausalLm.Create(config, seed: 3);
        var examples = Enumerable.Range(0, 26).Select(s => Example(tokenizer, s)).ToArray();
        using var batch = SequenceBatch.Build(examples.Select(e => e.Prompt).ToArray(), examples.Select(e => e.Completion).ToArray(),
            tokenizer.PaddingId, config.VocabSize, model.Device);
        using var trainer = new SupervisedTrainer(model, new OptimizerOptions { LearningRate = 1e-2, WeightDecay = 0 });

        float first = trainer.Step(batch), last = first;
        for (int step = 1; step < 150 && last > 0.02f; step++) last = trainer.Step(batch);

        Assert.True(first > 3.0f, $"an untrained model should be near uniform (ln 260 ≈ 5.6), loss was {first}");
        Assert.True(last < 0.05f, $"loss after training was {last}");
        var generator = new TextGenerator(model, tokenizer);
        var outputs = generator.Generate(examples.Select(e => e.Prompt).ToArray(), new SamplingOptions { MaxNewTokens = 8, Temperature = 0 });
        Assert.Equal(examples.Select(e => e.CompletionText), outputs.Select(o => o.Text));
    }

    [Fact]
    public void MaskedTokensDoNotCountInTheLoss()
    {
        using var logp = TorchSharp.torch.tensor(new float[] { -1f, -2f, -100f, -3f }, [2, 2]);
        using var mask = TorchSharp.torch.tensor(new float[] { 1f, 1f, 0f, 1f }, [2, 2]);
        using var loss = NegativeLogLikelihood.Compute(logp, mask);
        Assert.Equal(2.0f, loss.item<float>(), 5);
    }
}
