using Recontext.Model.Modules;
using static TorchSharp.torch;

namespace Recontext.Model.Scoring;

/// <summary>
/// The trainer's primitive: log-probs of given completion tokens under given prompts, in one batched forward.
/// Differentiable unless called under <c>no_grad</c>.
/// </summary>
public static class LogProbScorer
{
    /// <returns>per-token log-probs [B, Tc] (float32; padding positions hold garbage, mask them with
    /// <see cref="SequenceBatch.CompletionMask"/>) and, when asked, the full-vocabulary log-softmax [B, Tc, V]</returns>
    public static (Tensor TokenLogProbs, Tensor? FullLogProbs) Score(CausalLm model, SequenceBatch batch, bool fullVocabulary = false)
    {
        using var scope = NewDisposeScope();
        var (tokenLogProbs, logProbs) = FromHidden(model, batch, batch.Layout.PredictingHidden(model), fullVocabulary);
        return (tokenLogProbs.MoveToOuterDisposeScope(), logProbs?.MoveToOuterDisposeScope());
    }

    /// <summary>The scores from the hidden states that predict the completion tokens (the last step of
    /// <see cref="Score"/>, which a pass run layer by layer calls itself).</summary>
    /// <param name="predicting">[B, Tc, C] from <see cref="ISequenceLayout.PredictingHidden"/></param>
    public static (Tensor TokenLogProbs, Tensor? FullLogProbs) FromHidden(CausalLm model, SequenceBatch batch, Tensor predicting, bool fullVocabulary = false)
    {
        using var scope = NewDisposeScope();
        var logProbs = model.Logits(predicting).to(ScalarType.Float32).log_softmax(-1);         // [B, Tc, V]
        var tokenLogProbs = logProbs.gather(2, batch.Targets.unsqueeze(-1)).squeeze(-1);        // [B, Tc]
        return (tokenLogProbs.MoveToOuterDisposeScope(), fullVocabulary ? logProbs.MoveToOuterDisposeScope() : null);
    }

    /// <summary>Convenience for callers holding token arrays: scores under <c>no_grad</c> and returns host arrays.</summary>
    /// <returns>one array per row with one log-prob per completion token</returns>
    public static float[][] ScoreTokens(CausalLm model, IReadOnlyList<int[]> prompts, IReadOnlyList<int[]> completions, int paddingId)
    {
        using var noGrad = no_grad();
        using var batch = SequenceBatch.Build(prompts, completions, paddingId, model.Config.VocabSize, model.Device);
        var (tokenLogProbs, _) = Score(model, batch);
        using (tokenLogProbs)
        {
            var flat = tokenLogProbs.cpu().data<float>().ToArray();
            return completions.Select((c, row) => flat.Skip(row * batch.CompletionLength).Take(c.Length).ToArray()).ToArray();
        }
    }
}
