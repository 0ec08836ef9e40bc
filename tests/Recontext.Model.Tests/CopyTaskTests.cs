using Recontext.Model.Generation;
using Recontext.Model.Modules;
using Recontext.Model.Scoring;
using Recontext.Model.Training;
using Recontext.Prompts.Tokenization;

namespace Recontext.Model.Tests;

/// <summary>
/// Copying needs attention (the next token depends on a token far back, not on the previous one), unlike the
/// alphabet pattern. Padded batches of different lengths exercise masks and position ids in training.
/// </summary>
public class CopyTaskTests
{
    [Fact]
    public void TinyModelLearnsToCopyThroughAttentionWithPaddedBatches()
    {
        var tokenizer = new ByteTokenizer();
        var config = TinyModels.Qwen3Style() with { HiddenSize = 64, IntermediateSize = 128, HeadDimOverride = 16 };
        using var model = CausalLm.Create(config, seed: 5);
        using var trainer = new SupervisedTrainer(model, new OptimizerOptions { LearningRate = 3e-3, WeightDecay = 0 });
        var rng = new Random(1);
        (int[] Prompt, int[] Completion) Example()
        {
            var word = new string(Enumerable.Range(0, rng.Next(3, 7)).Select(_ => (char)('a' + rng.Next(26))).ToArray());
            return (tokenizer.Encode($"{word}="), tokenizer.Encode($"{word};"));
        }
        float loss = 0;
        for (int step = 0; step < 400; step++)
        {
            var batch = Enumerable.Range(0, 32).Select(_ => Example()).ToList();
            using var packed = SequenceBatch.Build(batch.Select(b => b.Prompt).ToArray(), batch.Select(b => b.Completion).ToArray(), tokenizer.PaddingId, config.VocabSize, model.Device);
            loss = trainer.Step(packed);
        }
        var tests = Enumerable.Range(0, 20).Select(_ => Example()).ToList();
        var outputs = new TextGenerator(model, tokenizer).Generate(tests.Select(t => t.Prompt).ToArray(), new SamplingOptions { MaxNewTokens = 8, Temperature = 0, StopStrings = [";"] });
        int copied = outputs.Where((o, i) => o.Text + ";" == tokenizer.Decode(tests[i].Completion)).Count();
        Assert.True(copied >= 18, $"copied {copied}/20 words; final loss {loss}");
    }
}
