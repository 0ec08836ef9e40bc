namespace Recontext.Prompts.Tokenization;

/// <summary>
/// Turns token ids arriving one at a time into text as soon as it is final. A byte-level token can end inside a
/// multi-byte character (an emoji spans several tokens), which decodes to U+FFFD until the rest arrives, so text
/// ending in U+FFFD is held back until a later token completes it (or <see cref="Flush"/> gives up at the end).
/// </summary>
public sealed class StreamingDecoder(ITokenizer tokenizer)
{
    readonly List<int> ids = [];
    int emitted;

    /// <summary>Adds a token; returns the text that became final (possibly empty).</summary>
    public string Push(int id)
    {
        ids.Add(id);
        var text = tokenizer.Decode(ids);
        if (text.EndsWith('\uFFFD') || text.Length < emitted) return "";
        var fresh = text[emitted..];
        emitted = text.Length;
        return fresh;
    }

    /// <summary>Whatever is still held back (an incomplete character decodes as U+FFFD).</summary>
    public string Flush()
    {
        var text = tokenizer.Decode(ids);
        var rest = text.Length > emitted ? text[emitted..] : "";
        emitted = text.Length;
        return rest;
    }
}
