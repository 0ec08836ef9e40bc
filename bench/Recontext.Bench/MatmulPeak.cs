using static TorchSharp.torch;

namespace Recontext.Bench;

/// <summary>The machine's practical fp32 peak for this library: the best GFLOP/s of square torch.mm calls.</summary>
public static class MatmulPeak
{
    public sealed record Result(int Size, double GflopsPerSecond);

    public static IReadOnlyList<Result> Measure(bool quick)
    {
        var results = new List<Result>();
        foreach (var n in quick ? new[] { 512, 1024 } : [512, 1024, 2048])
        {
            using var scope = NewDisposeScope();
            var a = randn(n, n);
            var b = randn(n, n);
            int repeats = n >= 2048 ? 3 : 8;
            double seconds = Stopwatches.BestOf(2, repeats, () => { using var c = a.mm(b); });
            results.Add(new Result(n, 2.0 * n * n * n / seconds / 1e9));
        }
        return results;
    }
}
