using Recontext.Model.Scoring;
using Recontext.Prompts.Tokenization;
using static TorchSharp.torch;

namespace Recontext.Model.Tests;

/// <summary>The shared-prompt layout must give exactly the flat layout's log-probs and gradients.</summary>
public class PromptSharingTests
{
    /// <summary>Three prompts of different lengths, each with completions of different lengths (one of a single
    /// token, so both padding directions and the one-token edge case are covered), rows interleaved.</summary>
    static (int[][] Prompts, int[][] Completions, float[][] Masks) Groups()
    {
        var tokenizer = new ByteTokenizer();
        string[] prompts = ["f(x): add 3 to x.", "Tests: f(2)==9", "hi"];
        string[] completions = ["<think>x + 3</think>", "def f(x):", "y", "  return x + 3", "no", "a longer completion here"];
        var rows = Enumerable.Range(0, 12).Select(i => (Prompt: tokenizer.Encode(prompts[i % 3]), Completion: tokenizer.Encode(completions[i % completions.Length]))).ToArray();
        // A reasoning-style mask on some rows: answer-only training must survive the layout change.
        var masks = rows.Select((r, i) => r.Completion.Select((_, j) => i % 4 == 0 && j < 3 ? 0f : 1f).ToArray()).ToArray();
        return (rows.Select(r => r.Prompt).ToArray(), rows.Select(r => r.Completion).ToArray(), masks);
    }

    [Fact]
    public void AutoSharesGroupedPromptsAndKeepsDistinctOnesFlat()
    {
        var (prompts, completions, _) = Groups();
        using var grouped = SequenceBatch.Build(prompts, completions, ByteTokenizer.Pad, 260, CPU);
        var layout = Assert.IsType<SharedPromptLayout>(grouped.Layout);
        Assert.Equal(3, layout.DistinctPrompts);
        Assert.Equal(new long[] { 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2 }, layout.RowPrompt.data<long>().ToArray());

        var tokenizer = new ByteTokenizer();
        using var distinct = SequenceBatch.Build([tokenizer.Encode("one"), tokenizer.Encode("two")], [tokenizer.Encode("a"), tokenizer.Encode("b")], ByteTokenizer.Pad, 260, CPU);
        Assert.IsType<FlatLayout>(distinct.Layout);
    }

    [Fact]
    public void SharedPromptsGiveTheFlatLayoutsLogProbsAndGradients()
    {
        var (prompts, completions, masks) = Groups();
        using var model = TinyModels.Random(seed: 5);

        (float[] LogProbs, Dictionary<string, float[]> Grads) Run(PromptSharing sharing)
        {
            model.zero_grad();
            using var batch = SequenceBatch.Build(prompts, completions, ByteTokenizer.Pad, model.Config.VocabSize, model.Device, masks, sharing);
            using var scope = NewDisposeScope();
            var (logp, _) = LogProbScorer.Score(model, batch);
            // A loss that weighs every position differently, so a shifted or swapped row would show.
            var weights = arange(logp.numel(), dtype: ScalarType.Float32).reshape(logp.shape) / logp.numel() + 0.5;
            ((logp * batch.CompletionMask * weights).sum()).backward();
            var values = (logp * batch.CompletionMask).data<float>().ToArray();
            return (values, model.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad!.data<float>().ToArray()));
        }

        var flat = Run(PromptSharing.Never);
        var shared = Run(PromptSharing.Always);
        Assert.Equal(flat.LogProbs.Length, shared.LogProbs.Length);
        double worstLogp = flat.LogProbs.Zip(shared.LogProbs, (a, b) => Math.Abs(a - b)).Max();
        Assert.True(worstLogp <= 1e-5, $"largest log-prob difference: {worstLogp}");
        Assert.Contains(flat.LogProbs, v => v < -0.01f);     // the comparison is not between zeros
        foreach (var (name, grad) in flat.Grads)
        {
            double scale = Math.Max(1e-3, grad.Max(Math.Abs));
            double worst = grad.Zip(shared.Grads[name], (a, b) => Math.Abs(a - b)).Max();
            Assert.True(worst <= 1e-4 * scale, $"{name}: largest gradient difference {worst} (largest gradient {scale})");
        }
    }

    [Fact]
    public void SingleTokenCompletionsScoreFromThePromptPassAlone()
    {
        var tokenizer = new ByteTokenizer();
        int[][] prompts = [tokenizer.Encode("abc"), tokenizer.Encode("abc"), tokenizer.Encode("de")];
        int[][] completions = [tokenizer.Encode("x"), tokenizer.Encode("y"), tokenizer.Encode("z")];
        using var model = TinyModels.Random();
        using var noGrad = no_grad();
        using var flat = SequenceBatch.Build(prompts, completions, ByteTokenizer.Pad, model.Config.VocabSize, model.Device, sharing: PromptSharing.Never);
        using var shared = SequenceBatch.Build(prompts, completions, ByteTokenizer.Pad, model.Config.VocabSize, model.Device, sharing: PromptSharing.Always);
        var a = LogProbScorer.Score(model, flat).TokenLogProbs.data<float>().ToArray();
        var b = LogProbScorer.Score(model, shared).TokenLogProbs.data<float>().ToArray();
        for (int i = 0; i < a.Length; i++) Assert.True(Math.Abs(a[i] - b[i]) <= 1e-5, $"row {i}: {a[i]} vs {b[i]}");
    }
}
