namespace Recontext.Environments;

/// <summary>The organisms' answer format: after the reasoning, a line <c>A: value</c>.</summary>
public static class AnswerLine
{
    /// <summary>What follows "A:" on the answer's first such line (trimmed, a trailing period dropped); null when there
    /// is no such line or its value is empty or longer than <paramref name="maxLength"/>.</summary>
    public static string? Read(string answer, int maxLength = 40)
    {
        foreach (var line in answer.Split('\n'))
        {
            var trimmed = line.Trim();
            if (!trimmed.StartsWith("A:", StringComparison.Ordinal)) continue;
            var value = trimmed[2..].Trim().TrimEnd('.').Trim();
            return value.Length > 0 && value.Length <= maxLength ? value : null;
        }
        return null;
    }
}
