using Recontext.Environments.ToyCode;
using Recontext.Prompts.Tokenization;
using Recontext.Store;

namespace Recontext.Gateway.Dashboard.Rollouts;

/// <summary>One rollout as its page shows it: the stored document, both prompts decoded and compared, the completion
/// split into its reasoning and its answer.</summary>
/// <param name="Reasoning">the <c>&lt;think&gt;</c> span's text, or null when the completion has none</param>
/// <param name="Answer">what follows the reasoning (null when the span never closes)</param>
/// <param name="ContextGap">mean per-token log-prob under f_gen minus under f_train (the sampling policy's), when
/// the trainer reported the training log-prob</param>
public sealed record RolloutView(RolloutDocument Rollout, string GenerationPrompt, string TrainingPrompt,
    IReadOnlyList<TextDiff.Segment> GenerationSegments, IReadOnlyList<TextDiff.Segment> TrainingSegments, string? Reasoning, string? Answer, double? ContextGap)
{
    /// <param name="tokenizer">the run's tokenizer (the organism's byte-level one)</param>
    public static RolloutView Of(RolloutDocument rollout, ITokenizer tokenizer)
    {
        var generation = tokenizer.Decode(rollout.GenerationPromptIds);
        var training = tokenizer.Decode(rollout.TrainingPromptIds);
        // An evaluation sample is never trained on: it has one prompt, nothing to compare.
        var (first, second) = rollout.Kind == RolloutDocument.EvalKind
            ? ([new TextDiff.Segment(generation, "same")], [])
            : TextDiff.Compare(generation, training);
        var (reasoning, answer) = ReasoningSplitter.Split(rollout.Text);
        double? gap = rollout.LogpTrainSum is double train && rollout.CompletionIds.Length > 0
            ? (rollout.LogpGenSum - train) / rollout.CompletionIds.Length : null;
        return new RolloutView(rollout, generation, training, first, second, reasoning, answer, gap);
    }
}
