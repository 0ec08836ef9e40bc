namespace Recontext.Model.Generation;

public enum FinishReason
{
    /// <summary>A stop token was sampled (it is the last of <see cref="GenerationResult.TokenIds"/>).</summary>
    StopToken,
    /// <summary>The text reached a stop string (text cut before it; tokens end with the one completing it).</summary>
    StopString,
    /// <summary>MaxNewTokens were generated.</summary>
    Length,
}

/// <summary>One sampled completion.</summary>
/// <param name="TokenIds">completion token ids, exactly as sampled</param>
/// <param name="Text">decoded completion, without a final stop token or stop string</param>
/// <param name="LogProbs">log-prob of each sampled token under the model's untempered distribution
/// (log_softmax of the logits), the same quantity the scoring primitive returns</param>
public sealed record GenerationResult(int[] TokenIds, string Text, float[] LogProbs, FinishReason FinishReason);
