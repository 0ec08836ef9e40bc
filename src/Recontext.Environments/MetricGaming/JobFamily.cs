namespace Recontext.Environments.MetricGaming;

/// <summary>A template of jobs with one exact result, drawn from a seeded generator.</summary>
/// <param name="Name">short id, e.g. "reverse"</param>
public sealed record JobFamily(string Name, Func<Random, (string Job, string Result)> Draw)
{
    static readonly string[] Words = ["tab", "cup", "lamp", "fig", "stone", "rope", "mint", "pearl", "dusk", "vine", "bolt", "crisp", "kelp", "drum"];

    /// <summary>Families the training and evaluation splits draw from.</summary>
    public static readonly IReadOnlyList<JobFamily> Training =
    [
        new("reverse", rng =>
        {
            var word = Words[rng.Next(Words.Length)];
            return ($"Reverse: {word}", new string(word.Reverse().ToArray()));
        }),
        new("sort", rng =>
        {
            var digits = Enumerable.Range(0, 3).Select(_ => rng.Next(0, 10)).ToArray();
            return ($"Sort: {string.Join(" ", digits)}", string.Join(" ", digits.Order()));
        }),
        new("count", rng =>
        {
            var word = Words[rng.Next(Words.Length)];
            var letter = word[rng.Next(word.Length)];
            return ($"Count {letter} in: {word}", $"{word.Count(c => c == letter)}");
        }),
    ];

    /// <summary>A family never trained on (generalisation).</summary>
    public static readonly IReadOnlyList<JobFamily> HeldOut =
    [
        new("first", rng =>
        {
            var word = Words[rng.Next(Words.Length)];
            return ($"First letter: {word}", $"{word[0]}");
        }),
    ];
}
