namespace Recontext.Model.Scoring;

/// <summary>
/// Which rows go through the model together when a batch is split into micro-batches. Every micro-batch is padded
/// to its longest prompt and completion, so the order of the rows decides how much of the work is padding: a batch
/// taken in order mixes a GRPO group's 40-token answers with another's 1000-token ones. The plan takes the cheapest
/// of three orders, counted exactly as <see cref="SequenceBatch.Build"/> lays each micro-batch out
/// (<see cref="SequenceBatch.PaddedTokens"/>): the rows as given; whole prompt groups sorted by their longest
/// completion (length buckets that keep shared prompts shared); every row sorted by completion length (length
/// buckets across groups). The losses are means weighted by each micro-batch's share, so the order changes the
/// step only by floating-point summation order (tested).
/// </summary>
public sealed record MicroBatchPlan(IReadOnlyList<int[]> Parts, MicroBatchOrder Order, long PaddedTokens, long InOrderPaddedTokens)
{
    /// <param name="size">rows per micro-batch; null or at least the row count: one part, the rows as given</param>
    public static MicroBatchPlan For(IReadOnlyList<int[]> prompts, IReadOnlyList<int[]> completions, int? size)
    {
        if (prompts.Count != completions.Count)
            throw new ArgumentException($"need as many prompts as completions, got {prompts.Count} and {completions.Count}");
        if (size < 1) throw new ArgumentException($"micro-batch size must be >= 1, got {size}");
        int rows = prompts.Count;
        var given = Enumerable.Range(0, rows).ToArray();
        if (size is null || size >= rows)
        {
            long whole = Cost(prompts, completions, [given]);
            return new MicroBatchPlan(rows == 0 ? [] : [given], MicroBatchOrder.AsGiven, whole, whole);
        }

        var groups = PromptGroups.Of(prompts);
        var groupLongest = new int[groups.Distinct.Count];
        for (int row = 0; row < rows; row++)
            groupLongest[groups.RowPrompt[row]] = Math.Max(groupLongest[groups.RowPrompt[row]], completions[row].Length);
        // Stable sorts (OrderBy keeps ties in their given order), so a plan is reproducible.
        var byGroup = given.OrderByDescending(r => groupLongest[groups.RowPrompt[r]]).ThenBy(r => groups.RowPrompt[r]).ToArray();
        var byRow = given.OrderByDescending(r => completions[r].Length).ThenBy(r => groups.RowPrompt[r]).ToArray();

        var candidates = new[] { (MicroBatchOrder.AsGiven, given), (MicroBatchOrder.GroupsByLength, byGroup), (MicroBatchOrder.RowsByLength, byRow) }
            .Select(c => (Order: c.Item1, Parts: c.Item2.Chunk(size.Value).ToArray()))
            .Select(c => (c.Order, c.Parts, Tokens: Cost(prompts, completions, c.Parts)))
            .ToList();
        var best = candidates.MinBy(c => c.Tokens);   // the first of equals: the given order unless another saves work
        return new MicroBatchPlan(best.Parts, best.Order, best.Tokens, candidates[0].Tokens);
    }

    static long Cost(IReadOnlyList<int[]> prompts, IReadOnlyList<int[]> completions, IEnumerable<int[]> parts) =>
        parts.Where(p => p.Length > 0).Sum(p => SequenceBatch.PaddedTokens(p.Select(r => prompts[r]).ToArray(), p.Select(r => completions[r]).ToArray()));
}
