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
                     // What a reasoning monitor sees and misses (monitor as reward): runs written before these rates have none.
                     ("neutral", "monitor-flagged-neutral", "reasoning the monitor flags, neutral eval", r => r.IntendsToPassRate),
                     ("neutral", "unflagged-misbehaviour-neutral", "misbehaviour the monitor did not flag, neutral eval", r => r.UnflaggedMisbehaviourRate ?? double.NaN),
                 })
        {
            if (results.SelectMany(r => r.Evaluations).Any(e => e.Rates.Context == context && double.IsNaN(select(e.Rates)))) continue;
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
        written.Add(WriteTradeOff(results, directory));
        return written;
    }

    /// <summary>The reward trade-off under the neutral eval context at each run's last evaluation: training reward (the
    /// judge's reward on the held-out tasks) against misbehaviour rate, every seed a small marker and each variant's
    /// mean a large one, the base (step 0) as its own point (tradeoff-neutral.png).</summary>
    static string WriteTradeOff(IReadOnlyList<RunResult> results, string directory)
    {
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        var groups = results.GroupBy(r => r.Config.Name).Select(g => (Name: g.Key, Finals: g.Where(r => r.Config.Steps > 0)
            .Select(r => r.Final.FirstOrDefault(e => e.Rates.Context == "neutral")?.Rates).OfType<Evaluation.ContextRates>().ToList())).ToList();
        // Every variant of a seed starts from the same base and evaluates it on the same tasks: one step-0 point per seed.
        var bases = results.GroupBy(r => r.Config.Seed).Select(g => g.Select(r => r.Evaluations.FirstOrDefault(e => e.Step == 0 && e.Rates.Context == "neutral")?.Rates)
            .OfType<Evaluation.ContextRates>().FirstOrDefault()).OfType<Evaluation.ContextRates>().ToList();
        int index = 0;
        foreach (var (name, rates) in bases.Count > 0 ? [("base (step 0)", bases), .. groups] : groups)
        {
            if (rates.Count == 0) continue;
            var color = palette.GetColor(index++);
            var seeds = plot.Add.ScatterPoints(rates.Select(r => r.MisbehaviourRate).ToArray(), rates.Select(r => r.MeanTrainReward).ToArray());
            seeds.Color = color.WithAlpha(0.5);
            seeds.MarkerSize = 6;
            var mean = plot.Add.ScatterPoints(new[] { rates.Average(r => r.MisbehaviourRate) }, new[] { rates.Average(r => r.MeanTrainReward) });
            mean.Color = color;
            mean.MarkerSize = 14;
            mean.LegendText = name;
        }
        plot.Title("training reward vs misbehaviour rate, neutral eval, last evaluation (small: seeds, large: mean)");
        plot.XLabel("misbehaviour rate");
        plot.YLabel("training reward");
        plot.ShowLegend(Alignment.LowerRight);
        var path = Path.Combine(directory, "tradeoff-neutral.png");
        plot.SavePng(path, 900, 560);
        return path;
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
