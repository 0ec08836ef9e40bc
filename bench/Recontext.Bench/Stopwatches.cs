using System.Diagnostics;

namespace Recontext.Bench;

static class Stopwatches
{
    /// <summary>Runs <paramref name="action"/> <paramref name="warmup"/> times untimed, then returns the best of
    /// <paramref name="repeats"/> timed runs in seconds (the minimum is the least noisy estimate on a shared machine).</summary>
    public static double BestOf(int warmup, int repeats, Action action)
    {
        for (int i = 0; i < warmup; i++) action();
        double best = double.MaxValue;
        for (int i = 0; i < repeats; i++)
        {
            var watch = Stopwatch.StartNew();
            action();
            best = Math.Min(best, watch.Elapsed.TotalSeconds);
        }
        return best;
    }
}
