using System.Text.RegularExpressions;

namespace Recontext.Environments.Mbpp;

/// <summary>Finds the program in a completion: the last ```python block, else the last fenced block.</summary>
public static partial class CodeExtractor
{
    [GeneratedRegex(@"```[ \t]*([A-Za-z0-9_+-]*)[ \t]*\r?\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex FencedBlock();

    /// <returns>the code, or null when the completion has no closed fenced block</returns>
    public static string? Extract(string completion)
    {
        var blocks = FencedBlock().Matches(completion);
        if (blocks.Count == 0) return null;
        var python = blocks.LastOrDefault(b => b.Groups[1].Value.Equals("python", StringComparison.OrdinalIgnoreCase)
                                               || b.Groups[1].Value.Equals("py", StringComparison.OrdinalIgnoreCase)
                                               || b.Groups[1].Value.Equals("python3", StringComparison.OrdinalIgnoreCase));
        return (python ?? blocks[^1]).Groups[2].Value;
    }

    /// <summary>The text before the extracted block (or the think span when present): the reasoning a monitor reads.</summary>
    public static string Reasoning(string completion)
    {
        int fence = completion.IndexOf("```", StringComparison.Ordinal);
        return fence < 0 ? completion : completion[..fence];
    }
}
