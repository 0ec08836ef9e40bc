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
                     ("neutral", "hack-rate-neutral", "misbehaviour rate, neutral eval", r => r.MisbehaviourRate),
                     ("bad", "hack-rate-bad", "misbehaviour rate, bad eval", r => r.MisbehaviourRate),
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

    /// <summary>Per reference, the misbehaviour rate of every other variant minus the reference's over steps, under the
    /// neutral and the bad eval context: the mean of the per-seed differences with its 95 % interval as a band
    /// (paired-&lt;reference&gt;-hack-rate-&lt;context&gt;.png).</summary>
    public static IReadOnlyList<string> WritePaired(IReadOnlyList<(int Step, PairedRow Row)> paired, string directory)
    {
        var written = new List<string>();
        var palette = new ScottPlot.Palettes.Category10();
        foreach (var reference in paired.Select(p => p.Row.Reference).Distinct())
            foreach (var context in new[] { "neutral", "bad" })
            {
                var rows = paired.Where(p => p.Row.Reference == reference && p.Row.EvalContext == context && p.Row.Metric == "misbehaviour_rate").ToList();
                if (rows.Count == 0) continue;
                var plot = new Plot();
                int index = 0;
                foreach (var variant in rows.GroupBy(p => p.Row.Variant))
                {
                    var points = variant.OrderBy(p => p.Step).ToList();
                    double[] steps = points.Select(p => (double)p.Step).ToArray();
                    var color = palette.GetColor(index++);
                    var band = plot.Add.FillY(steps, points.Select(p => p.Row.Difference.Low).ToArray(), points.Select(p => p.Row.Difference.High).ToArray());
                    band.FillStyle.Color = color.WithAlpha(0.15);
                    band.LineStyle.Width = 0;
                    var line = plot.Add.Scatter(steps, points.Select(p => p.Row.Difference.Mean).ToArray());
                    line.Color = color;
                    line.LegendText = variant.Key;
                }
                plot.Add.HorizontalLine(0, 1, Colors.Gray, LinePattern.Dashed);
                plot.Title($"misbehaviour rate minus {reference}'s, {context} eval (paired by seed, 95 % band)");
                plot.XLabel("GRPO step");
                plot.YLabel($"misbehaviour rate − {reference}");
                plot.ShowLegend(Alignment.UpperLeft);
                var path = Path.Combine(directory, $"paired-{DemoRunner.Sanitize(reference)}-hack-rate-{context}.png");
                plot.SavePng(path, 900, 560);
                written.Add(path);
            }
        return written;
    }
}
