namespace Recontext.Model.Scoring;

/// <summary>
/// The distinct prompts of a batch, in order of first appearance, and for each row the index of its prompt among
/// them: what lets a GRPO group's shared prompt run once in training (<see cref="SharedPromptLayout"/>) and in the
/// sampling prefill.
/// </summary>
public sealed class PromptGroups
{
    public IReadOnlyList<int[]> Distinct { get; }

    /// <summary>For each row, the index of its prompt in <see cref="Distinct"/>.</summary>
    public int[] RowPrompt { get; }

    /// <summary>For each distinct prompt, the first row that holds it.</summary>
    public int[] FirstRow { get; }

    PromptGroups(List<int[]> distinct, int[] rowPrompt, int[] firstRow) => (Distinct, RowPrompt, FirstRow) = (distinct, rowPrompt, firstRow);

    public static PromptGroups Of(IReadOnlyList<int[]> prompts)
    {
        var distinct = new List<int[]>();
        var firstRows = new List<int>();
        var index = new Dictionary<int[], int>(new TokenSequenceComparer());
        var rowPrompt = new int[prompts.Count];
        for (int row = 0; row < prompts.Count; row++)
        {
            if (!index.TryGetValue(prompts[row], out int u))
            {
                u = distinct.Count;
                index[prompts[row]] = u;
                distinct.Add(prompts[row]);
                firstRows.Add(row);
            }
            rowPrompt[row] = u;
        }
        return new PromptGroups(distinct, rowPrompt, firstRows.ToArray());
    }

    sealed class TokenSequenceComparer : IEqualityComparer<int[]>
    {
        public bool Equals(int[]? x, int[]? y) => ReferenceEquals(x, y) || (x is not null && y is not null && x.AsSpan().SequenceEqual(y));

        public int GetHashCode(int[] tokens)
        {
            var hash = new HashCode();
            hash.AddBytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(tokens.AsSpan()));
            return hash.ToHashCode();
        }
    }
}
