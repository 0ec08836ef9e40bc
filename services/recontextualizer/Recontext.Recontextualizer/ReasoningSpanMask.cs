using Recontext.Prompts.Tokenization;

namespace Recontext.Recontextualizer;

/// <summary>Loss mask that removes the reasoning span (from "&lt;think&gt;" through "&lt;/think&gt;") of a completion.</summary>
public static class ReasoningSpanMask
{
    const string Open = "<think>";
    const string Close = "</think>";

    /// <returns>per completion token: 0 when the token overlaps the reasoning span, else 1</returns>
    public static float[] Compute(ITokenizer tokenizer, int[] completionIds)
    {
        var mask = Enumerable.Repeat(1f, completionIds.Length).ToArray();
        // Character offset where each token's text ends, by decoding prefixes (tokens never re-encoded).
        var ends = new int[completionIds.Length];
        for (int i = 0; i < completionIds.Length; i++) ends[i] = tokenizer.Decode(completionIds[..(i + 1)]).Length;
        var text = completionIds.Length == 0 ? "" : tokenizer.Decode(completionIds);
        int open = text.IndexOf(Open, StringComparison.Ordinal);
        if (open < 0) return mask;
        int close = text.IndexOf(Close, open, StringComparison.Ordinal);
        int spanEnd = close < 0 ? text.Length : close + Close.Length;
        for (int i = 0; i < completionIds.Length; i++)
        {
            int start = i == 0 ? 0 : ends[i - 1];
            if (start < spanEnd && ends[i] > open) mask[i] = 0f;
        }
        return mask;
    }
}
