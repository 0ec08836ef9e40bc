using System.Text.RegularExpressions;

namespace Recontext.Gateway.Dashboard.Rollouts;

/// <summary>Where two texts differ, word by word (a longest common subsequence of words, spaces and punctuation):
/// the generation prompt against the training prompt, so the page can mark what recontextualization changed.</summary>
public static partial class TextDiff
{
    /// <param name="Kind">same | removed (only in the first text) | added (only in the second)</param>
    public sealed record Segment(string Text, string Kind);

    /// <summary>Above this many words per side the diff falls back to lines (the table would be too large).</summary>
    const int MaxWords = 3000;

    /// <returns>the first text's segments (same and removed) and the second's (same and added)</returns>
    public static (IReadOnlyList<Segment> First, IReadOnlyList<Segment> Second) Compare(string first, string second)
    {
        var (a, b) = (Words(first), Words(second));
        if (a.Length > MaxWords || b.Length > MaxWords) (a, b) = (Lines(first), Lines(second));
        // Common prefix and suffix first: prompts differ in one instruction, so the table stays small.
        int prefix = 0;
        while (prefix < a.Length && prefix < b.Length && a[prefix] == b[prefix]) prefix++;
        int suffix = 0;
        while (suffix < a.Length - prefix && suffix < b.Length - prefix && a[^(suffix + 1)] == b[^(suffix + 1)]) suffix++;
        var (midA, midB) = (a[prefix..(a.Length - suffix)], b[prefix..(b.Length - suffix)]);

        var lengths = new int[midA.Length + 1, midB.Length + 1];
        for (int i = midA.Length - 1; i >= 0; i--)
            for (int j = midB.Length - 1; j >= 0; j--)
                lengths[i, j] = midA[i] == midB[j] ? lengths[i + 1, j + 1] + 1 : Math.Max(lengths[i + 1, j], lengths[i, j + 1]);

        var (left, right) = (new List<Segment>(), new List<Segment>());
        void Add(List<Segment> side, string text, string kind)
        {
            if (side.Count > 0 && side[^1].Kind == kind) side[^1] = side[^1] with { Text = side[^1].Text + text };
            else side.Add(new Segment(text, kind));
        }
        foreach (var w in a[..prefix]) { Add(left, w, "same"); Add(right, w, "same"); }
        int x = 0, y = 0;
        while (x < midA.Length || y < midB.Length)
        {
            if (x < midA.Length && y < midB.Length && midA[x] == midB[y]) { Add(left, midA[x], "same"); Add(right, midB[y], "same"); x++; y++; }
            else if (y < midB.Length && (x == midA.Length || lengths[x, y + 1] >= lengths[x + 1, y])) Add(right, midB[y++], "added");
            else Add(left, midA[x++], "removed");
        }
        foreach (var w in a[(a.Length - suffix)..]) { Add(left, w, "same"); Add(right, w, "same"); }
        return (Joined(left), Joined(right));
    }

    /// <summary>A lone space between two changes of one kind joins them ("Solve it in general" marks as one phrase, not
    /// four words).</summary>
    static List<Segment> Joined(List<Segment> side)
    {
        var joined = new List<Segment>();
        foreach (var segment in side)
        {
            if (joined.Count >= 2 && segment.Kind != "same" && joined[^2].Kind == segment.Kind && joined[^1].Kind == "same" && string.IsNullOrWhiteSpace(joined[^1].Text))
            {
                joined[^2] = joined[^2] with { Text = joined[^2].Text + joined[^1].Text + segment.Text };
                joined.RemoveAt(joined.Count - 1);
            }
            else joined.Add(segment);
        }
        return joined;
    }

    static string[] Words(string text) => WordPattern().Matches(text).Select(m => m.Value).ToArray();

    static string[] Lines(string text) => LinePattern().Matches(text).Select(m => m.Value).ToArray();

    [GeneratedRegex(@"\s+|\w+|[^\w\s]")]
    private static partial Regex WordPattern();

    [GeneratedRegex(@"[^\n]*\n|[^\n]+$")]
    private static partial Regex LinePattern();
}
