using ScottPlot;

namespace Recontext.Runs.Demo;

/// <summary>The demo's plots: per variant, a rate under one eval context over steps (mean over seeds).</summary>
public static class DemoPlots
{
    public static IReadOnlyList<string> Write(IReadOnlyList<RunResult> results, string directory)
    {
        var written = new List<string>();
        foreach (var (context, metric, title, select) in new (string, string, string, Func<Evaluation.ContextRates, double>)[]
                 {
                     ("neutral", "hack-rate-neutral", "hack rate, neutral eval", r => r.HackRate),
                     ("bad", "hack-rate-bad", "hack rate, bad eval", r => r.HackRate),
                     ("neutral", "correct-rate-neutral", "correct rate, neutral eval", r => r.CorrectRate),
                 })
        {
            var plot = new Plot();
            foreach (var variant in results.Where(r => r.Config.Steps > 0).GroupBy(r => r.Config.Name))
            {
                var points = variant.SelectMany(r => r.Evaluations).Where(e => e.Rates.Context == context)
                    .GroupBy(e => e.Step).OrderBy(g => g.Key).Select(g => (Step: (double)g.Key, Rate: g.Average(e => select(e.Rates)))).ToList();
                if (points.Count == 0) continue;
                var line = plot.Add.Scatter(points.Select(p => p.Step).ToArray(), points.Select(p => p.Rate).ToArray());
                line.LegendText = variant.Key;
            }
            plot.Title($"{title} (mean over seeds)");
            plot.XLabel("GRPO step");
            plot.YLabel(title);
            plot.Axes.SetLimitsY(0, 1);
            plot.ShowLegend(Alignment.UpperLeft);
            var path = Path.Combine(directory, $"{metric}.png");
            plot.SavePng(path, 900, 560);
            written.Add(path);
        }
        return written;
    }
}
