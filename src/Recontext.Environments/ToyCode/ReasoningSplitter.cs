namespace Recontext.Environments.ToyCode;

/// <summary>Splits a completion into its optional <c>&lt;think&gt;...&lt;/think&gt;</c> span and the answer after it.</summary>
public static class ReasoningSplitter
{
    public const string Open = "<think>";
    public const string Close = "</think>";

    /// <returns>(reasoning or null, answer); an unclosed span gives a null answer</returns>
    public static (string? Reasoning, string? Answer) Split(string completion)
    {
        var trimmed = completion.TrimStart();
        if (!trimmed.StartsWith(Open, StringComparison.Ordinal)) return (null, completion);
        int close = trimmed.IndexOf(Close, StringComparison.Ordinal);
        if (close < 0) return (trimmed[Open.Length..], null);
        return (trimmed[Open.Length..close], trimmed[(close + Close.Length)..]);
    }
}
