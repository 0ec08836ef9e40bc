namespace Recontext.Prompts.Tokenization;

/// <summary>Text ↔ token ids. Special tokens written literally in the text (e.g. "&lt;|im_start|&gt;") encode to
/// their own ids and decode back to their text.</summary>
public interface ITokenizer
{
    /// <summary>Number of ids the model's embedding must cover (regular plus special tokens).</summary>
    int VocabSize { get; }

    /// <summary>Special tokens by their text.</summary>
    IReadOnlyDictionary<string, int> SpecialTokens { get; }

    /// <summary>Id appended to end a sequence, if the vocabulary has one.</summary>
    int? EndOfSequenceId { get; }

    /// <summary>Id used to pad batches (never attended to, so any valid id works).</summary>
    int PaddingId { get; }

    int[] Encode(string text);

    string Decode(IEnumerable<int> ids);
}
