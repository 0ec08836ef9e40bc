namespace Recontext.Trainer.Algorithms;

/// <summary>Best-of-N selection: per prompt group, the item with the highest training reward that passes the filter.</summary>
public static class ExpertIteration
{
    /// <param name="keep">optional filter (e.g. "not a hack" for the perfect-labels pipeline); a group with no
    /// item passing it contributes nothing</param>
    public static IReadOnlyList<T> SelectBest<T>(IEnumerable<T> items, Func<T, int> group, Func<T, double> reward, Func<T, bool>? keep = null) =>
        items.GroupBy(group)
            .Select(g => g.Where(item => keep?.Invoke(item) ?? true).OrderByDescending(reward).FirstOrDefault())
            .Where(item => item is not null)
            .Select(item => item!)
            .ToList();
}
