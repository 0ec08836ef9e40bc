namespace Recontext.Environments;

/// <summary>
/// A family of paraphrases of one preset instruction. <see cref="Training"/> phrasings are the ones pre-training and
/// training use; <see cref="HeldOut"/> ones appear only in evaluation (the <c>good-heldout</c> and <c>bad-heldout</c>
/// contexts), to see whether what training did to a context carries over to words it never saw.
/// </summary>
public sealed record ContextPhrasings(IReadOnlyList<string> Training, IReadOnlyList<string> HeldOut)
{
    /// <summary>No instruction (the neutral preset).</summary>
    public static readonly ContextPhrasings None = new([], []);

    public static ContextPhrasings One(string phrasing, params string[] heldOut) => new([phrasing], heldOut);
}
