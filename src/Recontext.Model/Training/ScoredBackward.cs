using Recontext.Model.Modules;
using Recontext.Model.Scoring;
using static TorchSharp.torch;

namespace Recontext.Model.Training;

/// <summary>
/// The trainers' backward pass: scores a batch under the model being trained and backpropagates a loss of the
/// scores, through the whole graph at once, or one decoder layer at a time when the model's
/// <see cref="CausalLm.GradientCheckpointing"/> is on (<see cref="CheckpointedBackward"/>; the same gradients).
/// </summary>
public static class ScoredBackward
{
    /// <param name="loss">the loss to backpropagate from the token log-probs [B, Tc] and, with
    /// <paramref name="fullVocabulary"/>, the full log-softmax [B, Tc, V]. It runs once, in the caller's dispose
    /// scope, so what it keeps (metrics, detached scores) is the caller's either way.</param>
    public static void Run(CausalLm model, SequenceBatch batch, Func<Tensor, Tensor?, Tensor> loss, bool fullVocabulary = false)
    {
        if (!model.GradientCheckpointing)
        {
            var (tokenLogProbs, fullLogProbs) = LogProbScorer.Score(model, batch, fullVocabulary);
            loss(tokenLogProbs, fullLogProbs).backward();
            return;
        }
        CheckpointedBackward.Run(model, batch.Layout, predicting =>
        {
            var (tokenLogProbs, fullLogProbs) = LogProbScorer.FromHidden(model, batch, predicting, fullVocabulary);
            return loss(tokenLogProbs, fullLogProbs);
        });
    }
}
