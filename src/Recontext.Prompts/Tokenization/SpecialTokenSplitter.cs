namespace Recontext.Prompts.Tokenization;

/// <summary>Cuts text into plain pieces and special tokens written literally (longest match first).</summary>
public static class SpecialTokenSplitter
{
    /// <returns>pieces in order; a special token comes with its id, plain text with null</returns>
    public static IEnumerable<(string Piece, int? SpecialId)> Split(string text, IReadOnlyDictionary<string, int> specials)
    {
        var byLength = specials.Keys.OrderByDescending(s => s.Length).ToArray();
        int start = 0, i = 0;
        while (i < text.Length)
        {
            string? match = null;
            foreach (var special in byLength)
            {
                if (string.CompareOrdinal(text, i, special, 0, special.Length) != 0) continue;
                match = special;
                break;
            }
            if (match is null)
            {
                i++;
                continue;
            }
            if (i > start) yield return (text[start..i], null);
            yield return (match, specials[match]);
            i += match.Length;
            start = i;
        }
        if (start < text.Length) yield return (text[start..], null);
    }
}
