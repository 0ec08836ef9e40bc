namespace Recontext.Model.Probing;

/// <summary>A completion with the context it answered, as token ids, and its binary label (true: a positive, e.g.
/// deceptive).</summary>
public sealed record LabelledCompletion(int[] PromptIds, int[] CompletionIds, bool Label);
