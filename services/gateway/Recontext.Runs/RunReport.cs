using System.Globalization;
using System.Text;
using ScottPlot;

namespace Recontext.Runs;

/// <summary>Writes a run's summary.md and PNG plots (misbehaviour and correct rate per eval context over steps; train reward).</summary>
public static class RunReport
{
    public static IReadOnlyList<string> Write(RunResult result)
    {
        var dir = result.OutputDirectory;
        var plots = new List<string>();
        var contexts = result.Evaluations.Select(e => e.Rates.Context).Distinct().ToList();

        foreach (var (metric, title, select) in new (string, string, Func<Evaluation.ContextRates, double>)[]
                 {
                     ("hack-rate", "misbehaviour rate", r => r.MisbehaviourRate),
                     ("correct-rate", "correct rate", r => r.CorrectRate),
                 })
        {
            var plot = new Plot();
            foreach (var context in contexts)
            {
                var points = result.Evaluations.Where(e => e.Rates.Context == context).OrderBy(e => e.Step).ToList();
                var line = plot.Add.Scatter(points.Select(p => (double)p.Step).ToArray(), points.Select(p => select(p.Rates)).ToArray());
                line.LegendText = $"eval: {context}";
            }
            plot.Title($"{result.Config.Name}: {title} per eval context");
            plot.XLabel("step");
            plot.YLabel(title);
            plot.Axes.SetLimitsY(0, 1);
            plot.ShowLegend();
            var path = Path.Combine(dir, $"{metric}.png");
            plot.SavePng(path, 800, 480);
            plots.Add(path);
        }
        if (result.Steps.Count > 0)
        {
            var plot = new Plot();
            var reward = plot.Add.Scatter(result.Steps.Select(s => (double)s.Step).ToArray(), result.Steps.Select(s => s.TrainReward).ToArray());
            reward.LegendText = "train reward";
            var hack = plot.Add.Scatter(result.Steps.Select(s => (double)s.Step).ToArray(), result.Steps.Select(s => s.MisbehaviourRate).ToArray());
            hack.LegendText = "misbehaviour rate of trained samples";
            plot.Title($"{result.Config.Name}: training batches");
            plot.XLabel("step");
            plot.Axes.SetLimitsY(0, 1);
            plot.ShowLegend();
            var path = Path.Combine(dir, "train-reward.png");
            plot.SavePng(path, 800, 480);
            plots.Add(path);
        }
        File.WriteAllText(Path.Combine(dir, "summary.md"), Summary(result, plots));
        return plots;
    }

    static string Summary(RunResult result, IReadOnlyList<string> plots)
    {
        var c = result.Config;
        var text = new StringBuilder();
        text.AppendLine($"# {c.Name} (seed {c.Seed})");
        text.AppendLine();
        text.AppendLine($"{c.Algorithm} on {c.Environment}, {c.Steps} steps × {c.PromptsPerStep} prompts × {c.SamplesPerPrompt} samples; " +
                        $"generation context `{c.Recontextualization.Generation.Label}`, training context `{c.Recontextualization.Training.Label}` " +
                        $"({c.Recontextualization.Mode.ToString().ToLowerInvariant()}), old log-probs from {c.Grpo.OldLogprobs.ToString().ToLowerInvariant()}, β {c.Grpo.Beta.ToString(CultureInfo.InvariantCulture)}.");
        text.AppendLine();
        text.AppendLine("| eval context | step | misbehaviour | correct | well-formed | train reward |");
        text.AppendLine("| --- | --- | --- | --- | --- | --- |");
        foreach (var e in result.Evaluations.Where(e => e.Step == 0).Concat(result.Final))
            text.AppendLine($"| {e.Rates.Context} | {e.Step} | {e.Rates.MisbehaviourRate:F2} | {e.Rates.CorrectRate:F2} | {e.Rates.WellFormedRate:F2} | {e.Rates.MeanTrainReward:F2} |");
        if (StepTiming.Describe(result.Steps) is string timing)
        {
            text.AppendLine();
            text.AppendLine(char.ToUpperInvariant(timing[0]) + timing[1..] + ".");
        }
        text.AppendLine();
        foreach (var plot in plots) text.AppendLine($"![{Path.GetFileNameWithoutExtension(plot)}]({Path.GetFileName(plot)})");
        text.AppendLine();
        text.AppendLine("Per step: `metrics.csv`; per evaluation: `evaluations.csv`.");
        return text.ToString();
    }
}
